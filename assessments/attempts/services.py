"""Writes for quizzes: start, save, submit, expire, grade. The server decides every score and limit."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments import scoring
from assessments.certificates.services import certificate_issue_after_step
from assessments.models import Attempt, Response, TimeAccommodation
from assessments.progress import quiz_counted_from
from assessments.attempts.selectors import employees_graded_by, time_limit_for
from modules.course_tree import course_tree
from modules.models import QuizPage
from training.people.models import Employee
from training.people.selectors import employees_visible_to
from training.precompiled import MARKERS, PrecompiledQuery

# Saves and submits arriving this long after the deadline still count (network, slow clicks).
GRACE = timedelta(seconds=30)

# Answer revisions sent by a page must fit in a JavaScript number exactly (2**53 - 1).
MAX_REVISION = 2**53 - 1


class AttemptError(Exception):
    """Base for refusals; the message is shown to the employee as it is."""


class NoAttemptsLeft(AttemptError):
    pass


class AttemptClosed(AttemptError):
    """The attempt was submitted or closed; nothing was changed."""


class QuizUnavailable(AttemptError):
    pass


class GradingRefused(AttemptError):
    """The grader may not grade this person's answers (their own, or someone outside their reach)."""


def decimal_points(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _parsed(attempt: Attempt) -> list[tuple[scoring.Question, dict]]:
    """The attempt's frozen questions as (spec, tokens), parsed once per Attempt object: a view
    translates, saves and re-renders with the same questions several times per request, and they
    never change after the start."""
    if "_parsed" not in attempt.__dict__:
        attempt.__dict__["_parsed"] = [(scoring.question_from_data(data), data.get("tokens")) for data in attempt.questions]
    return attempt.__dict__["_parsed"]


def attempt_specs(attempt: Attempt) -> list[scoring.Question]:
    return [spec for spec, _ in _parsed(attempt)]


# The browser knows an attempt's questions only by per-attempt tokens (assessments/scoring/tokens.py).
# Services and everything stored (Response.question_id and values) use answer-key ids; views
# translate at the edge with the three functions below, so nothing else needs to know tokens.


def attempt_tokened(attempt: Attempt) -> list[tuple[scoring.Question, dict]]:
    """The attempt's (spec, tokens) pairs, in the attempt's order."""
    return _parsed(attempt)


def attempt_public_questions(attempt: Attempt, numbers: list[int] | None = None) -> list[dict]:
    """What the browser may see of the attempt's questions (those numbered `numbers`, from 1, or
    all): their public data, in tokens."""
    tokened = attempt_tokened(attempt)
    chosen = tokened if numbers is None else [tokened[n - 1] for n in numbers]
    return [scoring.in_tokens(spec, tokens).public_data() for spec, tokens in chosen]


def attempt_answers_from_public(attempt: Attempt, answers) -> dict:
    """Answers the browser sent (by question token, values in tokens) -> answers in answer-key ids,
    as attempt_save and attempt_submit take them. Raises ResponseError for anything unknown."""
    return scoring.answers_from_public(attempt_tokened(attempt), answers)


def attempt_public_answers(attempt: Attempt, values: dict) -> dict:
    """Saved values ({question id: value}) by question token and in tokens, to show them again."""
    return {
        tokens["question"]: scoring.response_to_public(spec, tokens, values[spec.id])
        for spec, tokens in attempt_tokened(attempt)
        if spec.id in values
    }


def attempt_public_ids(attempt: Attempt, by_question: dict) -> dict:
    """{question id: anything} -> {question token: the same}: revisions and save results for the page."""
    tokens = {spec.id: tokens["question"] for spec, tokens in attempt_tokened(attempt)}
    return {tokens[question_id]: value for question_id, value in by_question.items()}


def attempt_revisions_from_public(attempt: Attempt, revisions):
    """Revisions the browser sent by question token -> by question id. Anything but a mapping is
    passed on for attempt_save to refuse; an unknown token raises ResponseError naming it."""
    if not isinstance(revisions, dict):
        return revisions
    ids = {tokens["question"]: spec.id for spec, tokens in attempt_tokened(attempt)}
    unknown = next((token for token in revisions if token not in ids), None)
    if unknown is not None:
        raise scoring.ResponseError(f"“{str(unknown)[:40]}” is not a question of this attempt.")
    return {ids[token]: revision for token, revision in revisions.items()}


def _draw(quiz, rng: random.Random) -> list[dict]:
    """The questions of a new attempt: drawn from the pool, shuffled as the quiz says, frozen.

    Each frozen question carries `tokens` from `secrets` (never from `rng`, which tests seed), the
    only ids the browser will see. Ordering items are shown in a uniformly random order: forcing it
    to differ from the right one would give away a two-item question.
    """
    pool = quiz.question_specs()
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(pool):
        drawn_ids = {q.id for q in rng.sample(pool, quiz.questions_per_attempt)}
        pool = [q for q in pool if q.id in drawn_ids]
    if quiz.shuffle_questions:
        rng.shuffle(pool)
    frozen = []
    taken = set()
    for question in pool:
        data = question.to_data()
        data["tokens"] = scoring.draw_tokens(question, taken=taken)
        if quiz.shuffle_choices:
            for name in ("choices", "options"):
                if name in data:
                    rng.shuffle(data[name])
        if question.kind == "ordering":
            shown = [item["id"] for item in data["items"]]
            rng.shuffle(shown)
            data["shown"] = shown
        if question.kind == "matching":
            shown = [pair["answer_id"] for pair in data["pairs"]]
            rng.shuffle(shown)
            data["shown"] = shown
        frozen.append(data)
    return frozen


# The reads of a start, compiled once per process (400 people may start at the same instant).
_employee_locked = PrecompiledQuery(lambda pk: Employee.objects.select_for_update().filter(pk=pk).values_list("pk"), MARKERS[0])
_attempts_locked = PrecompiledQuery(
    lambda employee_id, quiz_id: Attempt.objects.select_for_update()
    .filter(employee_id=employee_id, quiz_id=quiz_id)
    .only("pk", "state", "started_at", "deadline"),
    *MARKERS[:2],
)
_quiz_bank = PrecompiledQuery(
    lambda pk: QuizPage.objects.filter(pk=pk, live=True).values_list("questions", "live_revision_id")[:1], MARKERS[0]
)


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
            _employee_locked.rows(employee.pk)
            attempts = _attempts_locked.objects(employee.pk, quiz.pk)
            current = next((attempt for attempt in attempts if attempt.is_open), None)
            if current is not None:
                if _past_deadline(current, now):
                    current.quiz, current.employee = quiz, employee
                    _close(current, now=now, expired=True)
                else:
                    return current
            used = len(attempts)
            if quiz.attempts_allowed:
                # The allowance restarts with each certification cycle for quizzes taken again in
                # it (the final assessment), so it counts only this cycle's attempts.
                since = quiz_counted_from(employee=employee, quizzes=[quiz], now=now).get(quiz.pk)
                used_in_cycle = sum(1 for attempt in attempts if attempt.started_at >= since) if since else used
                if used_in_cycle >= quiz.attempts_allowed:
                    raise NoAttemptsLeft(
                        f"You have used all {quiz.attempts_allowed} attempt(s) allowed for “{quiz.title}”."
                    )
            # The person's own limit (their time accommodation, if any), fixed for this attempt.
            limit = time_limit_for(employee=employee, quiz=quiz)
            deadline = now + timedelta(minutes=limit.minutes) if limit else None
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


# An employee's attempt by id, compiled once per process: every attempt request reads it.
_attempt_of = PrecompiledQuery(lambda pk, employee_id: Attempt.objects.filter(pk=pk, employee_id=employee_id)[:1], *MARKERS[:2])
_attempt_of_locked = PrecompiledQuery(
    lambda pk, employee_id: Attempt.objects.select_for_update().filter(pk=pk, employee_id=employee_id)[:1], *MARKERS[:2]
)


def attempt_of(*, attempt_id: int, employee: Employee, lock: bool = False) -> Attempt:
    """`employee`'s attempt with its quiz; Attempt.DoesNotExist for anybody else's. With `lock`
    its row is locked until the caller's transaction ends: call it inside `transaction.atomic()`.
    The services given a locked attempt in that transaction use it as it is instead of reading and
    locking it again (one read per request)."""
    attempt = (_attempt_of_locked if lock else _attempt_of).first(attempt_id, employee.pk)
    if attempt is None:
        raise Attempt.DoesNotExist(f"Employee {employee.pk} has no attempt {attempt_id}.")
    attempt = attempt_with_quiz(attempt)
    attempt.employee = employee
    if lock:
        attempt.__dict__["_locked"] = True
    return attempt


def quiz_to_start(quiz_id: int) -> QuizPage | None:
    """The live quiz `quiz_id` with its question bank, or None: the page from the published course
    tree with only its bank and live revision read (the whole page row, some forty columns, was a
    fifth of a start's CPU); from the database when the tree lacks it."""
    quiz = course_tree().steps.get(quiz_id)
    if not isinstance(quiz, QuizPage):
        return QuizPage.objects.live().filter(pk=quiz_id).first()
    rows = _quiz_bank.rows(quiz_id)
    if not rows:
        return None
    quiz.questions, quiz.live_revision_id = rows[0]
    return quiz


def attempt_with_quiz(attempt: Attempt) -> Attempt:
    """`attempt` with its quiz (not its question bank: the attempt holds its own questions) from
    the published course tree, without a query; from the database when the quiz is not in it."""
    quiz = course_tree().steps.get(attempt.quiz_id)
    attempt.quiz = quiz if isinstance(quiz, QuizPage) else QuizPage.objects.defer("questions").get(pk=attempt.quiz_id)
    return attempt


def _locked(attempt: Attempt) -> Attempt:
    """The attempt with its row locked: as it is when `attempt_of(lock=True)` read it in this transaction,
    else read again. The frozen questions (and their parsed form) and the quiz and employee already
    loaded are kept: they never change after the start."""
    if attempt.__dict__.get("_locked") and transaction.get_connection().in_atomic_block:
        return attempt
    if "questions" not in attempt.__dict__:
        return Attempt.objects.select_for_update().get(pk=attempt.pk)
    locked = Attempt.objects.select_for_update().defer("questions").get(pk=attempt.pk)
    locked.questions = attempt.questions
    for name in ("_parsed",):
        if name in attempt.__dict__:
            locked.__dict__[name] = attempt.__dict__[name]
    for field in ("quiz", "employee"):
        if Attempt._meta.get_field(field).is_cached(attempt):
            setattr(locked, field, getattr(attempt, field))
    return locked


@dataclass(frozen=True)
class SaveResult:
    """What a save did. `saved`: the ids whose answer is now the stored one, with its revision
    (written now, or sent again with the revision already stored). `stale`: the ids ignored because
    a newer answer was stored first (another tab, or this page's later save that overtook this
    one), with that newer revision. `unanswered`: those of `saved` whose answer is now none (the
    employee cleared it). `answered`: how many questions now have a stored answer."""

    attempt: Attempt
    saved: dict[str, int]
    stale: dict[str, int]
    answered: int
    unanswered: frozenset = frozenset()


def _clean_revisions(attempt: Attempt, cleaned: dict, revisions) -> dict[str, int]:
    """Validate the revisions sent with answers: whole numbers 0..MAX_REVISION, one per answer sent.
    Problems name the question by its number in the attempt (what the employee sees, never its id)."""
    if revisions is None:
        return {}
    if not isinstance(revisions, dict):
        raise scoring.ResponseError("Revisions must map questions to whole numbers.")
    numbers = {data["id"]: number for number, data in enumerate(attempt.questions, 1)}
    for question_id, revision in revisions.items():
        name = f"Question {numbers[question_id]}" if question_id in numbers else f"“{str(question_id)[:40]}”"
        if question_id not in cleaned:
            raise scoring.ResponseError(f"{name} has a revision but no answer.")
        if isinstance(revision, bool) or not isinstance(revision, int) or not 0 <= revision <= MAX_REVISION:
            raise scoring.ResponseError(f"{name}: the revision must be a whole number from 0 to {MAX_REVISION}.")
    return revisions


def attempt_save(*, attempt: Attempt, answers: dict, revisions: dict[str, int] | None = None, now=None) -> SaveResult:
    """Save one answer or many, all or nothing; the newest answer of each question wins.

    `revisions` gives each answer's revision (the page sends when the employee changed it, in ms,
    made monotonic per question). An answer whose revision is not newer than the stored one is
    ignored, not refused: requests overtake each other, and the later change must win whatever
    order they arrive in. Answers sent without a revision (forms without JavaScript, demo data)
    count as changed when the server receives them (see `_store`). Raises ResponseError for bad
    answers or revisions (nothing saved) and AttemptClosed when the attempt is no longer open
    (closing it first if its time is up)."""
    now = now or timezone.now()
    # In a caller's transaction (the views') the block below takes no savepoint: two statements
    # less per save. So nothing is refused inside it, which would spoil that transaction for the
    # page that reports the refusal: answers are checked first, against the frozen questions (they
    # never change), and a closed attempt is reported after it. An attempt already closed or past
    # its time is reported as such whatever the answers (a late tab goes to the result).
    if attempt.is_open and not _past_deadline(attempt, now):
        cleaned = _clean_answers(attempt, answers)
        revisions = _clean_revisions(attempt, cleaned, revisions)
    with transaction.atomic(savepoint=False):
        attempt = _locked(attempt)
        closed = not attempt.is_open
        expired = not closed and _past_deadline(attempt, now)
        if expired:
            _close(attempt, now=now, expired=True)  # committed before the refusal below
        elif not closed:
            result = _store(attempt, cleaned, revisions, now)
    if closed:
        raise AttemptClosed("This attempt has already been submitted; your answers can no longer change.")
    if expired:
        raise AttemptClosed("Time is up: the attempt was submitted with the answers saved before the deadline.")
    return result


def _store(attempt: Attempt, cleaned: dict, revisions: dict[str, int], now) -> SaveResult:
    """Store the answers that are newer than the stored ones and say what happened to each, in one
    statement however many answers (`_responses_upsert_newest`; a save of no answers only counts).

    Callers hold the attempt's row lock (IMMEDIATE transactions on SQLite), so no other save or
    submit of the attempt runs between the lock and this statement; the newest-wins comparison is
    made by the statement itself, against the rows as they are when it runs.

    An answer without a revision gets max(server now in ms, stored + 1): a post with no
    revision is the employee's latest word when it arrives, so it beats whatever is stored, and an
    autosave changed before it and arriving after it (a revision from an earlier moment) still
    loses. Between a page with JavaScript and one without, the order is as good as the two clocks
    agree; between tabs with JavaScript in one browser it is exact (they share one clock).
    """
    if not cleaned:
        answered = Response.objects.filter(attempt=attempt, value__isnull=False).count()
        return SaveResult(attempt=attempt, saved={}, stale={}, answered=answered)
    now_ms = int(now.timestamp() * 1000)
    stored, answered = _responses_upsert_newest(attempt, cleaned, revisions, now=now, now_ms=now_ms)
    saved, stale = {}, {}
    for question_id, revision in stored.items():
        sent = revisions.get(question_id)
        if sent is None or revision == sent:  # written now, or this very answer sent again
            saved[question_id] = revision
        else:  # a newer answer was stored first
            stale[question_id] = revision
    unanswered = frozenset(question_id for question_id in saved if cleaned[question_id] is None)
    return SaveResult(attempt=attempt, saved=saved, stale=stale, answered=answered, unanswered=unanswered)


def _responses_upsert_newest(
    attempt: Attempt, answers: dict, revisions: dict[str, int], *, now, now_ms: int
) -> tuple[dict[str, int], int]:
    """One INSERT ... ON CONFLICT DO UPDATE ... RETURNING for all `answers` (at least one) of the
    attempt: a stored answer is replaced only by a higher revision, or by an answer sent without
    one (then stored at max(now_ms, stored + 1)); otherwise its row is set to what it holds. So
    every answer sent comes back with the revision now stored, in the same statement as the write.

    Returns ({question id: revision now stored}, how many questions of the attempt now have an
    answer). That count is the answers returned plus a subquery over the attempt's other
    questions, which this statement does not touch: the same whether or not the database shows a
    statement its own writes (PostgreSQL does not, SQLite may), and up to date on PostgreSQL
    because the statement starts after the attempt's lock is granted. (Counted in the locking
    SELECT instead, PostgreSQL would read the answers as they were before it waited for the lock.)
    The value itself is returned, not `value IS NOT NULL`: SQLite 3.40 answers that test from the
    row as it was before the update. Needs SQLite >= 3.35 (RETURNING) or PostgreSQL."""
    meta = Response._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    attempt_id, question, value, saved_at, revision = (
        quote(meta.get_field(name).column) for name in ("attempt", "question_id", "value", "saved_at", "revision")
    )
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    rows = [
        Response(attempt=attempt, question_id=question_id, value=answer, saved_at=now, revision=revisions.get(question_id, now_ms))
        for question_id, answer in answers.items()
    ]
    unrevised = [question_id for question_id in answers if question_id not in revisions]

    def placeholders(count):
        return ", ".join(["%s"] * count)

    newer = f"excluded.{revision} > {table}.{revision}"
    no_revision = f"excluded.{question} IN ({placeholders(len(unrevised))})" if unrevised else "1 = 0"
    wins = f"({newer} OR {no_revision})"
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES {', '.join(f'({placeholders(len(fields))})' for _ in rows)}"
        f" ON CONFLICT ({attempt_id}, {question}) DO UPDATE SET"
        f" {value} = CASE WHEN {wins} THEN excluded.{value} ELSE {table}.{value} END,"
        f" {saved_at} = CASE WHEN {wins} THEN excluded.{saved_at} ELSE {table}.{saved_at} END,"
        f" {revision} = CASE WHEN {newer} THEN excluded.{revision} WHEN {no_revision} THEN {table}.{revision} + 1"
        f" ELSE {table}.{revision} END"
        f" RETURNING {question}, {revision}, {value}, (SELECT COUNT(*) FROM {table} other"
        f" WHERE other.{attempt_id} = %s AND other.{value} IS NOT NULL AND other.{question} NOT IN ({placeholders(len(rows))}))"
    )
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields]
    params += unrevised * 3 + [attempt.pk, *answers]  # no_revision appears three times above
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    answered = returned[0][3] + sum(1 for _, _, stored, _ in returned if stored is not None)
    return {question_id: stored_revision for question_id, stored_revision, _, _ in returned}, answered


