from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "training.enrollment"
    label = "enrollment"
    verbose_name = "Assignments"
