"""Stored results are the record: the result page, the every-answer export and the statistics read
the points and statuses stored at grading, never a fresh grading by today's scoring code."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments import scoring
from assessments.models import Response
from assessments.attempts.review import attempt_review
from assessments.statistics.selectors import quiz_statistics
from modules.models import QuizPage
from tests.assessments.conftest import pass_quiz
from tests.dashboards.test_reports import csv_rows

pytestmark = pytest.mark.django_db


def test_the_review_the_result_page_the_export_and_the_statistics_read_stored_points(employee, course, client):
    quiz = QuizPage.objects.live().child_of(course).order_by("path").first()
    attempt = pass_quiz(employee, quiz)
    first = attempt.questions[0]["id"]
    # As if the scoring code had changed since: the stored figures must still be what everyone sees.
    Response.objects.filter(attempt=attempt, question_id=first).update(points=Decimal("0.25"), status=scoring.PARTIAL)

    [answer, *others] = attempt_review(attempt)
    assert (answer.points, answer.status) == (Decimal("0.25"), scoring.PARTIAL)
    assert all(other.status == scoring.CORRECT and other.points == other.max_points for other in others)

    client.force_login(employee.user)
    page = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "Question 1 · Partly correct · 0.25 of" in page

    client.force_login(get_user_model().objects.get(username="hr"))
    rows = [row for row in csv_rows(client, "attempts/answers", quiz=quiz.pk) if row["Question id"] == first]
    assert [(row["Points"], row["Marked"]) for row in rows] == [("0.25", "Partly correct")]

    figures = next(question for question in quiz_statistics(quiz=quiz).questions if question.id == first)
    assert figures.facility < 1  # 0.25 of the question's points, not the full marks a regrade would give
