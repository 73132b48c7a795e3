"""Thin views over the attempt services. Correct answers never leave the server before submission:
attempt pages render only `Question.public_data()`, in the attempt's tokens: every id the browser
sees or sends is a per-attempt token, translated to answer-key ids here, before any service."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import scoring
from assessments.attempts.forms import GradeForm, answers_from_post, revisions_from_post
from assessments.models import Attempt, Response
from assessments.attempts.presenters import STATUS_LABELS, describe_response
from assessments.progress import quiz_standings
from assessments.attempts.review import attempt_review as stored_review  # the view attempt_review is the review before submit
from assessments.attempts.selectors import attempt_saved_answers, employees_graded_by, responses_to_grade
from assessments.attempts.services import (
    AttemptClosed,
    decimal_points,
    AttemptError,
    attempt_answers_from_public,
    attempt_expire,
    attempt_of,
    attempt_public_answers,
    attempt_public_ids,
    attempt_public_questions,
    attempt_revisions_from_public,
    attempt_save,
    attempt_specs,
    attempt_start,
    attempt_submit,
    attempt_tokened,
    quiz_to_start,
    response_grade,
)
from modules.models import QuizPage

MAX_AUTOSAVE_BYTES = 64 * 1024


def _employee_or_404(request):
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise Http404("Only employees take quizzes.")
    return employee


def _own_attempt(request, attempt_id: int, *, lock: bool = False) -> Attempt:
    """The signed-in employee's attempt; anybody else's answers 404. With `lock` (a post, in
    `_atomic_post`'s transaction) its row is locked, so the services it is given read it no
    second time."""
    employee = _employee_or_404(request)
    try:
        return attempt_of(attempt_id=attempt_id, employee=employee, lock=lock)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None


def _atomic_post(view):
    """Runs a post in one transaction (the attempt's row lock is held until the answer is
    written); a page read takes no lock and no transaction."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapper


@require_POST
@login_required
def quiz_start(request, quiz_id: int):
    employee = _employee_or_404(request)
    quiz = quiz_to_start(quiz_id)
    if quiz is None:
        raise Http404("No such quiz.")
    try:
        attempt = attempt_start(employee=employee, quiz=quiz)
    except AttemptError as refusal:
        messages.error(request, str(refusal))
        return redirect(quiz.get_url(request))
    return redirect("attempt_take", attempt.pk)


def _page_of(attempt, total: int, request) -> tuple[int, list[int]]:
    """The numbers of the questions shown: one-per-page quizzes show question `?q=N` (page N),
    others all at once (page 0)."""
    if attempt.quiz.layout != QuizPage.Layout.ONE_PER_PAGE:
        return 0, list(range(1, total + 1))
    try:
        number = min(max(int(request.GET.get("q", 1)), 1), total)
    except ValueError:
        number = 1
    return number, [number]


def _target(action: str, number: int, total: int) -> int:
    """The question page a form button leads to: save, review, next, prev, submit or goto-<n>
    (1..total). Anything else is refused before an answer is saved."""
    if action in ("save", "submit", "review"):
        return number
    if action in ("next", "prev"):
        return number + 1 if action == "next" else number - 1
    page = action.removeprefix("goto-")
    if page != action and page.isascii() and page.isdigit() and len(page) <= 4 and 1 <= int(page) <= total:
        return int(page)
    raise scoring.ResponseError(f"“{action[:40]}” is not something this form can do.")


@login_required
@_atomic_post
def attempt_take(request, attempt_id: int):
    attempt = attempt_expire(attempt=_own_attempt(request, attempt_id, lock=request.method == "POST"))
    if not attempt.is_open:
        if request.method == "POST" and request.POST.get("action") != "submit":
            return _closed_page(request, attempt, AttemptClosed("This attempt was already submitted; nothing was changed."))
        return redirect("attempt_result", attempt.pk)
    ids = [spec.id for spec, _ in attempt_tokened(attempt)]
    number, numbers = _page_of(attempt, len(ids), request)
    # Only these: the others are not on the page. Numbered, as the employee knows them.
    shown = [{**q, "number": n} for q, n in zip(attempt_public_questions(attempt, numbers), numbers)]
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            target = _target(action, number, len(ids))
            answers = attempt_answers_from_public(attempt, answers_from_post(shown, request.POST))
            revisions = attempt_revisions_from_public(attempt, revisions_from_post(shown, request.POST))
            if action == "submit":
                attempt_submit(attempt=attempt, answers=answers, revisions=revisions)
                return redirect("attempt_result", attempt.pk)
            result = attempt_save(attempt=attempt, answers=answers, revisions=revisions)
        except scoring.ResponseError as problem:
            messages.error(request, f"Nothing was saved: {problem}")
            status = 400
        except AttemptClosed as closed:
            return _closed_page(request, attempt, closed)
        else:
            if result.stale:
                numbers_stale = [str(i) for i, question_id in enumerate(ids, 1) if question_id in result.stale]
                which = f"Question {numbers_stale[0]} was" if len(numbers_stale) == 1 else f"Questions {', '.join(numbers_stale)} were"
                messages.warning(
                    request,
                    f"{which} changed in another tab or window after this page was shown; the newer answer "
                    "was kept. Check it before you submit.",
                )
            elif action != "review":
                messages.success(request, "Your answers are saved.")
            if action == "review":  # "Submit attempt": the answers are saved, then reviewed
                return redirect("attempt_review", attempt.pk)
            url = reverse("attempt_take", args=[attempt.pk])
            return redirect(f"{url}?q={target}" if number else url)
    stored = attempt_saved_answers(attempt)
    answered = [stored.get(question_id, (None, 0))[0] is not None for question_id in ids]
    shown_ids = [ids[n - 1] for n in numbers]
    saved = attempt_public_answers(attempt, {i: stored[i][0] for i in shown_ids if i in stored})
    # A refused post shows what it sent, not the stored answers: nothing typed is lost, and quiz.js
    # sends the answers marked unsaved again (the one at fault waits, with its reason, until changed).
    sent = _answers_sent(shown, [attempt_tokened(attempt)[n - 1] for n in numbers], request.POST) if status == 400 else {}
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        # `revision`: quiz.js numbers later changes above it and sends it with unchanged answers.
        "questions": [
            {
                **q,
                "saved": sent.get(q["id"], saved.get(q["id"])),
                "unsaved": q["id"] in sent and sent[q["id"]] != saved.get(q["id"]),
                "revision": stored.get(question_id, (None, 0))[1],
            }
            for q, question_id in zip(shown, shown_ids)
        ],
        "answered_by_number": answered,
        "number": number,
        "total": len(ids),
        "answered": sum(answered),
    }
    return render(request, "assessments/attempt_take.html", context, status=status)


