"""Review before submit (WCAG 3.3.4), without JavaScript: "Submit attempt" saves the answers on the
page and shows which questions are answered, with links back; only the review's own button submits."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Attempt, Response
from assessments.attempts.services import attempt_start
from training.people.models import Employee

from .conftest import choice_id, choice_token, qtoken, single

pytestmark = pytest.mark.django_db


def start(client, quiz) -> Attempt:
    assert client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
    return Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)


def test_submit_saves_then_reviews_then_submits_one_question_per_page(employee_client, make_quiz):
    quiz = make_quiz([single("First?"), single("Second?"), single("Third?")], layout="one_per_page", pass_mark=30)
    attempt = start(employee_client, quiz)
    take, review = reverse("attempt_take", args=[attempt.pk]), reverse("attempt_review", args=[attempt.pk])
    # "Submit attempt" on question 2 saves its answer first: nothing on the page is lost.
    response = employee_client.post(f"{take}?q=2", {f"q-{qtoken(attempt, 1)}": choice_token(attempt, 1, "Right"), "action": "review"})
    assert response.status_code == 302 and response["Location"] == review
    assert Response.objects.get(attempt=attempt).value == choice_id(attempt, 1, "Right")
    assert Attempt.objects.get(pk=attempt.pk).is_open  # not submitted yet
    html = employee_client.get(review).content.decode()
    assert "You have answered 1 of 3 questions. Not answered: questions 1, 3." in html
    assert 'autofocus' in html and 'id="review-heading"' in html  # focus starts on the summary
    # Each question is listed with its number as on the attempt page and a link back to it.
    for number, prompt in ((1, "First?"), (2, "Second?"), (3, "Third?")):
        assert f'href="{take}?q={number}"' in html and prompt in html
    assert f'Question 1<span class="visually-hidden"> (not answered)</span>' in html
    assert f'Question 2<span class="visually-hidden"> (answered)</span>' in html
    assert f'href="{take}?q=1"' in html.split("Back to the questions")[0].rsplit("<a", 1)[1]  # back: to the first unanswered
    # Going back and answering changes the summary.
    employee_client.post(f"{take}?q=1", {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Wrong"), "action": "review"})
    assert "You have answered 2 of 3 questions. Not answered: question 3." in employee_client.get(review).content.decode()
    # The final submit sends no answers: anything posted with it is ignored, what was saved counts.
    done = employee_client.post(review, {"action": "submit", f"q-{qtoken(attempt, 2)}": choice_token(attempt, 2, "Right")})
    assert done.status_code == 302 and done["Location"] == reverse("attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.score == 1 and Response.objects.filter(attempt=attempt).count() == 2
    # A stale review tab lands on the result and changes nothing.
    assert employee_client.get(review)["Location"] == reverse("attempt_result", args=[attempt.pk])
    assert employee_client.post(review, {"action": "submit"})["Location"] == reverse("attempt_result", args=[attempt.pk])


def test_all_on_one_page_links_to_each_questions_anchor(employee_client, make_quiz):
    quiz = make_quiz([single("First?"), single("Second?")])
    attempt = start(employee_client, quiz)
    take = reverse("attempt_take", args=[attempt.pk])
    page = employee_client.get(take).content.decode()
    assert 'id="question-1"' in page and 'id="question-2"' in page
    assert 'name="action" value="review" data-submit>Submit attempt</button>' in page
    html = employee_client.get(reverse("attempt_review", args=[attempt.pk])).content.decode()
    assert f'href="{take}#question-1"' in html and f'href="{take}#question-2"' in html
    assert "You have answered 0 of 2 questions. Not answered: questions 1, 2." in html


def test_a_bad_answer_on_the_way_to_review_is_a_400_and_nothing_is_saved(employee_client, make_quiz):
    quiz = make_quiz([single("First?"), single("Second?")])
    attempt = start(employee_client, quiz)
    response = employee_client.post(
        reverse("attempt_take", args=[attempt.pk]),
        {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), f"q-{qtoken(attempt, 1)}": "not-a-choice", "action": "review"},
    )
    assert response.status_code == 400 and "Nothing was saved" in response.content.decode()
    assert not Response.objects.exists()


def test_an_unknown_review_action_is_a_400_and_submits_nothing(employee_client, make_quiz):
    quiz = make_quiz([single()])
    attempt = start(employee_client, quiz)
    response = employee_client.post(reverse("attempt_review", args=[attempt.pk]), {"action": "delete"})
    assert response.status_code == 400 and "“delete” is not something this form can do" in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_someone_elses_review_answers_404(client, make_quiz):
    quiz = make_quiz([single()])
    attempt = attempt_start(employee=Employee.objects.get(user__username="ben"), quiz=quiz)
    client.force_login(get_user_model().objects.get(username="amira"))
    review = reverse("attempt_review", args=[attempt.pk])
    assert client.get(review).status_code == 404
    assert client.post(review, {"action": "submit"}).status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_review_past_the_deadline_closes_the_attempt_as_expired(employee_client, make_quiz):
    from datetime import timedelta

    quiz = make_quiz([single()], time_limit_minutes=10)
    attempt = start(employee_client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(minutes=11), deadline=attempt.deadline - timedelta(minutes=11)
    )
    response = employee_client.post(reverse("attempt_review", args=[attempt.pk]), {"action": "submit"})
    assert response["Location"] == reverse("attempt_result", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.EXPIRED


def test_the_review_shows_the_timer_and_the_time_limit(employee_client, make_quiz):
    quiz = make_quiz([single()], time_limit_minutes=10)
    attempt = start(employee_client, quiz)
    html = employee_client.get(reverse("attempt_review", args=[attempt.pk])).content.decode()
    assert "data-deadline=" in html and "Your limit: 10 minutes" in html and "training/timer.js" in html
