"""Roles are Django groups; this module names them and keeps their permissions in sync."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

EMPLOYEE = "Employee"
MANAGER = "Manager"
HR = "HR"
EDITOR = "Editor"
ALL = (EMPLOYEE, MANAGER, HR, EDITOR)


# (app label, codename) of every permission each role holds; anything else is taken away.
# Certificates are HR's alone (view_certificate; the chooser checks is_hr, see assessments/wagtail_hooks.py).
PERMISSIONS = {
    EMPLOYEE: [],
    MANAGER: [],
    HR: [("wagtailadmin", "access_admin"), ("assessments", "view_certificate")],
    EDITOR: [
        ("wagtailadmin", "access_admin"),
        *[("assessments", f"{verb}_certificatetemplate") for verb in ("add", "change", "delete", "view")],
    ],
}

# Images and documents are guarded per collection: Wagtail ignores a group's plain model permissions
# for them, so these are granted on the root collection (and so on every collection under it).
COLLECTION_PERMISSIONS = {
    EMPLOYEE: [],
    MANAGER: [],
    HR: [],
    EDITOR: [
        *[("wagtailimages", c) for c in ("add_image", "change_image", "choose_image")],
        *[("wagtaildocs", c) for c in ("add_document", "change_document", "choose_document")],
    ],
}


def _permissions(pairs) -> list[Permission]:
    return [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in pairs]


def roles_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions listed in PERMISSIONS and
    COLLECTION_PERMISSIONS (the latter on the root collection; any other collection grant of a
    role group is taken away).

    Page permissions for editors are granted on the catalog by modules.loading.
    """
    root = Collection.get_first_root_node()
    groups = {}
    for name in ALL:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(PERMISSIONS[name]))
        wanted = _permissions(COLLECTION_PERMISSIONS[name])
        GroupCollectionPermission.objects.filter(group=group).exclude(collection=root, permission__in=wanted).delete()
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
        groups[name] = group
    return groups
