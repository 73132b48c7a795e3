"""The shipped curriculum: loaded idempotently, and every section of FACTS.md taught."""

import html
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.contrib.auth.models import Group
from django.core.management import call_command

from modules.loading import curriculum_load
from modules.models import CoursePage, LessonPage
from training.people import roles
from training.people.models import Employee, Team


def snapshot():
    """Every row of every table, serialised."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label != "sessions.Session"
    }


def test_load_academy_twice_changes_nothing(db):
    before = snapshot()
    out = StringIO()
    call_command("load_academy", stdout=out)
    assert "0 page(s) created or updated" in out.getvalue()
    assert snapshot() == before


def test_load_academy_prints_demo_logins(db):
    out = StringIO()
    call_command("load_academy", stdout=out)
    text = out.getvalue()
    for username in ("admin", "editor", "hr", "manager.north", "manager.south", "amira", "jonas"):
        assert re.search(rf"^\s+{re.escape(username)}\s", text, re.M), username
    assert "password for all: loyalty-demo" in text


def test_load_academy_without_people_makes_the_roles(db):
    """A new company (`load_academy --no-people`, then a roster import) can make HR people: the
    HR role existed only when the demo people were loaded."""
    Group.objects.filter(name__in=roles.ALL).delete()
    call_command("load_academy", "--no-people", stdout=StringIO())
    assert set(Group.objects.filter(name__in=roles.ALL).values_list("name", flat=True)) == set(roles.ALL)
    assert Group.objects.get(name=roles.HR).permissions.filter(codename="view_certificate").exists()


def test_demo_people_two_teams_each_with_its_manager(db):
    teams = Team.objects.select_related("manager__user")
    assert {t.name: t.manager.user.username for t in teams} == {"North store": "manager.north", "South store": "manager.south"}
    assert all(t.members.count() == 5 for t in teams)
    assert Employee.objects.filter(user__groups__name="HR").count() == 1


def test_load_academy_restores_shipped_content_without_duplicating(course):
    lesson = LessonPage.objects.child_of(course).first()
    lesson.title = "Edited by mistake"
    lesson.save_revision().publish()
    result = curriculum_load()
    assert result["changed_pages"] == 1
    lesson.refresh_from_db()
    assert lesson.title != "Edited by mistake"
    assert CoursePage.objects.count() == 1
    assert LessonPage.objects.child_of(course).count() == result["lessons"]


def test_course_has_at_least_six_published_lessons(course):
    assert LessonPage.objects.live().child_of(course).count() >= 6


# Key figures and terms of each FACTS.md section, searched in the rendered lessons.
FACTS_SECTIONS = {
    "1 loyalty is not satisfaction": ["grade C", "an A", "Fred Reichheld", "The Ultimate Question", "perceived value", "12 months"],
    "2 points of connection": ["points of connection", "see", "hear", "feel", "smell", "taste", "continuous improvement"],
    "3 what a customer is worth": ["$200", "$2,000", "$2,600", "$26,000", "5%", "25 to 100%", "70%", "lifetime value"],
    "4 problem resolution": ["problem resolution", "forgive", "needs", "desires", "pains"],
    "5 loyalty as a business goal": ["Step 1", "Step 2", "Step 3", "evangelist", "referrals", "birthday"],
    "6 beyond the transaction": ["Partnership model", "Standard model", "Random Act of Worth", "every touchpoint, channel and market"],
}


@pytest.fixture
def rendered_course_text(employee_client, course):
    pages = []
    for lesson in LessonPage.objects.live().child_of(course):
        response = employee_client.get(lesson.url)
        assert response.status_code == 200
        pages.append(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
    return " ".join(" ".join(pages).split())


@pytest.mark.parametrize("section", FACTS_SECTIONS)
def test_every_facts_section_is_taught(rendered_course_text, section):
    lowered = rendered_course_text.lower()
    missing = [term for term in FACTS_SECTIONS[section] if term.lower() not in lowered]
    assert not missing, f"section {section}: {missing}"


def test_curriculum_uses_the_interactive_blocks(course):
    used = {block.block_type for lesson in LessonPage.objects.child_of(course) for block in lesson.body}
    assert {"walkthrough", "scenario", "calculator", "callout"} <= used


def test_a_quiz_follows_each_lesson_and_a_final_assessment_closes_the_course(course):
    from wagtail.models import Page

    steps = [page.specific for page in Page.objects.child_of(course).order_by("path")]
    kinds = ["quiz" if page.is_quiz else "lesson" for page in steps]
    assert kinds == ["lesson", "quiz"] * 6 + ["quiz"]
    final = steps[-1]
    assert final.slug == "final-assessment" and len(final.questions) >= 30 and final.questions_per_attempt == 15
    assert final.time_limit_minutes and final.attempts_allowed and final.shuffle_questions


def test_quizzes_assess_the_facts_with_the_right_question_types(course):
    from modules.models import QuizPage

    specs = [spec for quiz in QuizPage.objects.child_of(course) for spec in quiz.question_specs()]
    numeric_answers = {float(s.answer) for s in specs if s.kind == "numeric"}
    assert {200, 2000, 2600, 26000, 5, 70} <= numeric_answers  # lifetime-value figures use the numeric type
    problem_quiz = QuizPage.objects.get(slug="quiz-problem-resolution")
    assert sum(s.kind == "scenario" for s in problem_quiz.question_specs()) >= 3
    text = " ".join(json_text(s.to_data()) for s in specs).lower()
    for term in ("satisf", "reichheld", "perceived value", "12 months", "partnership model", "smell", "walk",
                 "survey", "continuous improvement", "5%", "70%", "forgive", "listen", "step 1", "evangelist",
                 "random act of worth", "touchpoint"):
        assert term in text, term


def json_text(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


@pytest.mark.django_db
def test_shipped_choices_keep_their_ids_from_one_load_to_the_next():
    """Statistics follow a choice across attempts by its id, so the ids must be stored, not made
    up anew each time Wagtail reads the quiz."""
    from modules.models import QuizPage

    def choice_ids():
        return {
            quiz.pk: [choice.id for spec in quiz.question_specs() for choice in getattr(spec, "choices", ())]
            for quiz in QuizPage.objects.all()
        }

    first = choice_ids()
    assert any(first.values())
    assert choice_ids() == first
