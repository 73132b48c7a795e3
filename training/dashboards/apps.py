from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "training.dashboards"
    label = "dashboards"
