"""Writes for quizzes: start, save, submit, expire, grade. The server decides every score and limit."""

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import scoring
from assessments.certification import certificate_issue_for_quiz
from assessments.models import Attempt, Response
from assessments.selectors import quiz_counted_from
from training.people.models import Employee

# Saves and submits arriving this long after the deadline still count (network, slow clicks).
GRACE = timedelta(seconds=30)


class AttemptError(Exception):
    """Base for refusals; the message is shown to the employee as it is."""


class NoAttemptsLeft(AttemptError):
    pass


class AttemptClosed(AttemptError):
    """The attempt was submitted or closed; nothing was changed."""


class QuizUnavailable(AttemptError):
    pass


def decimal_points(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attempt_specs(attempt: Attempt) -> list[scoring.Question]:
    return [scoring.question_from_data(data) for data in attempt.questions]


def _draw(quiz, rng: random.Random) -> list[dict]:
    """The questions of a new attempt: drawn from the pool, shuffled as the quiz says, frozen."""
    pool = quiz.question_specs()
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(pool):
        drawn_ids = {q.id for q in rng.sample(pool, quiz.questions_per_attempt)}
        pool = [q for q in pool if q.id in drawn_ids]
    if quiz.shuffle_questions:
        rng.shuffle(pool)
    frozen = []
    for question in pool:
        data = question.to_data()
        if quiz.shuffle_choices:
            for name in ("choices", "options"):
                if name in data:
                    rng.shuffle(data[name])
        if question.kind == "ordering":
            shown = [item["id"] for item in data["items"]]
            while len(shown) > 1 and shown == [item["id"] for item in data["items"]]:
                rng.shuffle(shown)
            data["shown"] = shown
        if question.kind == "matching":
            shown = [pair["answer_id"] for pair in data["pairs"]]
            rng.shuffle(shown)
            data["shown"] = shown
        frozen.append(data)
    return frozen


def attempt_start(*, employee: Employee, quiz, now=None, rng: random.Random | None = None) -> Attempt:
    """Start an attempt, or return the one already in progress.

    Starts of one employee are serialised on their Employee row, and a partial unique constraint
    allows one in-progress attempt per quiz, so concurrent starts make exactly one attempt.
    Raises NoAttemptsLeft when the quiz's allowance is used up.
    """
    now = now or timezone.now()
    if not quiz.live or not len(quiz.questions):
        raise QuizUnavailable("This quiz has no questions yet.")
    try:
        with transaction.atomic():
            Employee.objects.select_for_update().get(pk=employee.pk)
            attempts = Attempt.objects.select_for_update().of(employee).for_quiz(quiz)
            current = attempts.in_progress().first()
            if current is not None:
                if _past_deadline(current, now):
                    _close(current, now=now, expired=True)
                else:
                    return current
            used = attempts.count()
            # The allowance restarts with each certification cycle for quizzes taken again in it
            # (the final assessment), so it counts only this cycle's attempts.
            since = quiz_counted_from(employee=employee, quizzes=[quiz], now=now).get(quiz.pk)
            used_in_cycle = attempts.filter(started_at__gte=since).count() if since else used
            if quiz.attempts_allowed and used_in_cycle >= quiz.attempts_allowed:
                raise NoAttemptsLeft(
                    f"You have used all {quiz.attempts_allowed} attempt(s) allowed for “{quiz.title}”."
                )
            deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
            return Attempt.objects.create(
                employee=employee,
                quiz=quiz,
                revision_id=quiz.live_revision_id,
                number=used + 1,
                questions=_draw(quiz, rng or random.SystemRandom()),
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError:
        # Another request started the same attempt a moment ago (databases without row locks).
        return Attempt.objects.of(employee).for_quiz(quiz).in_progress().get()


def _past_deadline(attempt: Attempt, now) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def _clean_answers(attempt: Attempt, answers) -> dict:
    """Validate every answer before saving any; raises ResponseError naming the first problem."""
    if not isinstance(answers, dict):
        raise scoring.ResponseError("Answers must map question ids to responses.")
    specs = {spec.id: spec for spec in attempt_specs(attempt)}
    cleaned = {}
    for question_id, raw in answers.items():
        spec = specs.get(question_id)
        if spec is None:
            raise scoring.ResponseError(f"“{str(question_id)[:40]}” is not a question of this attempt.")
        cleaned[question_id] = scoring.clean_response(spec, raw)
    return cleaned


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def attempt_save(*, attempt: Attempt, answers: dict, now=None) -> Attempt:
    """Save one answer or many, all or nothing. Raises ResponseError for bad answers and
    AttemptClosed when the attempt is no longer open (closing it first if its time is up)."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            raise AttemptClosed("This attempt has already been submitted; your answers can no longer change.")
        expired = _past_deadline(attempt, now)
        if expired:
            _close(attempt, now=now, expired=True)  # committed before the refusal below
        else:
            _store(attempt, _clean_answers(attempt, answers), now)
    if expired:
        raise AttemptClosed("Time is up: the attempt was submitted with the answers saved before the deadline.")
    return attempt


def _store(attempt: Attempt, cleaned: dict, now) -> None:
    """Upsert the answers in three queries however many there are."""
    existing = {r.question_id: r for r in attempt.responses.filter(question_id__in=list(cleaned))}
    for question_id, response in existing.items():
        response.value, response.saved_at = cleaned[question_id], now
    Response.objects.bulk_update(existing.values(), ["value", "saved_at"])
    Response.objects.bulk_create(
        Response(attempt=attempt, question_id=question_id, value=value, saved_at=now)
        for question_id, value in cleaned.items()
        if question_id not in existing
    )


def attempt_submit(*, attempt: Attempt, answers: dict | None = None, now=None) -> Attempt:
    """Save the final answers and score the attempt. Submitting again returns the same result.

    After the deadline (plus grace) the attempt is closed as expired and scored on what was saved
    in time; answers sent with the late submit are ignored.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            return attempt
        if _past_deadline(attempt, now):
            return _close(attempt, now=now, expired=True)
        if answers:
            _store(attempt, _clean_answers(attempt, answers), now)
        return _close(attempt, now=now, expired=False)


def attempt_expire(*, attempt: Attempt, now=None) -> Attempt:
    """Close an in-progress attempt whose time is up; anything else is returned unchanged."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_open and _past_deadline(attempt, now):
            _close(attempt, now=now, expired=True)
        return attempt


def attempts_close_expired(*, now=None) -> int:
    """Close every in-progress attempt past its deadline; returns how many were closed."""
    now = now or timezone.now()
    overdue = Attempt.objects.in_progress().filter(deadline__lt=now - GRACE).values_list("pk", flat=True)
    closed = 0
    for pk in list(overdue):
        attempt = attempt_expire(attempt=Attempt(pk=pk), now=now)
        closed += attempt.state != Attempt.State.IN_PROGRESS
    return closed


def _close(attempt: Attempt, *, now, expired: bool) -> Attempt:
    attempt.submitted_at = min(now, attempt.deadline) if expired and attempt.deadline else now
    _score(attempt)
    if attempt.passed is None:
        attempt.state = Attempt.State.AWAITING_GRADING
    else:
        attempt.state = Attempt.State.EXPIRED if expired else Attempt.State.SUBMITTED
    attempt.save()
    if attempt.passed:
        certificate_issue_for_quiz(employee=attempt.employee, quiz=attempt.quiz)
    return attempt


def _score(attempt: Attempt, pass_mark=None) -> scoring.AttemptResult:
    """Score every question of the attempt from its saved responses; store points per response."""
    responses = {r.question_id: r for r in attempt.responses.all()}
    results = []
    for spec in attempt_specs(attempt):
        response = responses.get(spec.id)
        manual = Fraction(response.manual_points) if response and response.manual_points is not None else None
        result = scoring.grade(spec, response.value if response else None, manual_points=manual)
        results.append(result)
        if response:
            response.points = decimal_points(result.points)
            response.status = result.status
    Response.objects.bulk_update(responses.values(), ["points", "status"])
    total = scoring.attempt_result(results, pass_mark=attempt.quiz.pass_mark if pass_mark is None else pass_mark)
    attempt.score = decimal_points(total.score)
    attempt.max_score = decimal_points(total.max_score)
    attempt.percentage = decimal_points(total.percentage)
    attempt.passed = total.passed
    return total


def response_grade(*, response: Response, grader, points: Decimal, comment: str = "", now=None) -> Attempt:
    """A manager grades a written answer; the attempt is final once its last one is graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(response.attempt)
        if attempt.state not in (Attempt.State.AWAITING_GRADING, Attempt.State.GRADED):
            raise AttemptClosed("Only submitted attempts can be graded.")
        spec = next(s for s in attempt_specs(attempt) if s.id == response.question_id)
        if not isinstance(spec, scoring.Written):
            raise AttemptClosed("Only written answers are graded by hand.")
        if points < 0 or Fraction(points) > spec.max_points:
            raise ValueError(f"Give between 0 and {decimal_points(spec.max_points)} points.")
        Response.objects.filter(pk=response.pk).update(
            manual_points=points, graded_by=grader, graded_at=now, grader_comment=comment
        )
        _score(attempt)
        if attempt.passed is not None:
            attempt.state = Attempt.State.GRADED
        attempt.save()
        if attempt.passed:
            certificate_issue_for_quiz(employee=attempt.employee, quiz=attempt.quiz)
        return attempt
