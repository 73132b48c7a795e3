"""Question statistics: the pure core on hand-computed examples, the selector on a quiz with known
answers, and the admin views (who may see them, a fixed number of queries)."""

import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from assessments.models import Attempt
from assessments.scoring.statistics import (
    choice_picks,
    discrimination,
    facility,
    pearson,
    question_figures,
    score_distribution,
    weak_reasons,
)
from assessments.statistics.selectors import quiz_statistics
from assessments.attempts.services import attempt_start, attempt_submit
from modules.models import LessonPage, QuizPage
from tests.factories import UserFactory, add_course
from training.people.models import Employee

from .conftest import choice_id, pass_quiz, single

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()
F = Fraction


# --------------------------------------------------------------------------------------------
# The pure core: no database.
# --------------------------------------------------------------------------------------------

# Four attempts at q (1 point) and r (2 points), and a fifth that drew only r and s.
ATTEMPTS = [
    {"q": (F(1), F(1)), "r": (F(2), F(2))},
    {"q": (F(1), F(1)), "r": (F(1), F(2))},
    {"q": (F(1), F(1)), "r": (F(1), F(2))},
    {"q": (F(0), F(1)), "r": (F(0), F(2))},
    {"r": (F(2), F(2)), "s": (F(0), F(1))},
]


def test_facility_is_the_mean_share_over_the_attempts_asked_the_question():
    # q: (1 + 1 + 1 + 0) / 4 = 3/4; the fifth attempt never asked q.
    assert facility(ATTEMPTS, "q") == F(3, 4)
    # r: (2/2 + 1/2 + 1/2 + 0/2 + 2/2) / 5 = 3/5
    assert facility(ATTEMPTS, "r") == F(3, 5)
    assert facility(ATTEMPTS, "never") is None


def test_discrimination_is_pearson_with_the_rest_of_the_attempt():
    # q's share x = [1, 1, 1, 0]; the rest is r alone, share y = [2/2, 1/2, 1/2, 0/2] = [1, 1/2, 1/2, 0].
    # mean x = 3/4, mean y = 1/2
    # dx = [1/4, 1/4, 1/4, -3/4], dy = [1/2, 0, 0, -1/2]
    # Sxy = 1/8 + 0 + 0 + 3/8 = 1/2;  Sxx = 3/16 + 9/16 = 3/4;  Syy = 1/4 + 1/4 = 1/2
    # r = (1/2) / sqrt(3/4 * 1/2) = (1/2) / sqrt(3/8) = sqrt(2/3) ≈ 0.8165
    assert discrimination(ATTEMPTS, "q") == pytest.approx(math.sqrt(2 / 3))
    # s was asked once: no correlation from a single attempt.
    assert discrimination(ATTEMPTS, "s") is None


def test_discrimination_handles_subsets_and_missing_variation():
    # r in the fifth attempt: the rest is s alone (0 of 1). For r, x = [1, 1/2, 1/2, 0, 1] and
    # y = [1, 1, 1, 0, 0]: mean x = 3/5, mean y = 3/5;
    # dx = [2/5, -1/10, -1/10, -3/5, 2/5], dy = [2/5, 2/5, 2/5, -3/5, -3/5]
    # Sxy = 4/25 - 1/25 - 1/25 + 9/25 - 6/25 = 5/25 = 1/5
    # Sxx = 4/25 + 1/100 + 1/100 + 9/25 + 4/25 = 17/25 + 2/100 = 70/100 = 7/10
    # Syy = 3 * 4/25 + 2 * 9/25 = 30/25 = 6/5
    # r = (1/5) / sqrt(7/10 * 6/5) = (1/5) / sqrt(21/25) = 1 / sqrt(21) ≈ 0.2182
    assert discrimination(ATTEMPTS, "r") == pytest.approx(1 / math.sqrt(21))
    # Everybody scored the same on the question: no variation, no correlation.
    same = [{"a": (F(1), F(1)), "b": (F(b), F(1))} for b in (0, 1, 1)]
    assert discrimination(same, "a") is None
    # An attempt with no other question has no rest: it is left out.
    assert discrimination([{"a": (F(1), F(1))}, {"a": (F(0), F(1))}], "a") is None


def test_pearson_of_perfectly_opposed_pairs_is_minus_one():
    assert pearson([(F(0), F(1)), (F(1), F(0))]) == pytest.approx(-1)
    assert pearson([(F(1), F(1))]) is None


