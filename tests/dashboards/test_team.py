"""The manager's team dashboard: who sees whom, filters, the picture, drill-down, fixed queries."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from training.people.models import Employee, Team
from tests.assessments.conftest import complete_course

pytestmark = pytest.mark.django_db
User = get_user_model()
NORTH = ["Amira Haddad", "Ben Carter", "Chloe Dubois", "Dev Patel", "Emma Lindqvist"]
SOUTH = ["Felix Wagner", "Grace Kim", "Hugo Martin", "Isla Murphy", "Jonas Berg"]


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_manager_sees_their_team_and_hr_everyone(client):
    html = login(client, "manager.north").get(reverse("team")).content.decode()
    assert all(name in html for name in NORTH) and not any(name in html for name in SOUTH)
    html = login(client, "hr").get(reverse("team")).content.decode()
    assert all(name in html for name in NORTH + SOUTH)


def test_employees_have_no_team_page(client):
    assert login(client, "amira").get(reverse("team")).status_code == 404
    amira = Employee.objects.get(user__username="amira")
    assert client.get(reverse("team_member", args=[amira.pk])).status_code == 404


def test_completion_shows_in_grid_picture_and_filters(client, course):
    amira = Employee.objects.get(user__username="amira")
    complete_course(amira, course)
    login(client, "manager.north")
    html = client.get(reverse("team")).content.decode()
    assert f"{course.title}: 4 not started, 0 in progress, 0 overdue, 1 completed" in html
    completed = client.get(reverse("team"), {"state": "completed"}).content.decode()
    assert "Amira Haddad" in completed and "Ben Carter" not in completed
    assert "best 100%" in completed and "Certificate valid" in completed
    by_progress = client.get(reverse("team"), {"sort": "progress"}).content.decode()
    assert by_progress.index("Ben Carter") < by_progress.index("Amira Haddad")
    empty = client.get(reverse("team"), {"state": "completed", "team": Team.objects.get(name="North store").pk}).content.decode()
    assert "Nobody matches these filters" not in empty
    assert "Nobody matches these filters" in client.get(reverse("team"), {"state": "overdue"}).content.decode()


@pytest.mark.parametrize("params, problem", [
    ({"team": "south"}, "Team: “{south}” is not one of the teams listed."),  # another manager's team
    ({"team": "south", "state": "completed"}, "Team: “{south}” is not one of the teams listed."),
    ({"team": 999_999}, "Team: “999999” is not one of the teams listed."),
    ({"state": "x"}, "Status: “x” is not one of Not started, In progress, Overdue, Completed, Recertification due, Expired."),
    ({"sort": "<script>"}, "Sort by: “&lt;script&gt;” is not one of Name, Progress, Due date."),
])
def test_a_filter_the_grid_does_not_offer_is_named_not_shown_as_all(client, params, problem):
    """A stale or hand-edited link: a team that is not the manager's showed nobody under a Team
    filter reading "All teams", and an unknown status or sort quietly showed everyone."""
    south = Team.objects.get(name="South store").pk
    params = {key: south if value == "south" else value for key, value in params.items()}
    response = login(client, "manager.north").get(reverse("team"), params)
    html = response.content.decode()
    assert response.status_code == 400
    assert problem.replace("{south}", str(south)) in html
    assert not any(name in html for name in NORTH + SOUTH)


def test_drill_down_shows_attempts_and_certificates(client, course):
    amira = Employee.objects.get(user__username="amira")
    complete_course(amira, course)
    html = login(client, "manager.north").get(reverse("team_member", args=[amira.pk])).content.decode()
    assert "Quiz: Loyalty is not satisfaction" in html and "100%" in html and "valid" in html


def test_access_follows_a_move_to_another_team(client):
    amira = Employee.objects.get(user__username="amira")
    url = reverse("team_member", args=[amira.pk])
    assert login(client, "manager.north").get(url).status_code == 200
    assert login(client, "manager.south").get(url).status_code == 404
    amira.team = Team.objects.get(name="South store")
    amira.save()
    assert login(client, "manager.north").get(url).status_code == 404
    assert login(client, "manager.south").get(url).status_code == 200


def test_a_manager_of_managers_sees_the_teams_below(client):
    north_manager = Employee.objects.get(user__username="manager.north")
    regional = Employee.objects.create(user=User.objects.create(username="regional"), employee_number="R1")
    Team.objects.create(name="Region", manager=regional)
    north_manager.team = Team.objects.get(name="Region")
    north_manager.save()
    html = login(client, "regional").get(reverse("team")).content.decode()
    assert "Nadia Okafor" in html and all(name in html for name in NORTH) and not any(name in html for name in SOUTH)


def _add_people(team, count):
    users = User.objects.bulk_create(User(username=f"bulk{n}", first_name="Bulk", last_name=f"{n:04d}") for n in range(count))
    Employee.objects.bulk_create(Employee(user=u, employee_number=f"B{n:05d}", team=team) for n, u in enumerate(users))


def _add_history(employees, course, manager):
    """Lessons done, attempts, a certificate and an assignment for every other person; for some of
    the others, only a certificate whose renewal is open (so the first page has someone in a
    renewal cycle whatever the sort, progress included)."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Attempt, Certificate
    from modules.models import LessonCompletion, LessonPage, QuizPage
    from training.enrollment.models import Assignment

    lesson, quiz, now = LessonPage.objects.live().child_of(course).first(), QuizPage.objects.live().child_of(course).first(), timezone.now()
    some = employees[::2]
    LessonCompletion.objects.bulk_create(LessonCompletion(employee=e, lesson=lesson) for e in some)
    Attempt.objects.bulk_create(Attempt(employee=e, quiz=quiz, number=1, questions=[], state="submitted", started_at=now,
                                        percentage=90) for e in some)
    Certificate.objects.bulk_create(Certificate(employee=e, course=course, code=f"bulk-{e.pk}", issued_at=now - timedelta(days=400),
                                                expires_at=now - timedelta(days=35)) for e in some[::3] + employees[1::2][::3])
    Assignment.objects.bulk_create(Assignment(employee=e, course=course, assigned_by=manager, assigned_at=now,
                                              due_date=timezone.localdate() + timedelta(days=e.pk % 20 - 10)) for e in some)


