"""People pages inside the Wagtail admin, under /admin/people/ (training/urls.py), for HR only."""

from django.urls import path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from training.admin_access import admin_area
from training.people import views
from training.people.selectors import is_hr

urlpatterns = decorate_urlpatterns(
    [
        path("roster/", views.roster_import_view, name="people_roster_import"),
        path("roster/invitations/", views.invitations_resend_view, name="people_invitations_resend"),
    ],
    admin_area(is_hr),
)