def _answers_sent(shown: list[dict], tokened: list, post) -> dict:
    """The answers a refused form post carried for the `shown` questions (with their (spec, tokens)
    in `tokened`), by question token, as the page shows answers; the one at fault as typed. An
    ordering with impossible positions cannot be shown: it is left out."""
    sent = {}
    for question, (spec, tokens) in zip(shown, tokened):
        try:
            raw = answers_from_post([question], post)[question["id"]]
        except scoring.ResponseError:
            continue
        try:
            sent[question["id"]] = scoring.response_to_public(spec, tokens, scoring.response_from_public(spec, tokens, raw))
        except scoring.ResponseError:
            sent[question["id"]] = raw
    return sent


@login_required
@_atomic_post
def attempt_review(request, attempt_id: int):
    """Review before submitting (WCAG 3.3.4): every question numbered as on the attempt page,
    answered or not, each with a link back, then the final submit. The attempt page's "Submit
    attempt" saves the answers on it first (a plain form post, with or without JavaScript), so
    this page shows what is stored and its submit sends no answers: nothing here can replace one."""
    attempt = attempt_expire(attempt=_own_attempt(request, attempt_id, lock=request.method == "POST"))
    if not attempt.is_open:
        return redirect("attempt_result", attempt.pk)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "submit":
            attempt_submit(attempt=attempt)
            return redirect("attempt_result", attempt.pk)
        messages.error(request, f"“{request.POST.get('action', '')[:40]}” is not something this form can do; nothing was submitted.")
        status = 400
    questions = attempt_public_questions(attempt)
    answered_ids = set(attempt_public_ids(attempt, {r.question_id: True for r in attempt.responses.exclude(value=None)}))
    take = reverse("attempt_take", args=[attempt.pk])
    one_per_page = attempt.quiz.layout == QuizPage.Layout.ONE_PER_PAGE
    rows = [
        {
            "number": number,
            "question": question,  # public data, frozen at the start: prompt and image as on the attempt page
            "answered": question["id"] in answered_ids,
            "url": f"{take}?q={number}" if one_per_page else f"{take}#question-{number}",
        }
        for number, question in enumerate(questions, 1)
    ]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "rows": rows,
        "answered": sum(row["answered"] for row in rows),
        "unanswered": [row for row in rows if not row["answered"]],
        "total": len(rows),
        "back_url": f"{take}?q={next((r['number'] for r in rows if not r['answered']), len(rows))}" if one_per_page else take,
    }
    return render(request, "assessments/attempt_review.html", context, status=status)


def _closed_page(request, attempt, closed):
    return render(request, "assessments/attempt_closed.html", {"attempt": attempt, "message": str(closed)}, status=409)


