"""The signed-in user is loaded once per request with what every page asks of it (training/people/
sso.py session_user): their Employee, whether they manage a team, whether they hold any permission."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from training.people.sso import PasswordBackend, session_user


def _nav(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(reverse("my_learning")).content.decode()


@pytest.mark.parametrize(
    "username, sees_team, sees_admin",
    [("amira", False, False), ("manager.north", True, False), ("hr", True, True), ("editor", False, True)],
)
def test_the_navigation_shows_my_team_and_admin_by_role(db, client, username, sees_team, sees_admin):
    html = _nav(client, username)
    assert (f'href="{reverse("team")}"' in html) is sees_team
    assert (f'href="{reverse("wagtailadmin_home")}"' in html) is sees_admin


def test_one_query_loads_the_user_with_employee_and_flags(db, django_assert_num_queries):
    amira = get_user_model().objects.get(username="amira")
    with django_assert_num_queries(1):
        user = session_user(amira.pk)
        assert user.employee.user_id == amira.pk
        assert (user.manages_team, user.has_permissions) == (False, False)
        assert PasswordBackend().get_all_permissions(user) == set()  # known without a query
    assert session_user(get_user_model().objects.get(username="manager.north").pk).manages_team is True


def test_permissions_come_from_the_user_and_their_groups_in_one_query(db, django_assert_num_queries):
    backend = PasswordBackend()
    hr = session_user(get_user_model().objects.get(username="hr").pk)
    amira = get_user_model().objects.get(username="amira")
    amira.user_permissions.add(Permission.objects.get(codename="view_certificatetemplate"))
    amira = session_user(amira.pk)
    with django_assert_num_queries(2):
        assert {"wagtailadmin.access_admin", "assessments.view_certificate"} <= backend.get_all_permissions(hr)
        assert backend.get_all_permissions(amira) == {"assessments.view_certificatetemplate"}
    superuser = get_user_model().objects.create_superuser("root", "root@academy.example", "x")
    assert backend.get_all_permissions(session_user(superuser.pk)) == {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    amira.is_active = False
    assert backend.get_all_permissions(amira) == set()


def test_a_deactivated_person_is_not_loaded_by_the_password_backend(db):
    amira = get_user_model().objects.get(username="amira")
    get_user_model().objects.filter(pk=amira.pk).update(is_active=False)
    assert PasswordBackend().get_user(amira.pk) is None
    assert PasswordBackend().get_user(10**9) is None
