"""Ids too large for the database (above 2**63 - 1), wherever a request can carry one: never a
500. A URL answers 404; a filter or form names the field (`training.ids`)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from training.ids import MAX_ID, IdConverter, parse_id

pytestmark = pytest.mark.django_db
User = get_user_model()
HUGE = [2**63, 2**64, 10**30]
OUR_PACKAGES = ("training.", "modules.", "assessments.")


def _patterns(resolver=None, prefix=()):
    """(the patterns leading to it, the URL pattern, the module of the urlconf listing it)."""
    resolver = resolver or get_resolver()
    module = getattr(resolver.urlconf_module, "__name__", "")
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, (*prefix, entry.pattern))
        else:
            yield (*prefix, entry.pattern), entry, module


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_NUMBER_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]*\|)?\\d\+\)")


def _fill(pattern, number: int) -> str | None:
    """The pattern's own piece of URL with every id parameter set to `number` (others made up)."""
    if isinstance(pattern, RoutePattern):
        def value(match):
            converter = pattern.converters[match["name"]]
            if isinstance(converter, (IntConverter, IdConverter)):
                return str(number)
            return {"uuid": "12345678-1234-5678-1234-567812345678"}.get(match["converter"], "x")

        return _ROUTE_PARAM.sub(value, str(pattern._route))
    regex = pattern.regex.pattern
    if not _NUMBER_GROUP.search(regex):
        return None if pattern.regex.groups else regex.lstrip("^").rstrip("$")
    text = _NUMBER_GROUP.sub(str(number), regex).lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<\w+>(\w+)(?:\|\w+)*\)", r"\1", text)  # live|earliest -> live
    return text.replace("\\.", ".")


def _takes_an_id(patterns) -> bool:
    for pattern in patterns:
        if isinstance(pattern, RoutePattern):
            if any(isinstance(c, (IntConverter, IdConverter)) for c in pattern.converters.values()):
                return True
        elif _NUMBER_GROUP.search(pattern.regex.pattern):
            return True
    return False


def id_urls():
    """Every URL pattern with an id parameter, ours and Wagtail's and Django's, from the resolver."""
    found = []
    for patterns, _, _ in _patterns():
        if not _takes_an_id(patterns):
            continue
        for number in HUGE:
            pieces = [_fill(pattern, number) for pattern in patterns]
            if None not in pieces:
                found.append(pytest.param("/" + "".join(pieces), id=f"{''.join(map(str, patterns))}={number}"))
    return found


URLS = id_urls()


def test_the_resolver_finds_our_id_urls():
    urls = [param.values[0] for param in URLS]
    assert f"/learning/quizzes/{2**64}/start/" in urls
    assert f"/admin/reports/questions/{10**30}/" in urls
    assert len(urls) > 100  # Wagtail's admin too


def test_our_urls_write_ids_with_the_bounded_converter():
    """`<int:...>` takes any digits to the database; our urls.py files use `<id:...>`."""
    ours = [patterns for patterns, _, module in _patterns() if module.startswith(OUR_PACKAGES)]
    assert any("".join(map(str, patterns)) == "learning/quizzes/<id:quiz_id>/start/" for patterns in ours)
    unbounded = [
        "".join(map(str, patterns))
        for patterns in ours
        if any(isinstance(p, RoutePattern) and any(isinstance(c, IntConverter) for c in p.converters.values()) for p in patterns)
    ]
    assert unbounded == []


@pytest.mark.parametrize("url", URLS)
def test_no_url_answers_500_for_an_id_too_large(client, url):
    for username in ("admin", "hr", "amira"):  # superuser: Wagtail's own views too
        client.force_login(User.objects.get(username=username))
        for method in (client.get, client.post):
            response = method(url)  # the test client raises any exception a view lets through
            assert response.status_code < 500, (username, method.__name__, url)


@pytest.mark.parametrize("name, kwargs", [
    ("quiz_start", {"quiz_id": 0}), ("lesson_complete", {"lesson_id": 0}),
    ("question_statistics_quiz", {"quiz_pk": 0}), ("team_member", {"employee_id": 0}),
    ("question_import", {"quiz_pk": 0}), ("question_export", {"quiz_pk": 0}),
])
def test_our_id_urls_answer_404(client, name, kwargs):
    client.force_login(User.objects.get(username="hr"))
    for number in (MAX_ID, MAX_ID + 1, 10**30):
        url = reverse(name, kwargs={key: 1 for key in kwargs}).replace("/1/", f"/{number}/")
        assert client.post(url).status_code == 404, url


def test_parse_id_takes_1_to_the_largest_bigint_in_ascii_digits():
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID and parse_id(42) == 42
    for bad in ("0", str(MAX_ID + 1), str(10**30), "-1", "+1", " 1", "1.0", "١٢", "²", "", "abc", "9" * 5000):
        assert parse_id(bad) is None, bad


# Filters and forms: a 4xx or a form error naming the field, nothing written.

REPORT_FILTERS = [
    ("academy_report_completions", "course", "Course"),
    ("academy_report_completions", "team", "Team"),
    ("academy_report_attempts", "course", "Course"),
    ("academy_report_attempts", "quiz", "Quiz"),
    ("academy_report_attempts", "team", "Team"),
    ("academy_report_responses", "quiz", "Quiz"),
    ("academy_report_certificates", "course", "Course"),
    ("academy_report_certificates", "team", "Team"),
    ("academy_report_overdue", "course", "Course"),
    ("academy_report_overdue", "team", "Team"),
]