@require_POST
@login_required
@_atomic_post
def attempt_autosave(request, attempt_id: int):
    """JSON autosave used by quiz.js; every id in it is a question token.

    {"answers": {question: value in tokens}, "revisions": {question: int}} -> {"saved": [questions],
    "stale": {question: newer stored revision}, "answered": n, "total": n}. A stale question is not
    an error: a newer answer (another tab, or a later request that overtook this one) was kept.
    """
    attempt = _own_attempt(request, attempt_id, lock=True)
    # Checked before the body is read: a form or multipart body has been parsed by then (CSRF) and
    # can no longer be read as bytes.
    if request.content_type != "application/json":
        return JsonResponse({"error": "Send the answers as JSON (Content-Type: application/json)."}, status=415)
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return JsonResponse({"error": f"Too much data: at most {MAX_AUTOSAVE_BYTES // 1024} KB per save."}, status=400)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly nested arrays
        return JsonResponse({"error": "The request is not valid JSON."}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return JsonResponse({"error": "Send an object with an “answers” object inside."}, status=400)
    try:
        result = attempt_save(
            attempt=attempt,
            answers=attempt_answers_from_public(attempt, payload["answers"]),
            revisions=attempt_revisions_from_public(attempt, payload.get("revisions")),
        )
    except scoring.ResponseError as problem:
        # `question`: the token of the question whose answer is wrong, so the page can hold that
        # one back and still save the others.
        return JsonResponse({"error": f"Nothing was saved: {problem}", "question": problem.question}, status=400)
    except AttemptClosed as closed:
        return JsonResponse({"error": str(closed), "result_url": reverse("attempt_result", args=[attempt.pk])}, status=409)
    return JsonResponse(
        {
            "saved": sorted(attempt_public_ids(attempt, result.saved)),
            # Saved with no answer (cleared): the page marks the others' links answered.
            "unanswered": sorted(attempt_public_ids(attempt, dict.fromkeys(result.unanswered))),
            "stale": attempt_public_ids(attempt, result.stale),
            "answered": result.answered,
            "total": len(attempt.questions),
        }
    )


def _feedback_allowed(attempt: Attempt, standing) -> bool:
    shown = attempt.quiz.feedback_shown
    if shown == QuizPage.FeedbackShown.NEVER:
        return False
    if shown == QuizPage.FeedbackShown.AFTER_PASS:
        return standing.passed
    return True


@login_required
def attempt_result(request, attempt_id: int):
    attempt = attempt_expire(attempt=_own_attempt(request, attempt_id))
    if attempt.is_open:
        return redirect("attempt_take", attempt.pk)
    quiz = attempt.quiz
    standing = quiz_standings(employee=attempt.employee, quizzes=[quiz])[quiz.pk]
    review = []
    if _feedback_allowed(attempt, standing):
        for answer in stored_review(attempt):
            public = scoring.in_tokens(answer.question, answer.tokens).public_data()  # tokens here too: no key id reaches any page
            review.append(
                {
                    "number": answer.number,
                    "question": public,
                    "answer": describe_response(public, scoring.response_to_public(answer.question, answer.tokens, answer.value)),
                    "status": answer.status,
                    "status_label": STATUS_LABELS[answer.status],
                    "points": answer.points,
                    "max_points": answer.max_points,
                    "feedback": answer.feedback,
                    "grader_comment": answer.response.grader_comment if answer.response else "",
                }
            )
    context = {"attempt": attempt, "quiz": quiz, "standing": standing, "review": review}
    return render(request, "assessments/attempt_result.html", context)


@login_required
def grading_queue(request):
    """Written answers of the manager's people that wait for a grade, oldest first."""
    pending = (
        responses_to_grade(user=request.user)
        .select_related("attempt__employee__user", "attempt__quiz")
        .order_by("attempt__submitted_at", "pk")
    )
    return render(request, "assessments/grading_queue.html", {"pending": pending})


@login_required
def response_grade_view(request, response_id: int):
    response = get_object_or_404(
        Response.objects.select_related("attempt__employee__user", "attempt__quiz"),
        pk=response_id,
        attempt__employee__in=employees_graded_by(user=request.user),
    )
    spec = next((s for s in attempt_specs(response.attempt) if s.id == response.question_id), None)
    if not isinstance(spec, scoring.Written):
        raise Http404("Only written answers are graded by hand.")
    form = GradeForm(request.POST or None, max_points=decimal_points(spec.max_points))
    if request.method == "POST" and form.is_valid():
        try:
            response_grade(
                response=response, grader=request.user, points=form.cleaned_data["points"], comment=form.cleaned_data["comment"]
            )
        except (AttemptError, ValueError) as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"Grade saved for {response.attempt.employee}.")
            return redirect("grading_queue")
    context = {"response": response, "question": spec, "form": form}
    return render(request, "assessments/response_grade.html", context)