def attempt_submit(
    *, attempt: Attempt, answers: dict | None = None, revisions: dict[str, int] | None = None, now=None
) -> Attempt:
    """Save the final answers and score the attempt. Submitting again returns the same result.

    The final answers follow `attempt_save`'s rule (newest revision wins), so an autosave that
    reached the server first with a newer answer is scored, and one arriving after the submit
    finds the attempt closed. After the deadline (plus grace) the attempt is closed as expired and
    scored on what was saved in time; answers sent with the late submit are ignored.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            return attempt
        if _past_deadline(attempt, now):
            return _close(attempt, now=now, expired=True)
        if answers or revisions:
            cleaned = _clean_answers(attempt, answers or {})
            _store(attempt, cleaned, _clean_revisions(attempt, cleaned, revisions), now)
        return _close(attempt, now=now, expired=False)


def attempt_expire(*, attempt: Attempt, now=None) -> Attempt:
    """Close an in-progress attempt whose time is up; anything else is returned unchanged. The
    lock is taken only when the attempt, as read, is open and past its deadline (checked again
    under the lock), so reading a page costs no lock."""
    now = now or timezone.now()
    if not (attempt.is_open and _past_deadline(attempt, now)):
        return attempt
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_open and _past_deadline(attempt, now):
            _close(attempt, now=now, expired=True)
        return attempt


def attempts_close_expired(*, now=None) -> int:
    """Close every in-progress attempt past its deadline; returns how many were closed."""
    now = now or timezone.now()
    overdue = Attempt.objects.in_progress().filter(deadline__lt=now - GRACE).only("pk", "state", "deadline")
    closed = 0
    for attempt in list(overdue):
        attempt = attempt_expire(attempt=attempt, now=now)
        closed += attempt.state != Attempt.State.IN_PROGRESS
    return closed


# What closing and grading change on an attempt (its frozen questions are never written again).
SCORED_FIELDS = ["state", "submitted_at", "score", "max_score", "percentage", "passed"]


def _close(attempt: Attempt, *, now, expired: bool) -> Attempt:
    attempt.submitted_at = min(now, attempt.deadline) if expired and attempt.deadline else now
    _score(attempt)
    if attempt.passed is None:
        attempt.state = Attempt.State.AWAITING_GRADING
    else:
        attempt.state = Attempt.State.EXPIRED if expired else Attempt.State.SUBMITTED
    attempt.save(update_fields=SCORED_FIELDS)
    if attempt.passed:
        certificate_issue_after_step(employee=attempt.employee, step=attempt.quiz)
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
    _responses_scores_store(list(responses.values()))
    total = scoring.attempt_result(results, pass_mark=attempt.quiz.pass_mark if pass_mark is None else pass_mark)
    attempt.score = decimal_points(total.score)
    attempt.max_score = decimal_points(total.max_score)
    attempt.percentage = decimal_points(total.percentage)
    attempt.passed = total.passed
    return total


def _responses_scores_store(responses: list[Response]) -> None:
    """Each response's `points` and `status` in one UPDATE ... FROM (VALUES ...). Django's
    bulk_update writes the same with a CASE per row and field, and building that took 4.5 ms of a
    submit's CPU for 15 answers. Needs SQLite >= 3.33 (UPDATE FROM) or PostgreSQL."""
    if not responses:
        return
    meta = Response._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk, points, status = (meta.get_field(name) for name in ("id", "points", "status"))
    rows = ", ".join(["(%s, CAST(%s AS NUMERIC), %s)"] * len(responses))  # the CAST types a column of NULLs
    sql = (
        f"UPDATE {table} SET {quote(points.column)} = v.column2, {quote(status.column)} = v.column3"
        f" FROM (VALUES {rows}) AS v WHERE {table}.{quote(pk.column)} = v.column1"
    )
    params = [
        param for response in responses
        for param in (response.pk, points.get_db_prep_save(response.points, connection), status.get_db_prep_save(response.status, connection))
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def response_grade(*, response: Response, grader, points: Decimal, comment: str = "", now=None) -> Attempt:
    """A manager (or HR) grades a written answer; the attempt is final once its last one is graded.
    Only someone `employees_graded_by` allows may grade it: nobody grades their own answers."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(response.attempt)
        if attempt.state not in (Attempt.State.AWAITING_GRADING, Attempt.State.GRADED):
            raise AttemptClosed("Only submitted attempts can be graded.")
        if not employees_graded_by(user=grader).filter(pk=attempt.employee_id).exists():
            raise GradingRefused(
                "You cannot grade these answers: nobody grades their own, and only the person's manager or HR may."
            )
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
        attempt.save(update_fields=SCORED_FIELDS)
        if attempt.passed:
            certificate_issue_after_step(employee=attempt.employee, step=attempt.quiz)
        return attempt


class AccommodationRefused(AttemptError):
    """The time accommodation cannot be granted or ended as asked; the message says why."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


def time_accommodation_problems(*, quiz=None, factor: Decimal | None, extra_minutes: int | None, reason: str) -> dict[str, str]:
    """What is wrong with a grant, by field (empty when it is fine): the bounds are checked here
    only, for the form and the service alike."""
    problems = {}
    if factor is None and extra_minutes is None:
        problems["factor"] = "Give a factor (such as 1.5), extra minutes, or both."
    if factor is not None and not (1 < factor <= TimeAccommodation.MAX_FACTOR):
        problems["factor"] = f"The factor must be more than 1 and at most {TimeAccommodation.MAX_FACTOR} (1.5 gives half as much time again); {factor} is not."
    if extra_minutes is not None and not (1 <= extra_minutes <= TimeAccommodation.MAX_EXTRA_MINUTES):
        problems["extra_minutes"] = f"Extra minutes must be from 1 to {TimeAccommodation.MAX_EXTRA_MINUTES}; {extra_minutes} is not."
    if not (reason or "").strip():
        problems["reason"] = "Say why the extra time is given (it is kept with the record)."
    if quiz is not None and not quiz.time_limit_minutes:
        problems["quiz"] = f"“{quiz.title}” has no time limit, so extra time would change nothing."
    return problems


def time_accommodation_grant(
    *, employee: Employee, granted_by, reason: str, quiz=None, factor: Decimal | None = None,
    extra_minutes: int | None = None, now=None,
) -> TimeAccommodation:
    """Give `employee` extra time on `quiz` (None: every timed quiz), replacing their current
    grant for that scope (which stays on record, ended). Only HR or the person's manager (their
    teams, transitively) may: anyone else, and anyone for themself, is refused. Attempts already
    started keep their deadline; the next start uses the new limit. Raises AccommodationRefused."""
    now = now or timezone.now()
    if not employees_visible_to(user=granted_by).filter(pk=employee.pk).exists():
        raise AccommodationRefused({"employee": "You can give extra time only to people in the teams you manage (HR: to anyone but yourself)."})
    problems = time_accommodation_problems(quiz=quiz, factor=factor, extra_minutes=extra_minutes, reason=reason)
    if problems:
        raise AccommodationRefused(problems)
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)  # one grant at a time per person
        TimeAccommodation.objects.current().filter(employee=employee, quiz=quiz).update(ended_at=now, ended_by=granted_by)
        return TimeAccommodation.objects.create(
            employee=employee, quiz=quiz, factor=factor, extra_minutes=extra_minutes, reason=reason.strip(),
            granted_by=granted_by, granted_at=now,
        )


def time_accommodation_end(*, accommodation: TimeAccommodation, ended_by, now=None) -> TimeAccommodation:
    """End a current grant (kept on record with who ended it and when). Same rule as granting."""
    if not employees_visible_to(user=ended_by).filter(pk=accommodation.employee_id).exists():
        raise AccommodationRefused({"employee": "You can change extra time only for people in the teams you manage."})
    if accommodation.ended_at is None:
        accommodation.ended_at, accommodation.ended_by = now or timezone.now(), ended_by
        accommodation.save(update_fields=["ended_at", "ended_by"])
    return accommodation
