"""Every URL that takes an object id, for every role: only what the role allows, else 404.
Then the admin's role gaps: nobody grades their own answers, certificates are listed to HR only
(the snippet chooser included), editors work with images and documents."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Certificate, Response
from assessments.attempts.services import GradingRefused, attempt_start, attempt_submit, response_grade
from tests.assessments.conftest import complete_course, make_quiz  # noqa: F401 (fixture)
from training.enrollment.models import Assignment
from training.enrollment.services import assignment_create
from training.people import roles
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
    hr = Employee.objects.get(user__username="hr")
    hr.team = Team.objects.create(name="Head office", manager=Employee.objects.get(user__username="manager.south"))
    hr.save()
    own = attempt_start(employee=hr, quiz=written)  # HR's own written answer: their manager grades it
    attempt_submit(attempt=own, answers={own.questions[0]["id"]: "Because I say so"})
    open_attempt = attempt_start(employee=amira, quiz=make_quiz(title="Open"))
    assignment_create(employees=[amira], course=course, due_date=timezone.localdate() + timedelta(days=5),
                      assigned_by=User.objects.get(username="hr"))
    return {
        "amira": amira,
        "attempt": open_attempt,
        "response": Response.objects.get(attempt=graded),
        "hr_response": Response.objects.get(attempt=own),
        "certificate": Certificate.objects.get(employee=amira),
        "assignment": Assignment.objects.get(employee=amira),
    }


def requests(o):
    """(name, method, url) for every URL with an object id."""
    return [
        ("attempt_take", "get", reverse("attempt_take", args=[o["attempt"].pk])),
        ("attempt_autosave", "post", reverse("attempt_autosave", args=[o["attempt"].pk])),
        ("response_grade", "get", reverse("response_grade", args=[o["response"].pk])),
        ("response_grade_of_hr", "get", reverse("response_grade", args=[o["hr_response"].pk])),
        ("certificate_download", "get", reverse("certificate_download", args=[o["certificate"].code])),
        ("certificate_manage", "get", reverse("certificate_manage", args=[o["certificate"].code])),
        ("team_member", "get", reverse("team_member", args=[o["amira"].pk])),
        ("team_member_unlock", "post", reverse("team_member_unlock", args=[o["amira"].pk])),
        ("assignment_remind", "post", reverse("assignment_remind", args=[o["assignment"].pk])),
        ("team_member_invite", "post", reverse("team_member_invite", args=[o["amira"].pk])),
    ]


ALLOWED = {
    "attempt_take": {"amira"},
    "attempt_autosave": {"amira"},
    "response_grade": {"manager.north", "hr"},
    "response_grade_of_hr": {"manager.south"},  # never HR themself; another HR person may (below)
    "certificate_download": {"amira", "manager.north", "hr"},
    "certificate_manage": {"hr"},
    "team_member": {"manager.north", "hr"},
    "team_member_unlock": {"hr"},
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


# --- grading: nobody grades their own answers ------------------------------------------------------


def test_nobody_sees_their_own_answers_in_the_grading_queue_or_may_grade_them(client, objects):
    hr = User.objects.get(username="hr")
    client.force_login(hr)
    queue = client.get(reverse("grading_queue")).content.decode()
    assert reverse("response_grade", args=[objects["response"].pk]) in queue
    assert reverse("response_grade", args=[objects["hr_response"].pk]) not in queue
    own = objects["hr_response"]
    assert client.post(reverse("response_grade", args=[own.pk]), {"points": "1"}).status_code == 404
    with pytest.raises(GradingRefused, match="nobody grades their own"):
        response_grade(response=own, grader=hr, points=Decimal(1))  # the service holds the rule too
    own.refresh_from_db()
    assert own.manual_points is None

    client.force_login(User.objects.get(username="manager.south"))  # HR's manager
    assert reverse("response_grade", args=[own.pk]) in client.get(reverse("grading_queue")).content.decode()


def test_another_hr_person_grades_hr_answers(client, objects):
    colleague = User.objects.create_user("hr.two", first_name="Hugh", last_name="Second")
    colleague.groups.add(Group.objects.get(name=roles.HR))
    client.force_login(colleague)
    own = objects["hr_response"]
    assert reverse("response_grade", args=[own.pk]) in client.get(reverse("grading_queue")).content.decode()
    assert client.post(reverse("response_grade", args=[own.pk]), {"points": "1"}).status_code == 302
    own.refresh_from_db()
    assert own.manual_points == 1 and own.graded_by == colleague


def test_a_manager_cannot_grade_someone_outside_their_teams_through_the_service(objects):
    with pytest.raises(GradingRefused):
        response_grade(response=objects["response"], grader=User.objects.get(username="manager.south"), points=Decimal(1))


# --- certificates in the admin: HR only ----------------------------------------------------------


def certificate_admin_urls(certificate):
    chooser = "/admin/snippets/choose/assessments/certificate/"
    return [
        chooser,
        f"{chooser}results/",
        f"{chooser}results/?q=Amira",
        f"{chooser}chosen/{certificate.pk}/",
        "/admin/snippets/assessments/certificate/",
        f"/admin/snippets/assessments/certificate/inspect/{certificate.pk}/",
        f"/admin/snippets/assessments/certificate/usage/{certificate.pk}/",
    ]


@pytest.mark.parametrize("username", ["editor", "manager.north", "amira"])
def test_certificates_are_listed_to_hr_only_choosers_included(client, objects, username):
    client.force_login(User.objects.get(username=username))
    for url in certificate_admin_urls(objects["certificate"]):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        html = response.content.decode()
        assert objects["certificate"].code not in html and str(objects["certificate"]) not in html, url


def test_hr_can_use_the_certificate_chooser(client, objects):
    client.force_login(User.objects.get(username="hr"))
    chooser = "/admin/snippets/choose/assessments/certificate/"
    assert client.get(chooser).status_code == 200
    assert str(objects["certificate"]) in client.get(f"{chooser}results/").content.decode()


# --- editors: images and documents -----------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def test_editors_open_images_and_documents_and_upload(client, db):
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    client.force_login(User.objects.get(username="editor"))
    for url in ("/admin/images/", "/admin/documents/", "/admin/images/add/", "/admin/documents/add/"):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/admin/images/add/", {"title": "Counter", "file": SimpleUploadedFile("counter.png", PNG, "image/png")}
    )
    assert response.status_code == 302 and Image.objects.filter(title="Counter").exists()
    response = client.post(
        "/admin/documents/add/", {"title": "Checklist", "file": SimpleUploadedFile("checklist.txt", b"Greet", "text/plain")}
    )
    assert response.status_code == 302 and Document.objects.filter(title="Checklist").exists()
    image = Image.objects.get(title="Counter")
    assert client.get(f"/admin/images/{image.pk}/").status_code == 200  # and edit what they uploaded
    assert client.get("/admin/images/chooser/").status_code == 200
    assert client.get("/admin/documents/chooser/").status_code == 200


@pytest.mark.django_db
def test_a_refused_page_says_why_in_the_site_layout(client):
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(reverse("people_roster_import"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This page is not for your role" in page and "Loyalty Academy" in page and "My learning" in page
