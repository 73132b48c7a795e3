from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Loyalty Academy"

    def ready(self):
        from django.core import checks

        from training.private_files import check_private_root

        checks.register(check_private_root)
