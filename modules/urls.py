from django.urls import path

from modules import views

urlpatterns = [
    path("lessons/<id:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
]