def test_choice_picks_count_every_choice_of_a_multiple_choice_answer():
    # a: answers 1 and 4; b: answer 2; c: answers 4 and 5; answer 3 unanswered; "a" twice counts once.
    assert choice_picks(["a", "b", None, ["a", "c", "a"], ["c"]]) == {"a": 2, "b": 1, "c": 2}


def test_score_distribution_has_ten_bins_and_100_joins_the_last():
    # 0 and 9.99 -> 0-<10; 10 -> 10-<20; 55 -> 50-<60; 89.99 -> 80-<90; 90 and 100 -> 90-100
    assert score_distribution(["0", "9.99", 10, "55", "89.99", 90, 100]) == (2, 1, 0, 0, 0, 1, 0, 0, 1, 2)
    assert score_distribution([]) == (0,) * 10


@pytest.mark.parametrize(
    ("easiness", "correlation", "asked", "words"),
    [
        (F(1, 5), 0.5, 5, ["Too hard"]),
        (F(1, 5), 0.5, 4, []),  # too few attempts to judge
        (F(1, 4), 0.5, 5, []),  # exactly at the threshold: fine
        (F(24, 25), 0.5, 9, ["Too easy"]),
        (F(1, 2), 0.1, 5, ["Does not tell strong from weak"]),
        (F(1, 2), 0.2, 5, []),
        (F(1, 2), -0.3, 5, ["check the answer key"]),
        (F(1), None, 5, ["Too easy"]),  # everybody right: no variation, no correlation
    ],
)
def test_weak_reasons_follow_the_documented_thresholds(easiness, correlation, asked, words):
    reasons = weak_reasons(facility=easiness, discrimination=correlation, times_asked=asked)
    assert len(reasons) == len(words)
    assert all(word in reason for word, reason in zip(words, reasons))


def test_question_figures_bundle_the_figures_of_one_question():
    figures = question_figures(ATTEMPTS, "q")
    assert (figures.times_asked, figures.facility, figures.weak) == (4, F(3, 4), False)
    assert figures.discrimination == pytest.approx(math.sqrt(2 / 3))


