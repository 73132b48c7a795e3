"""HR reports: who may open them, what the filters select, and downloads that hold exactly that."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.certificates.services import new_code
from assessments.models import Attempt, Certificate
from tests.assessments.conftest import choice_id, make_quiz, single  # noqa: F401 (make_quiz is a fixture)
from tests.factories import EmployeeFactory, TeamFactory, add_course
from training.enrollment.models import Assignment
from training.enrollment.selectors import OVERDUE, assignment_statuses, overdue_assignments
from training.people.models import Employee, Team

REPORTS = ["completions", "attempts", "certificates", "overdue"]
pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def person(name):
    return Employee.objects.get(user__username=name)


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def csv_rows(client, report, **params):
    text = download(client, f"/admin/reports/{report}/", export="csv", **params).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def xlsx_rows(client, report, **params):
    data = download(client, f"/admin/reports/{report}/", export="xlsx", **params)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def certify(employee, course, *, days_ago=10, expires_in=None, revoked=False, cycle=1):
    now = timezone.now()
    return Certificate.objects.create(
        employee=employee, course=course, cycle=cycle, code=new_code(), issued_at=now - timedelta(days=days_ago),
        expires_at=now + timedelta(days=expires_in) if expires_in is not None else None,
        revoked_at=now if revoked else None, score=90,
    )


# Who may see them -------------------------------------------------------------------------------

@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("username", ["amira", "manager.north", "editor"])
def test_only_hr_opens_reports_and_their_downloads(client, report, username):
    login(client, username)
    assert client.get(f"/admin/reports/{report}/").status_code == 403
    assert client.get(f"/admin/reports/{report}/", {"export": "csv"}).status_code == 403


@pytest.mark.parametrize("report", REPORTS)
def test_hr_and_superusers_open_every_report(client, report):
    assert login(client, "hr").get(f"/admin/reports/{report}/").status_code == 200
    assert login(client, "admin").get(f"/admin/reports/{report}/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/reports/certificates/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_reports_menu_lists_academy_reports_for_hr_only(client):
    assert "Overdue assignments" in login(client, "hr").get("/admin/").content.decode()
    assert "Overdue assignments" not in login(client, "editor").get("/admin/").content.decode()


# Certificates -----------------------------------------------------------------------------------

@pytest.fixture
def certificates(course):
    return {
        "valid": certify(person("amira"), course, expires_in=200),
        "expiring": certify(person("ben"), course, expires_in=10),
        "expired": certify(person("felix"), course, days_ago=400, expires_in=-5),
        "revoked": certify(person("grace"), course, revoked=True),
        "old": certify(person("chloe"), course, days_ago=90),
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"valid", "expiring", "expired", "revoked", "old"}),
        ({"status": "valid"}, {"valid", "expiring", "old"}),
        ({"status": "expiring"}, {"expiring"}),
        ({"status": "expiring", "expiring_within": "365"}, {"valid", "expiring"}),
        ({"status": "expired"}, {"expired"}),
        ({"status": "revoked"}, {"revoked"}),
        ({"team": "South store"}, {"expired", "revoked"}),
        ({"issued_from": "{30 days ago}"}, {"valid", "expiring", "revoked"}),
        ({"issued_to": "{30 days ago}"}, {"expired", "old"}),
    ],
)
def test_certificate_filters_and_both_downloads_agree(client, certificates, params, expected):
    login(client, "hr")
    params = dict(params)
    if "team" in params:
        params["team"] = Team.objects.get(name=params["team"]).pk
    for key in ("issued_from", "issued_to"):
        if key in params:
            params[key] = (timezone.localdate() - timedelta(days=30)).isoformat()
    codes = {certificates[name].code for name in expected}
    page = client.get("/admin/reports/certificates/", params).content.decode()
    assert {c.code for c in certificates.values() if c.code in page} == codes
    assert {row["Code"] for row in csv_rows(client, "certificates", **params)} == codes
    assert {row["Code"] for row in xlsx_rows(client, "certificates", **params)} == codes


def test_certificate_rows_carry_the_right_values(client, certificates):
    row = next(r for r in xlsx_rows(login(client, "hr"), "certificates") if r["Code"] == certificates["expired"].code)
    felix = person("felix")
    assert row["Employee"] == felix.user.get_full_name()
    assert row["Employee number"] == felix.employee_number
    assert row["Team"] == "South store"
    due = timezone.localdate(certificates["expired"].expires_at)
    assert row["Status"] == f"Expired · recertification due {due.day} {due:%b %Y}"  # renewal open, not re-passed
    ben = next(r for r in xlsx_rows(client, "certificates") if r["Code"] == certificates["expiring"].code)
    assert ben["Status"].startswith("Valid · recertification due")  # within 30 days of expiry
    amira = next(r for r in xlsx_rows(client, "certificates") if r["Code"] == certificates["valid"].code)
    assert amira["Status"] == "Valid"
    assert row["Course"] == certificates["expired"].course.title
    assert row["Issued"].date() == timezone.localtime(certificates["expired"].issued_at).date()


def test_a_bad_filter_exports_nothing_and_names_the_field(client):
    response = login(client, "hr").get("/admin/reports/certificates/", {"export": "csv", "status": "nonsense"})
    assert response.status_code == 400
    assert "Status" in response.content.decode() and "nonsense" in response.content.decode()
    response = client.get("/admin/reports/certificates/", {"export": "xlsx", "issued_from": "31/31/2026"})
    assert response.status_code == 400 and "Issued between" in response.content.decode()


def test_hostile_names_reach_no_spreadsheet_as_formulas(client, course):
    from tests.dashboards.test_spreadsheets import HOSTILE

    team = TeamFactory(name="=2+3")
    for number, name in enumerate(HOSTILE):
        employee = EmployeeFactory(team=team, user__first_name=name, user__last_name="", employee_number=f"+{number}")
        certify(employee, course)
    rows = csv_rows(login(client, "hr"), "certificates", team=team.pk)
    assert sorted(row["Employee"] for row in rows) == sorted("'" + name.strip() for name in HOSTILE)  # get_full_name strips
    assert {row["Team"] for row in rows} == {"'=2+3"}
    assert all(row["Employee number"].startswith("'+") for row in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, "/admin/reports/certificates/", export="xlsx", team=team.pk)))
    cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert all(not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_report_pages_paginate_and_keep_a_fixed_number_of_queries(client, course, django_assert_max_num_queries):
    login(client, "hr")
    team = TeamFactory()
    for employee in EmployeeFactory.create_batch(3, team=team):
        certify(employee, course)
    client.get("/admin/reports/certificates/")
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/reports/certificates/")
    for employee in EmployeeFactory.create_batch(60, team=team):
        certify(employee, course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/admin/reports/certificates/").content.decode()
    assert "Page 1 of 2" in page


# Attempts and answers ---------------------------------------------------------------------------

@pytest.fixture
def two_attempts(make_quiz):
    from assessments.attempts.services import attempt_start, attempt_submit

    quiz = make_quiz([single("Which is right?"), single("And this one?", right="Yes", wrong="No")], pass_mark=60)
    passed = attempt_start(employee=person("amira"), quiz=quiz)
    attempt_submit(attempt=passed, answers={q["id"]: choice_id(passed, i, "Right" if i == 0 else "Yes") for i, q in enumerate(passed.questions)})
    failed = attempt_start(employee=person("felix"), quiz=quiz)
    attempt_submit(attempt=failed, answers={failed.questions[0]["id"]: choice_id(failed, 0, "Wrong")})
    return quiz, Attempt.objects.get(pk=passed.pk), Attempt.objects.get(pk=failed.pk)


def test_attempt_filters_by_result_course_and_team(client, two_attempts, course, catalog):
    quiz, passed, failed = two_attempts
    login(client, "hr")
    def numbers(**params):
        return {row["Employee number"] for row in csv_rows(client, "attempts", quiz=quiz.pk, **params)}
    assert numbers() == {passed.employee.employee_number, failed.employee.employee_number}
    assert numbers(status="passed") == {passed.employee.employee_number}
    assert numbers(status="failed") == {failed.employee.employee_number}
    assert numbers(team=Team.objects.get(name="North store").pk) == {passed.employee.employee_number}
    row = next(r for r in xlsx_rows(client, "attempts", quiz=quiz.pk, status="passed"))
    assert (row["Course"], row["Quiz"], row["Score"], row["Result"], row["State"]) == (course.title, quiz.title, "100%", "Passed", "Submitted")
    assert len(csv_rows(client, "attempts", course=course.pk)) == 2
    assert csv_rows(client, "attempts", course=add_course(catalog, title="Another course").pk) == []


def test_every_answer_export_lists_each_question_with_its_points(client, two_attempts):
    quiz, passed, failed = two_attempts
    text = download(login(client, "hr"), "/admin/reports/attempts/answers/", export="csv", quiz=quiz.pk).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 4  # two attempts, two questions each
    felix = [r for r in rows if r["Employee number"] == failed.employee.employee_number]
    by_question = {r["Question text"]: r for r in felix}
    assert (by_question["Which is right?"]["Answer"], by_question["Which is right?"]["Points"], by_question["Which is right?"]["Marked"]) == ("Wrong", "0.00", "Incorrect")
    assert (by_question["And this one?"]["Answer"], by_question["And this one?"]["Marked"]) == ("Not answered", "Not answered")
    amira = [r for r in rows if r["Employee number"] == passed.employee.employee_number]
    assert {r["Points"] for r in amira} == {"1.00"} and {r["Out of"] for r in amira} == {"1.00"}


def test_attempts_page_offers_the_answers_download_with_the_same_filters(client, two_attempts):
    quiz, _, _ = two_attempts
    page = login(client, "hr").get("/admin/reports/attempts/", {"quiz": quiz.pk}).content.decode()
    assert f"/admin/reports/attempts/answers/?quiz={quiz.pk}&amp;export=xlsx" in page


# Overdue and completions ------------------------------------------------------------------------

def test_overdue_report_matches_the_assignment_states(client, course):
    hr = get_user_model().objects.get(username="hr")
    now = timezone.now()
    today = timezone.localdate()
    def assign(name, due_in, **extra):
        return Assignment.objects.create(employee=person(name), course=course, due_date=today + timedelta(days=due_in),
                                         assigned_by=hr, assigned_at=now - timedelta(days=60), **extra)
    assign("amira", -3)                       # overdue
    assign("ben", -3); certify(person("ben"), course, days_ago=1)      # done after assignment
    assign("chloe", 5)                        # not due yet
    assign("dev", -1); certify(person("dev"), course, days_ago=100)    # already certified when assigned
    assign("emma", -2, reason="recertification"); certify(person("emma"), course, days_ago=100)  # needs a new one
    assign("felix", -8); certify(person("felix"), course, days_ago=1, revoked=True)  # revoked does not count
    expected = {key for key, status in assignment_statuses(employees=Employee.objects.all()).items() if status.state == OVERDUE}
    assert {(a.employee_id, a.course_id) for a in overdue_assignments()} == expected
    assert {person(n).pk for n in ("amira", "emma", "felix")} == {employee_id for employee_id, _ in expected}
    rows = csv_rows(login(client, "hr"), "overdue")
    assert {(r["Employee number"], r["Days overdue"]) for r in rows} == {
        (person("amira").employee_number, "3"), (person("emma").employee_number, "2"), (person("felix").employee_number, "8")}
    assert {r["Employee number"] for r in csv_rows(client, "overdue", reason="recertification")} == {person("emma").employee_number}
    assert {r["Employee number"] for r in csv_rows(client, "overdue", team=Team.objects.get(name="South store").pk)} == {person("felix").employee_number}


def test_completions_count_active_people_assignments_and_certificates(client, course):
    hr = get_user_model().objects.get(username="hr")
    for name in ("amira", "ben", "felix"):
        Assignment.objects.create(employee=person(name), course=course, due_date=date(2030, 1, 1), assigned_by=hr, assigned_at=timezone.now())
    certify(person("amira"), course, days_ago=5)
    certify(person("ben"), course, days_ago=50)
    certify(person("ben"), course, days_ago=2, cycle=2)   # one person, counted once
    certify(person("chloe"), course, days_ago=3, revoked=True)  # revoked: not a completion
    rows = {(r["Team"], r["Course"]): r for r in csv_rows(login(client, "hr"), "completions", course=course.pk)}
    north = rows["North store", course.title]
    assert (north["Active people"], north["Assigned"], north["Completed"], north["Completion rate"]) == ("5", "2", "2", "40%")
    assert rows["South store", course.title]["Completed"] == "0"
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    rows = {r["Team"]: r for r in xlsx_rows(client, "completions", course=course.pk, completed_from=since)}
    assert rows["North store"]["Completed"] == 2   # amira, and ben's second cycle
    rows = {r["Team"]: r for r in xlsx_rows(client, "completions", course=course.pk, completed_to=(timezone.localdate() - timedelta(days=20)).isoformat())}
    assert rows["North store"]["Completed"] == 1
