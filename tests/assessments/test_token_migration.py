"""Migration 0003 gives attempts recorded before tokens their tokens, and only them."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from assessments import scoring
from assessments.models import Attempt
from assessments.scoring.tokens import _roles
from assessments.attempts.services import attempt_save, attempt_start

from .conftest import every_type

pytestmark = pytest.mark.django_db

migration = import_module("assessments.migrations.0003_attempt_question_tokens")


def untokened(attempt):
    """The attempt as it was recorded before tokens existed."""
    for question in attempt.questions:
        question.pop("tokens")
    attempt.save(update_fields=["questions"])
    return attempt


def test_old_attempts_get_complete_unique_tokens_and_their_page_works(employee, employee_client, make_quiz):
    quiz = make_quiz(every_type())
    attempt = attempt_start(employee=employee, quiz=quiz)
    first = attempt.questions[0]
    right = next(c["id"] for c in first["choices"] if c["correct"])
    attempt_save(attempt=attempt, answers={first["id"]: right})
    already = attempt_start(employee=employee, quiz=make_quiz(every_type(), title="Other"))  # has tokens: untouched
    kept = already.questions
    untokened(attempt)

    migration.add_tokens(apps, None)

    attempt.refresh_from_db()
    everything = []
    for data in attempt.questions:
        spec, tokens = scoring.question_from_data(data), data["tokens"]
        assert {role: set(ids) for role, ids in tokens.items() if role != "question"} == {r: set(i) for r, i in _roles(spec).items()}
        everything += [tokens["question"], *(t for role, ids in tokens.items() if role != "question" for t in ids.values())]
    assert len(everything) == len(set(everything))
    assert Attempt.objects.get(pk=already.pk).questions == kept
    html = employee_client.get(reverse("attempt_take", args=[attempt.pk])).content.decode()
    token = attempt.questions[0]["tokens"]
    assert f'value="{token["choices"][right]}" checked' in html and right not in html  # the saved answer, in tokens

    before = Attempt.objects.get(pk=attempt.pk).questions
    migration.add_tokens(apps, None)
    assert Attempt.objects.get(pk=attempt.pk).questions == before  # a second run changes nothing

    migration.remove_tokens(apps, None)
    assert not any("tokens" in q for a in Attempt.objects.all() for q in a.questions)
