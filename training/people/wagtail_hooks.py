from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training.people.selectors import is_hr


class HRMenuItem(MenuItem):
    """A menu item only HR and superusers see; the view checks the same rule."""

    def is_shown(self, request):
        return is_hr(request.user)


@hooks.register("register_admin_menu_item")
def roster_import_menu_item():
    return HRMenuItem("Import roster", reverse("people_roster_import"), icon_name="group", order=900)
