"""Content editors work on every page type and block in the Wagtail admin, with preview."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from modules.models import LessonPage, QuizPage


@pytest.fixture
def editor_client(client, db):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


@pytest.fixture
def lesson(course):
    return LessonPage.objects.child_of(course).order_by("path").first()


CALCULATOR = {"title": "Worth", "currency": "$", "satisfied_visits": 4, "satisfied_spend": "50", "loyal_visits": 52, "loyal_spend": "50", "years": 10}


def listblock(items):
    """ListBlock form data, the counterpart of wagtail's streamfield() helper."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i), "id": ""} for i, item in enumerate(items)}
    return {"count": str(len(items)), **data}


def lesson_form(lesson, body):
    return nested_form_data(
        {"title": lesson.title, "slug": lesson.slug, "summary": "s", "estimated_minutes": 5, "body": streamfield(body)}
    )


def test_editor_opens_edit_and_add_forms_for_every_page_type(editor_client, catalog, course, lesson):
    for page in (catalog, course, lesson):
        assert editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert editor_client.get(reverse("wagtailadmin_pages:add", args=["modules", "coursepage", catalog.pk])).status_code == 200
    assert editor_client.get(reverse("wagtailadmin_pages:add", args=["modules", "lessonpage", course.pk])).status_code == 200
    assert editor_client.get(reverse("wagtailadmin_pages:add", args=["modules", "quizpage", course.pk])).status_code == 200
    quiz = QuizPage.objects.child_of(course).first()
    assert editor_client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).status_code == 200


def test_editor_previews_an_unsaved_lesson(editor_client, lesson):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    body = [("heading", {"text": "Preview heading", "level": "h2"}), ("calculator", CALCULATOR)]
    response = editor_client.post(url, lesson_form(lesson, body))
    assert response.json()["is_valid"] is True
    html = editor_client.get(url).content.decode()
    assert "Preview heading" in html and "$26,000" in html
    lesson.refresh_from_db()
    assert "Preview heading" not in str(lesson.body.raw_data)  # preview saved nothing


def test_editor_saving_a_broken_scenario_gets_the_block_error(editor_client, lesson):
    choices = listblock([
        {"label": "A", "outcome": "o", "feedback": "f", "loyalty_effect": 1, "next_step": "nowhere"},
        {"label": "B", "outcome": "o", "feedback": "f", "loyalty_effect": 0, "next_step": ""},
    ])
    scenario = {"title": "T", "situation": "S", "steps": listblock([{"step_id": "start", "prompt": "P", "choices": choices}])}
    before = lesson.latest_revision_id
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), lesson_form(lesson, [("scenario", scenario)]))
    assert response.status_code == 200  # the form comes back with errors
    assert "which does not exist" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.latest_revision_id == before


def test_revision_preview_renders_the_lesson(editor_client, lesson):
    url = reverse("wagtailadmin_pages:revisions_view", args=[lesson.pk, lesson.latest_revision_id])
    response = editor_client.get(url)
    assert response.status_code == 200 and lesson.title in response.content.decode()


@pytest.mark.parametrize("name", ["heading", "callout", "walkthrough", "scenario", "calculator"])
def test_block_previews_in_the_block_picker(editor_client, name):
    block = LessonPage.body.field.stream_block.child_blocks[name]
    response = editor_client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    expected = {"heading": "Why loyalty beats satisfaction", "callout": "Satisfied is a C", "walkthrough": "Front door",
                "scenario": "The cold soup", "calculator": "$26,000"}[name]
    assert expected in response.content.decode()


@pytest.mark.parametrize("name", list(QuizPage.questions.field.stream_block.child_blocks))
def test_question_block_previews(editor_client, name):
    block = QuizPage.questions.field.stream_block.child_blocks[name]
    response = editor_client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    assert (block.meta.preview_value.get("prompt") or block.meta.preview_value["situation"]) in response.content.decode()


