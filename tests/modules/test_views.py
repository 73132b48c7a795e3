import pytest
from django.test import Client
from django.urls import reverse

from wagtail.models import Page

from modules.models import LessonCompletion, LessonPage, QuizPage
from tests.factories import UserFactory, add_course, add_lesson


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


@pytest.fixture
def steps(course):
    """Every lesson and quiz of the course, in order: what progress counts."""
    return list(Page.objects.live().child_of(course).order_by("path"))


def test_anonymous_visitors_are_sent_to_log_in(client, catalog, course, lessons):
    for url in ("/", course.url, lessons[0].url, reverse("my_learning")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_anonymous_cannot_complete_a_lesson(client, lessons):
    response = client.post(reverse("lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not LessonCompletion.objects.exists()


def test_employee_cannot_reach_the_wagtail_admin(employee_client):
    response = employee_client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_lesson_page_shows_position_progress_and_mark_done(employee_client, lessons, steps):
    response = employee_client.get(lessons[1].url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Step {[s.pk for s in steps].index(lessons[1].pk) + 1} of {len(steps)}" in html
    assert "Mark lesson as done" in html
    assert f"0 of {len(steps)} done" in html
    assert all(step.title in html for step in steps)  # the course outline


def test_marking_a_lesson_done_moves_course_progress_and_repeats_harmlessly(employee_client, employee, lessons, steps):
    url = reverse("lesson_complete", args=[lessons[0].pk])
    first = employee_client.post(url, follow=True)
    assert first.redirect_chain[0][0] == lessons[0].url
    html = first.content.decode()
    assert "marked as done" in html and "Lesson done" in html and "Mark lesson as done" not in html
    assert f"1 of {len(steps)} done" in html

    again = employee_client.post(url, follow=True)
    assert "already marked as done" in again.content.decode()
    assert LessonCompletion.objects.filter(employee=employee).count() == 1

    home = employee_client.get(reverse("my_learning")).content.decode()
    assert f"1 of {len(steps)} done" in home
    assert f"Continue with “{steps[1].title}”" in home


def test_mark_done_needs_post_and_csrf(employee, lessons):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee.user)
    url = reverse("lesson_complete", args=[lessons[0].pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not LessonCompletion.objects.exists()


def test_mark_done_refuses_unknown_or_unpublished_lessons_and_non_employees(employee_client, client, lessons):
    lessons[0].unpublish()
    assert employee_client.post(reverse("lesson_complete", args=[lessons[0].pk])).status_code == 404
    assert employee_client.post(reverse("lesson_complete", args=[999999])).status_code == 404
    client.force_login(UserFactory())  # a login with no employee profile
    assert client.post(reverse("lesson_complete", args=[lessons[1].pk])).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_completing_every_lesson_without_quizzes_is_not_the_whole_course(employee_client, employee, lessons, steps):
    for lesson in lessons:
        LessonCompletion.objects.create(employee=employee, lesson=lesson)
    html = employee_client.get(reverse("my_learning")).content.decode()
    assert f"{len(lessons)} of {len(steps)} done" in html and "Every lesson done" not in html


def test_my_learning_without_employee_profile_and_without_courses(client, course):
    client.force_login(UserFactory())
    assert "no employee profile" in client.get(reverse("my_learning")).content.decode()
    course.unpublish()
    assert "No courses are published yet" in client.get(reverse("my_learning")).content.decode()


# Query counts: the same whatever the number of courses, lessons, completions, attempts,
# certificates and assignments.
def _grow(catalog, employee):
    """More courses, lessons, quizzes, completions, attempts, certificates and assignments."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Certificate
    from assessments.attempts.services import attempt_start, attempt_submit
    from tests.assessments.conftest import single
    from training.enrollment.models import Assignment

    for c in range(3):
        extra = add_course(catalog, title=f"Extra course {c}")
        for n in range(4):
            lesson = add_lesson(extra, title=f"Extra lesson {c}.{n}")
            LessonCompletion.objects.create(employee=employee, lesson=lesson)
        quiz = QuizPage(title=f"Extra quiz {c}", questions=[{"type": t, "value": v} for t, v in [single()]])
        extra.add_child(instance=quiz)
        quiz.save_revision().publish()
        attempt_submit(attempt=attempt_start(employee=employee, quiz=quiz))
        attempt_start(employee=employee, quiz=quiz)
        Assignment.objects.create(employee=employee, course=extra, assigned_at=timezone.now(),
                                  due_date=timezone.localdate() + timedelta(days=c * 10 - 5))
        if c == 0:
            Certificate.objects.create(employee=employee, course=extra, code=f"grow-{c}", issued_at=timezone.now())


@pytest.mark.parametrize("view", ["catalog", "course", "lesson", "my_learning"])
def test_page_views_run_a_fixed_number_of_queries(view, employee_client, employee, catalog, course, lessons, django_assert_num_queries):
    url = {"catalog": "/", "course": course.url, "lesson": lessons[2].url, "my_learning": reverse("my_learning")}[view]
    employee_client.get(url)  # the course tree is built once, then cached until a page changes
    with django_assert_num_queries(EXPECTED_QUERIES[view]):
        assert employee_client.get(url).status_code == 200
    _grow(catalog, employee)
    LessonCompletion.objects.create(employee=employee, lesson=lessons[0])
    employee_client.get(url)  # the new pages dropped the cached course tree: the first view rebuilds it
    with django_assert_num_queries(EXPECTED_QUERIES[view]):
        response = employee_client.get(url)
    assert "Extra course 2" in response.content.decode() if view in ("catalog", "my_learning") else True


# The session, and the user with employee and flags (training/people/sso.py session_user): two.
# Wagtail's routing: the Site and its root page (the catalog) come from the cached course tree
# (modules/course_tree.py), and a course, lesson or quiz is one query through it; the tree also
# answers "any view restriction here?" and gives the catalog's courses and each course's outline.
# The employee's progress record: certificates, lesson completions, attempts (three, once per
# request: assessments.progress.person_record). My learning adds the assignments.
EXPECTED_QUERIES = {"catalog": 5, "course": 6, "lesson": 6, "my_learning": 6}
