from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from training.people import roles


def test_sync_roles_gives_each_role_exactly_its_permissions(db):
    hr = Group.objects.get(name=roles.HR)
    hr.permissions.add(Permission.objects.get(codename="delete_user"))  # drifted
    call_command("sync_roles", stdout=__import__("io").StringIO())
    assert sorted(hr.permissions.values_list("codename", flat=True)) == ["access_admin", "view_certificate"]
    assert not Group.objects.get(name=roles.EMPLOYEE).permissions.exists()
    assert Group.objects.get(name=roles.EDITOR).permissions.filter(codename="change_certificatetemplate").exists()