@pytest.fixture
def hr_client(client):
    client.force_login(User.objects.get(username="hr"))
    return client


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("report, field, label", REPORT_FILTERS)
def test_every_report_filter_refuses_an_id_too_large(hr_client, report, field, label, number):
    url = reverse(report)
    for fmt in ("csv", "xlsx"):
        response = hr_client.get(url, {field: number, "export": fmt})
        assert response.status_code == 400
        assert response.content.decode().startswith(f"Nothing exported. Check the filters — {label}: Select a valid choice")
    if report != "academy_report_responses":  # download only; its page is the attempts report
        page = hr_client.get(url, {field: number})
        assert page.status_code == 400
        assert page.context["filters"].errors[field]
        assert hr_client.get(reverse(f"{report}_results"), {field: number}).status_code == 200


def test_the_question_statistics_list_ignores_a_huge_quiz_parameter(hr_client):
    assert hr_client.get(reverse("question_statistics"), {"quiz": 2**64}).status_code == 200


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("field, label", [("course", "Course"), ("team", "Team")])
def test_the_certificate_zip_form_refuses_an_id_too_large(hr_client, field, label, number):
    from training.dashboards.models import CertificateExport

    response = hr_client.post(reverse("certificate_export_start"), {field: str(number)})
    assert response.status_code == 400
    assert f"{label}: Select a valid choice" in response.content.decode()
    assert not CertificateExport.objects.exists()


@pytest.mark.parametrize("username", ["hr", "manager.north"])
@pytest.mark.parametrize("params, problem", [
    ({"team": 2**63}, "Team: “9223372036854775808” is not a team."),
    ({"team": 10**30}, "Team: “1000000000000000000000000000000” is not a team."),
    ({"team": "north"}, "Team: “north” is not a team."),
    ({"course": 2**64}, "Course: “18446744073709551616” is not one of the courses listed."),
    ({"sort": "percent"}, "Sort by: “percent” is not one of Name, Progress, Due date."),
    ({"state": "late"}, "Status: “late” is not one of Not started, In progress, Overdue, Completed, Recertification due, Expired."),
])
def test_the_team_grid_names_a_bad_filter(client, username, params, problem):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("team"), params)
    assert response.status_code == 400
    assert problem in response.content.decode()


def test_the_team_grid_takes_any_possible_team_id(hr_client):
    """The largest id is an id (not "not a team"); no team has it, so it is named as not listed."""
    response = hr_client.get(reverse("team"), {"team": MAX_ID})
    assert response.status_code == 400
    assert f"Team: “{MAX_ID}” is not one of the teams listed." in response.content.decode()


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("field, value", [("course", "{n}"), ("team", "{n}"), ("people", ["{n}"])])
def test_the_assign_form_names_a_field_with_an_id_too_large(hr_client, course, field, value, number):
    from training.enrollment.models import Assignment
    from training.people.models import Employee

    amira = Employee.objects.get(user__username="amira")
    data = {"course": course.pk, "people": [amira.pk], "due_date": "2999-01-01"}
    data[field] = [v.format(n=number) for v in value] if isinstance(value, list) else value.format(n=number)
    response = hr_client.post(reverse("assignment_create"), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("url", [
    "/admin/snippets/assessments/certificate/?course={n}",
    "/admin/snippets/assessments/certificate/results/?course={n}",
    "/admin/users/?group={n}",
    "/admin/pages/{root}/?content_type={n}",
    "/admin/pages/{root}/?owner={n}",
    "/admin/pages/{root}/?site={n}",
    "/admin/reports/site-history/?user={n}",
])
def test_admin_listing_filters_never_answer_500(client, catalog, url, number):
    """Our certificate listing names the filter; Wagtail's own filters are 400 at worst."""
    client.force_login(User.objects.get(username="admin"))
    response = client.get(url.format(n=number, root=catalog.pk))
    assert response.status_code in (200, 400)
    if "certificate/?" in url:
        assert response.status_code == 200 and response.context["filters"].errors["course"]


def test_an_overflow_in_a_view_not_ours_is_a_400(rf):
    from training.ids import IdTooLargeMiddleware

    response = IdTooLargeMiddleware(lambda request: None).process_exception(rf.get("/"), OverflowError("too big"))
    assert response.status_code == 400 and b"too large to be an id" in response.content
    assert IdTooLargeMiddleware(lambda request: None).process_exception(rf.get("/"), ValueError()) is None


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("course", [str(2**64), "abc"])
def test_the_certificate_list_export_refuses_an_invalid_course_filter(client, export, course):
    """As the HTML list does, instead of exporting every certificate unfiltered."""
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/admin/snippets/assessments/certificate/", {"course": course, "export": export})
    assert response.status_code == 400
    assert response.content.decode() == "Nothing exported. Course: Select a valid choice. That choice is not one of the available choices."


def test_the_certificate_list_export_still_exports_with_a_valid_filter(client, course):
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/admin/snippets/assessments/certificate/", {"course": course.pk, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