def test_quiz_drawing_more_questions_than_the_pool_is_refused(editor_client, course):
    quiz = QuizPage.objects.child_of(course).first()
    form = nested_form_data({
        "title": quiz.title, "slug": quiz.slug, "intro": rich_text("<p>Intro</p>"), "pass_mark": 70, "attempts_allowed": 0, "time_limit_minutes": 0,
        "questions_per_attempt": 99, "grading_policy": "highest", "feedback_shown": "after_submit", "layout": "all_on_one",
        "questions": streamfield([("true_false", {"prompt": "P", "points": "1", "answer": "on", "explanation": "",
                                                  "feedback_true": "", "feedback_false": ""})]),
    })
    before = quiz.latest_revision_id
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), form)
    assert "The pool has only 1 question(s)" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.latest_revision_id == before


# Number fields an editor could fill with values the database takes but a later step cannot use
# (a deadline or an expiry beyond the calendar, a figure that overflows on render): each is a form
# error by the field, on save, publish and preview alike, and nothing is saved.
def quiz_form(quiz, **rules):
    return nested_form_data({
        "title": quiz.title, "slug": quiz.slug, "intro": rich_text("<p>Intro</p>"), "pass_mark": 70, "attempts_allowed": 0,
        "time_limit_minutes": 0, "questions_per_attempt": 0, "grading_policy": "highest", "feedback_shown": "after_submit",
        "layout": "all_on_one", "questions": streamfield([]), **rules,
    })


@pytest.mark.parametrize("number", [20_000, 2**63, 2**64, -1])
@pytest.mark.parametrize("field", ["time_limit_minutes", "attempts_allowed", "questions_per_attempt"])
@pytest.mark.parametrize("action", [{}, {"action-publish": "action-publish"}])
def test_a_quiz_rule_out_of_range_is_a_form_error(editor_client, course, field, number, action):
    quiz = QuizPage.objects.child_of(course).first()
    before = quiz.latest_revision_id
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), {**quiz_form(quiz, **{field: number}), **action})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    quiz.refresh_from_db()
    assert quiz.latest_revision_id == before


@pytest.mark.parametrize("field, number", [
    ("certificate_validity_months", 1201), ("certificate_validity_months", 2**63 - 1),
    ("estimated_minutes", 10_001), ("estimated_minutes", 2**63), ("estimated_minutes", -5),
])
def test_a_course_number_out_of_range_is_a_form_error(editor_client, course, field, number):
    before = course.latest_revision_id
    form = nested_form_data({"title": course.title, "slug": course.slug, "intro": rich_text("<p>Intro</p>"),
                             "estimated_minutes": 30, "certificate_validity_months": 12, field: number})
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[course.pk]), form)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    course.refresh_from_db()
    assert course.latest_revision_id == before


@pytest.mark.parametrize("field, value", [
    ("satisfied_spend", "1e999999"), ("loyal_spend", "123456789012"), ("loyal_visits", str(10**30)), ("satisfied_visits", "9" * 5000),
])
def test_a_calculator_figure_out_of_range_is_refused_on_preview_and_save(editor_client, lesson, field, value):
    body = [("calculator", {**CALCULATOR, field: value})]
    preview = editor_client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]), lesson_form(lesson, body))
    assert preview.status_code == 200 and preview.json()["is_valid"] is False
    before = lesson.latest_revision_id
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), lesson_form(lesson, body))
    assert response.status_code == 200 and list(response.context["form"].errors) == ["body"]
    lesson.refresh_from_db()
    assert lesson.latest_revision_id == before


def test_the_largest_allowed_time_limit_and_validity_still_make_dates(course, employee):
    """The bounds are usable: a quiz at the longest time limit starts, a certificate at the
    longest validity gets its expiry."""
    from assessments.certificates.services import add_months
    from assessments.attempts.services import attempt_start
    from django.utils import timezone
    from modules.models.pages import MAX_TIME_LIMIT_MINUTES, MAX_VALIDITY_MONTHS

    quiz = QuizPage.objects.child_of(course).first()
    quiz.time_limit_minutes = MAX_TIME_LIMIT_MINUTES
    quiz.save()
    attempt = attempt_start(employee=employee, quiz=quiz)
    assert (attempt.deadline - attempt.started_at).total_seconds() == MAX_TIME_LIMIT_MINUTES * 60
    assert add_months(timezone.now(), MAX_VALIDITY_MONTHS).year == timezone.now().year + 100
