from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "training.people"
    label = "people"