def test_statistics_core_imports_without_django():
    code = (
        "import sys\n"
        "sys.modules['django'] = None\n"  # any `import django...` now raises ImportError
        "import assessments.scoring.statistics\n"
        "assert not [m for m in sys.modules if m.startswith(('django.', 'wagtail'))]\n"
        "print('django-free')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "django-free", done.stderr


# --------------------------------------------------------------------------------------------
# The selector on a quiz with known answers.
# --------------------------------------------------------------------------------------------

KNOWN_QUESTIONS = [
    single("Which grade?", right="Right", wrong="Wrong"),
    ("multiple_choice", {"prompt": "What do loyal customers do?", "points": "2", "scoring_rule": "partial",
                         "choices": [{"text": "Return", "correct": True}, {"text": "Brag", "correct": True},
                                     {"text": "Shop around", "correct": False}]}),
    ("true_false", {"prompt": "Points cards are loyalty.", "points": "1", "answer": False}),
]


def employee(username):
    return Employee.objects.get(user__username=username)


def answer(username, quiz, single_text, multiple_texts, true_false):
    """Submit one attempt: a choice text for question 1, choice texts (None = unanswered) for
    question 2, True/False for question 3. The quiz is loaded afresh, as each request does."""
    attempt = attempt_start(employee=employee(username), quiz=QuizPage.objects.get(pk=quiz.pk))
    ids = [q["id"] for q in attempt.questions]
    answers = {ids[0]: choice_id(attempt, 0, single_text), ids[2]: true_false}
    if multiple_texts is not None:
        answers[ids[1]] = [choice_id(attempt, 1, text) for text in multiple_texts]
    return attempt_submit(attempt=attempt, answers=answers)


@pytest.fixture
def known_quiz(db, make_quiz):
    """Four scored attempts and one still open, with these points (of 1, 2 and 1):

        amira  Right 1 | Return+Brag 2        | False 1  -> 4/4 = 100%
        ben    Right 1 | Return 1             | True  0  -> 2/4 =  50%
        chloe  Wrong 0 | Return+Shop around 0 | False 1  -> 1/4 =  25%
        dev    Right 1 | (unanswered) 0       | True  0  -> 1/4 =  25%
        emma   Wrong, still in progress: not counted
    """
    quiz = make_quiz(KNOWN_QUESTIONS, title="Known quiz")
    answer("amira", quiz, "Right", ["Return", "Brag"], False)
    answer("ben", quiz, "Right", ["Return"], True)
    answer("chloe", quiz, "Wrong", ["Return", "Shop around"], False)
    answer("dev", quiz, "Right", None, True)
    open_attempt = attempt_start(employee=employee("emma"), quiz=quiz)
    from assessments.attempts.services import attempt_save

    attempt_save(attempt=open_attempt, answers={open_attempt.questions[0]["id"]: choice_id(open_attempt, 0, "Wrong")})
    return quiz


@pytest.mark.django_db
def test_selector_matches_hand_computed_statistics(known_quiz):
    stats = quiz_statistics(quiz=known_quiz)
    assert stats.attempt_count == 4
    assert stats.mean_percentage == 50  # (100 + 50 + 25 + 25) / 4
    assert stats.distribution == (0, 0, 2, 0, 0, 1, 0, 0, 0, 1)
    single_q, multiple_q, true_false_q = stats.questions
    assert [q.position for q in stats.questions] == [1, 2, 3]
    assert (single_q.prompt, single_q.kind, multiple_q.kind_label) == ("Which grade?", "single_choice", "Multiple choice")
    assert [q.times_asked for q in stats.questions] == [4, 4, 4]

    # Question 1: x = [1, 1, 0, 1], facility 3/4.
    # The rest (questions 2 and 3, max 3): [3/3, 1/3, 1/3, 0/3]; mean 5/12
    # dx = [1/4, 1/4, -3/4, 1/4], dy = [7/12, -1/12, -1/12, -5/12]
    # Sxy = (7 - 1 + 3 - 5) / 48 = 1/12;  Sxx = 3/4;  Syy = (49 + 1 + 1 + 25) / 144 = 19/36
    # r = (1/12) / sqrt(3/4 * 19/36) = (1/12) / (sqrt(57)/12) = 1/sqrt(57) ≈ 0.1325
    assert single_q.facility == Fraction(3, 4)
    assert single_q.discrimination == pytest.approx(1 / math.sqrt(57))
    assert [(c.label, c.count, c.share, c.is_correct) for c in single_q.choices] == [
        ("Right", 3, Fraction(3, 4), True),
        ("Wrong", 1, Fraction(1, 4), False),
    ]

    # Question 2 (2 points, partial credit): shares [2/2, 1/2, 0/2, 0/2], facility 3/8.
    # The rest (questions 1 and 3, max 2): [2/2, 1/2, 1/2, 1/2]; mean 5/8
    # dx = [5/8, 1/8, -3/8, -3/8], dy = [3/8, -1/8, -1/8, -1/8]
    # Sxy = (15 - 1 + 3 + 3) / 64 = 5/16;  Sxx = (25 + 1 + 9 + 9) / 64 = 11/16;  Syy = 12/64 = 3/16
    # r = (5/16) / sqrt(33/256) = 5/sqrt(33) ≈ 0.8704
    assert multiple_q.facility == Fraction(3, 8)
    assert multiple_q.discrimination == pytest.approx(5 / math.sqrt(33))
    assert multiple_q.unanswered == 1
    assert [(c.label, c.count, c.share, c.is_correct) for c in multiple_q.choices] == [
        ("Return", 3, Fraction(3, 4), True),
        ("Brag", 1, Fraction(1, 4), True),
        ("Shop around", 1, Fraction(1, 4), False),
    ]

    # Question 3: x = [1, 0, 1, 0], facility 1/2. The rest (max 3): [3/3, 2/3, 0/3, 1/3]; mean 1/2
    # dx = [1/2, -1/2, 1/2, -1/2], dy = [1/2, 1/6, -1/2, -1/6]
    # Sxy = 1/4 - 1/12 - 1/4 + 1/12 = 0  ->  r = 0
    assert true_false_q.facility == Fraction(1, 2)
    assert true_false_q.discrimination == pytest.approx(0)
    assert true_false_q.choices == ()
    # Four attempts are too few to call any question weak.
    assert not any(q.weak for q in stats.questions)


@pytest.mark.django_db
def test_a_question_is_judged_only_on_the_attempts_that_drew_it(make_quiz):
    import random

    quiz = make_quiz([single("One"), single("Two"), single("Three")], questions_per_attempt=1)
    amira = employee("amira")
    for seed in range(6):
        attempt = attempt_start(employee=amira, quiz=quiz, rng=random.Random(seed))
        attempt_submit(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")})
    drawn = [a.questions[0]["id"] for a in Attempt.objects.for_quiz(quiz)]
    stats = quiz_statistics(quiz=quiz)
    assert {q.id: q.times_asked for q in stats.questions} == {q.id: drawn.count(q.id) for q in stats.questions}
    # One question per attempt: no rest of the score to correlate with.
    assert all(q.discrimination is None for q in stats.questions)
    assert all(q.facility in (None, 1) for q in stats.questions)


@pytest.mark.django_db
def test_choices_are_followed_by_id_through_edits_and_by_text_without_stored_ids(make_quiz):
    # Choices stored with list-item ids keep them: an edited text is still the same choice.
    item = lambda id, text, correct: {"type": "item", "id": id, "value": {"text": text, "correct": correct}}  # noqa: E731
    quiz = make_quiz([("single_choice", {"prompt": "Q", "points": "1", "choices": [item("c-right", "Right", True), item("c-wrong", "Wrong", False)]})])
    attempt = attempt_start(employee=employee("amira"), quiz=quiz)
    attempt_submit(attempt=attempt, answers={attempt.questions[0]["id"]: "c-right"})
    quiz.questions[0].value["choices"][0]["text"] = "Right, edited"
    quiz.save_revision().publish()
    quiz = QuizPage.objects.get(pk=quiz.pk)
    attempt = attempt_start(employee=employee("ben"), quiz=quiz)
    attempt_submit(attempt=attempt, answers={attempt.questions[0]["id"]: "c-right"})
    (question,) = quiz_statistics(quiz=quiz).questions
    assert [(c.id, c.label, c.count) for c in question.choices] == [("c-right", "Right, edited", 2), ("c-wrong", "Wrong", 0)]

    # Choices stored without ids (as the shipped curriculum is) get new ids at every load of the
    # quiz; they are matched by text, so each choice still appears once.
    quiz = make_quiz([single("Plain")], title="Plain ids")
    for username in ("amira", "ben", "chloe"):
        answer_single = attempt_start(employee=employee(username), quiz=QuizPage.objects.get(pk=quiz.pk))
        attempt_submit(attempt=answer_single, answers={answer_single.questions[0]["id"]: choice_id(answer_single, 0, "Right")})
    (question,) = quiz_statistics(quiz=QuizPage.objects.get(pk=quiz.pk)).questions
    assert [(c.label, c.count, c.is_correct) for c in question.choices] == [("Right", 3, True), ("Wrong", 0, False)]


@pytest.mark.django_db
def test_too_easy_question_is_flagged_once_asked_often_enough(make_quiz):
    quiz = make_quiz([single("Easy"), single("Harder")])
    amira = employee("amira")
    for right in (True, True, False, True, False):  # Easy always right, Harder right 3 of 5 times
        attempt = attempt_start(employee=amira, quiz=quiz)
        attempt_submit(attempt=attempt, answers={
            attempt.questions[0]["id"]: choice_id(attempt, 0, "Right"),
            attempt.questions[1]["id"]: choice_id(attempt, 1, "Right" if right else "Wrong"),
        })
    easy, harder = quiz_statistics(quiz=quiz).questions
    assert easy.facility == 1 and easy.discrimination is None
    assert easy.weak and "Too easy" in easy.weak_reasons[0]
    assert harder.facility == Fraction(3, 5) and not harder.weak


# --------------------------------------------------------------------------------------------
# The admin views: who may see them, what they show, how many queries they cost.
# --------------------------------------------------------------------------------------------


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def other_course_editor(catalog):
    """An admin user who may edit only another course (and its quiz)."""
    other = add_course(catalog, title="Other course")
    quiz = QuizPage(title="Other quiz", questions=[{"type": t, "value": v} for t, v in [single()]])
    other.add_child(instance=quiz)
    quiz.save_revision().publish()
    group = Group.objects.create(name="Other course editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=other, permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    )
    user = UserFactory(username="other.editor")
    user.groups.add(group)
    return user, quiz


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["hr", "editor", "admin"])
def test_hr_editors_and_superusers_see_the_list_and_the_statistics(client, course, known_quiz, username):
    login(client, username)
    listing = client.get(reverse("question_statistics"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Known quiz" in html and course.title in html
    assert reverse("question_statistics_quiz", args=[known_quiz.pk]) in html
    assert "50.0%" in html  # the known quiz's mean score
    detail = client.get(reverse("question_statistics_quiz", args=[known_quiz.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Which grade?" in html and "4 scored attempts" in html and "mean score 50.0%" in html
    assert "3 (75%)" in html and "Correct" in html  # Right was picked 3 times of 4
    assert "<title id=\"distribution-title\">" in html and 'class="w-sr-only"' in html
    assert "0.87" in html  # question 2's discrimination, 5/sqrt(33)
    # Every answer, for audit, is HR's download (editors cannot open HR reports).
    assert ("Download every answer" in html) == (username != "editor")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["amira", "manager.north"])
def test_employees_and_managers_are_turned_away(client, known_quiz, username):
    login(client, username)
    for url in (reverse("question_statistics"), reverse("question_statistics_quiz", args=[known_quiz.pk])):
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_an_admin_user_who_can_edit_no_quiz_is_refused(client, known_quiz):
    user = UserFactory(username="no.pages")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("question_statistics")).status_code == 403
    assert client.get(reverse("question_statistics_quiz", args=[known_quiz.pk])).status_code == 403
    assert reverse("question_statistics") not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db
def test_an_editor_sees_only_the_quizzes_they_can_edit(client, catalog, known_quiz):
    user, their_quiz = other_course_editor(catalog)
    client.force_login(user)
    html = client.get(reverse("question_statistics")).content.decode()
    assert "Other quiz" in html and "Known quiz" not in html
    assert client.get(reverse("question_statistics_quiz", args=[their_quiz.pk])).status_code == 200
    assert client.get(reverse("question_statistics_quiz", args=[known_quiz.pk])).status_code == 404
    assert client.get(reverse("question_statistics_quiz", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_quiz_without_scored_attempts_shows_an_empty_state(client, make_quiz):
    quiz = make_quiz([single()], title="Fresh quiz")
    login(client, "hr")
    html = client.get(reverse("question_statistics_quiz", args=[quiz.pk])).content.decode()
    assert "No scored attempts yet" in html and "<svg role=\"img\"" not in html


@pytest.mark.django_db
def test_list_without_quizzes_shows_an_empty_state(client):
    for quiz in QuizPage.objects.all():
        quiz.delete()
    html = login(client, "hr").get(reverse("question_statistics")).content.decode()
    assert "There are no quizzes yet." in html


@pytest.mark.django_db
def test_reports_menu_and_quiz_page_link_lead_to_the_statistics(client, course, known_quiz):
    for username in ("hr", "editor"):
        assert reverse("question_statistics") in login(client, username).get(reverse("wagtailadmin_home")).content.decode()
    login(client, "editor")
    link = reverse("question_statistics_quiz", args=[known_quiz.pk])
    assert link in client.get(reverse("wagtailadmin_pages:edit", args=[known_quiz.pk])).content.decode()
    assert link in client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    lesson = LessonPage.objects.child_of(course).first()
    lesson_html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert reverse("question_statistics_quiz", args=[lesson.pk]) not in lesson_html


@pytest.mark.django_db
def test_statistics_view_runs_a_fixed_number_of_queries(client, make_quiz, django_assert_num_queries):
    quiz = make_quiz([single("A"), single("B"), ("true_false", {"prompt": "T?", "points": "1", "answer": True})])
    url = reverse("question_statistics_quiz", args=[quiz.pk])
    login(client, "editor").get(url)  # warm per-process caches (content types, site root paths)
    amira = employee("amira")
    for _ in range(2):
        pass_quiz(amira, quiz)
    with django_assert_num_queries(EXPECTED_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(8):
        pass_quiz(amira, quiz)
    assert Attempt.objects.for_quiz(quiz).scored().count() == 10
    with django_assert_num_queries(EXPECTED_QUERIES):
        assert client.get(url).status_code == 200


# Wagtail's admin furniture makes most of them (session, user, permissions in one query, profile, locale; the
# role check behind our menu items and HR's buttons is one query per request); ours are the quiz,
# its course, its page permissions and the two statistics queries (attempts, responses), whatever
# the number of attempts.
EXPECTED_QUERIES = 15
