from django.urls import path

from training.dashboards import views

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
]
