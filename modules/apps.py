from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = "Course content"

    def ready(self):
        from modules import course_tree

        course_tree.connect()
