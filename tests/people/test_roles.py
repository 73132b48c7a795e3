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


def test_sync_roles_grants_editors_images_and_documents_on_the_root_collection_only(db):
    from wagtail.models import Collection, GroupCollectionPermission

    editor = Group.objects.get(name=roles.EDITOR)
    child = Collection.get_first_root_node().add_child(name="Secret")
    GroupCollectionPermission.objects.create(  # drifted: a grant the role does not list
        group=editor, collection=child, permission=Permission.objects.get(codename="delete_image")
    )
    call_command("sync_roles", stdout=__import__("io").StringIO())
    granted = GroupCollectionPermission.objects.filter(group=editor)
    assert {p.collection.depth for p in granted} == {1}
    assert sorted(granted.values_list("permission__codename", flat=True)) == [
        "add_document", "add_image", "change_document", "change_image", "choose_document", "choose_image",
    ]
    assert not GroupCollectionPermission.objects.filter(group__name=roles.HR).exists()
    assert not editor.permissions.filter(codename="view_certificate").exists()  # certificates are HR's
