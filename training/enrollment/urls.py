from django.urls import path

from training.enrollment import views

urlpatterns = [
    path("assign/", views.assignment_create_view, name="assignment_create"),
    path("assignments/<id:pk>/remind/", views.assignment_remind, name="assignment_remind"),
]
