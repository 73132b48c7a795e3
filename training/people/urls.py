"""People pages inside the Wagtail admin: included under /admin/people/ by wagtail_hooks."""

from django.urls import path

from training.people import views

urlpatterns = [
    path("roster/", views.roster_import_view, name="people_roster_import"),
]
