"""Roles are Django groups; this module names them and keeps their permissions in sync."""

from django.contrib.auth.models import Group, Permission

EMPLOYEE = "Employee"
MANAGER = "Manager"
HR = "HR"
EDITOR = "Editor"
ALL = (EMPLOYEE, MANAGER, HR, EDITOR)


# (app label, codename) of every permission each role holds; anything else is taken away.
PERMISSIONS = {
    EMPLOYEE: [],
    MANAGER: [],
    HR: [("wagtailadmin", "access_admin"), ("assessments", "view_certificate")],
    EDITOR: [
        ("wagtailadmin", "access_admin"),
        *[("wagtailimages", c) for c in ("add_image", "change_image", "choose_image")],
        *[("wagtaildocs", c) for c in ("add_document", "change_document", "choose_document")],
        *[("assessments", f"{verb}_certificatetemplate") for verb in ("add", "change", "delete", "view")],
    ],
}


def roles_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions listed in PERMISSIONS.

    Page permissions for editors are granted on the catalog by modules.loading.
    """
    groups = {}
    for name in ALL:
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in PERMISSIONS[name]]
        group.permissions.set(wanted)
        groups[name] = group
    return groups