@pytest.mark.parametrize("query", ["", "?sort=due", "?state=overdue&sort=name&team=", "?sort=progress"])
def test_dashboard_queries_do_not_grow_with_the_team(client, course, django_assert_num_queries, query):
    """A fixed number of queries for 5 or 500 people, with or without their history, filtered or
    sorted (by name, due date or progress: the same count, the database sorting by progress)."""
    login(client, "manager.north")
    url, north, manager = reverse("team") + query, Team.objects.get(name="North store"), User.objects.get(username="manager.north")
    _add_history(list(Employee.objects.filter(team=north)), course, manager)
    client.get(url)
    with django_assert_num_queries(EXPECTED_QUERIES):
        assert client.get(url).status_code == 200  # 5 people
    _add_people(north, 495)
    _add_history(list(Employee.objects.filter(team=north, employee_number__startswith="B")), course, manager)
    with django_assert_num_queries(EXPECTED_QUERIES):
        response = client.get(url)  # 500 people, first page of 50 shown
    if not query:
        assert "Page 1 of 10" in response.content.decode()


# session, user, the people visible (4: teams managed, down the tree, anyone else), courses, the
# states (1, `course_states`; outlines come from the cached course tree), the people in order (by
# name, or by `progress_figure`), the page's people, its progress (`progress_matrix`: certificates,
# lessons, attempts, two more as someone is in a renewal cycle), its assignments, the grading
# count (4: it finds who is visible again) and the teams for the filter.
EXPECTED_QUERIES = 21


def test_assigned_course_shows_due_dates_overdue_first_and_a_reminder_button(client, course, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from training.enrollment.models import Assignment
    from training.enrollment.services import assignment_create

    manager = User.objects.get(username="manager.north")
    amira, ben = Employee.objects.get(user__username="amira"), Employee.objects.get(user__username="ben")
    today = timezone.localdate()
    assignment_create(employees=[amira, ben], course=course, due_date=today + timedelta(days=10), assigned_by=manager)
    Assignment.objects.filter(employee=ben).update(due_date=today - timedelta(days=2))
    html = login(client, "manager.north").get(reverse("team"), {"state": "overdue"}).content.decode()
    assert "Ben Carter" in html and "Amira Haddad" not in html and "Overdue" in html
    by_due = client.get(reverse("team"), {"sort": "due"}).content.decode()
    assert by_due.index("Ben Carter") < by_due.index("Amira Haddad") < by_due.index("Chloe Dubois")
    sent = len(mailoutbox)
    client.post(reverse("assignment_remind", args=[Assignment.objects.get(employee=ben).pk]), {"next": reverse("team")})
    assert len(mailoutbox) == sent + 1 and mailoutbox[-1].to == [ben.user.email]
    mine = login(client, "ben").get(reverse("my_learning")).content.decode()
    assert "Assigned to you" in mine and "(overdue)" in mine
