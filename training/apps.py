from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Loyalty Academy"

    def ready(self):
        from django.core import checks
        from django.urls import register_converter

        from training.ids import IdConverter
        from training.private_files import check_private_root

        checks.register(check_private_root)
        # Before any URLconf is imported: our urls.py files write ids as <id:name>.
        register_converter(IdConverter, "id")
