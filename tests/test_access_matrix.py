"""Every URL that takes an object id, for every role: only what the role allows, else 404."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Certificate, Response
from assessments.services import attempt_start, attempt_submit
from tests.assessments.conftest import complete_course, make_quiz  # noqa: F401 (fixture)
from training.enrollment.models import Assignment
from training.enrollment.services import assignment_create
from training.people.models import Employee, Team

pytestmark = pytest.mark.django_db
User = get_user_model()
ROLES = ["amira", "ben", "felix", "manager.north", "manager.south", "hr", "editor"]


@pytest.fixture
def objects(course, make_quiz, django_capture_on_commit_callbacks):
    amira = Employee.objects.get(user__username="amira")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(amira, course)
    written = make_quiz([("written", {"prompt": "Why?", "points": "1"})], title="Written")
    graded = attempt_start(employee=amira, quiz=written)
    attempt_submit(attempt=graded, answers={graded.questions[0]["id"]: "Because"})
    open_attempt = attempt_start(employee=amira, quiz=make_quiz(title="Open"))
    assignment_create(employees=[amira], course=course, due_date=timezone.localdate() + timedelta(days=5),
                      assigned_by=User.objects.get(username="hr"))
    return {
        "amira": amira,
        "attempt": open_attempt,
        "response": Response.objects.get(attempt=graded),
        "certificate": Certificate.objects.get(employee=amira),
        "assignment": Assignment.objects.get(employee=amira),
    }


def requests(o):
    """(name, method, url) for every URL with an object id."""
    return [
        ("attempt_take", "get", reverse("attempt_take", args=[o["attempt"].pk])),
        ("attempt_autosave", "post", reverse("attempt_autosave", args=[o["attempt"].pk])),
        ("response_grade", "get", reverse("response_grade", args=[o["response"].pk])),
        ("certificate_download", "get", reverse("certificate_download", args=[o["certificate"].code])),
        ("certificate_manage", "get", reverse("certificate_manage", args=[o["certificate"].code])),
        ("team_member", "get", reverse("team_member", args=[o["amira"].pk])),
        ("assignment_remind", "post", reverse("assignment_remind", args=[o["assignment"].pk])),
        ("team_member_invite", "post", reverse("team_member_invite", args=[o["amira"].pk])),
    ]


ALLOWED = {
    "attempt_take": {"amira"},
    "attempt_autosave": {"amira"},
    "response_grade": {"manager.north", "hr"},
    "certificate_download": {"amira", "manager.north", "hr"},
    "certificate_manage": {"hr"},
    "team_member": {"manager.north", "hr"},
    "assignment_remind": {"manager.north", "hr"},
    "team_member_invite": {"hr"},
}


def status_of(client, method, url):
    if method == "post":
        return client.post(url, '{"answers": {}}', content_type="application/json").status_code
    return client.get(url).status_code


@pytest.mark.parametrize("username", ROLES)
def test_each_role_reaches_only_what_it_may(client, objects, username):
    client.force_login(User.objects.get(username=username))
    for name, method, url in requests(objects):
        status = status_of(client, method, url)
        if username in ALLOWED[name]:
            assert status in (200, 302), (name, username, status)
        else:
            assert status == 404, (name, username, status)


def test_anonymous_visitors_are_sent_to_log_in(client, objects):
    for name, method, url in requests(objects):
        response = client.post(url) if method == "post" else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_access_moves_with_the_employee(client, objects):
    amira = objects["amira"]
    amira.team = Team.objects.get(name="South store")
    amira.save()
    manager_only = ["response_grade", "certificate_download", "team_member", "assignment_remind"]
    for username, expected in (("manager.north", {404}), ("manager.south", {200, 302})):
        client.force_login(User.objects.get(username=username))
        for name, method, url in requests(objects):
            if name in manager_only:
                assert status_of(client, method, url) in expected, (name, username)
