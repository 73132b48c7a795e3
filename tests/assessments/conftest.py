import pytest

from modules.models import QuizPage
from training.demo_activity import full_marks_response

MARK = "SECRETKEY"  # planted in every part of the answer key; must never reach the browser early
NUMERIC_ANSWER = "987654.321"


def every_type(mark=MARK):
    """One question of each type, with the answer key, feedback and explanations marked."""
    choice = lambda text, correct=False: {"text": text, "correct": correct, "feedback": f"{mark} feedback {text}"}  # noqa: E731
    return [
        ("single_choice", {"prompt": "Grade of a satisfied customer?", "points": "1", "explanation": f"{mark} expl",
                           "choices": [choice("A"), choice("C", True), choice("F")]}),
        ("multiple_choice", {"prompt": "What do loyal customers do?", "points": "2", "explanation": f"{mark} expl",
                             "scoring_rule": "partial", "choices": [choice("Return", True), choice("Brag", True), choice("Shop around")]}),
        ("true_false", {"prompt": "Points cards are loyalty.", "points": "1", "answer": False, "explanation": f"{mark} expl",
                        "feedback_true": f"{mark} ft", "feedback_false": f"{mark} ff"}),
        ("numeric", {"prompt": "Loyal customer per year?", "points": "1", "answer": NUMERIC_ANSWER, "tolerance": "0.5",
                     "unit": "$", "explanation": f"{mark} expl"}),
        ("short_text", {"prompt": "Name the model.", "points": "1", "accepted": [f"{mark} partnership"], "explanation": f"{mark} expl"}),
        ("ordering", {"prompt": "Order the steps.", "points": "1", "items": ["Goal", "Behaviours", "Program"], "explanation": f"{mark} expl"}),
        ("matching", {"prompt": "Match.", "points": "2", "explanation": f"{mark} expl",
                      "pairs": [{"prompt": "Satisfied", "answer": "$200"}, {"prompt": "Loyal", "answer": "$2,600"}]}),
        ("scenario", {"situation": "Soup is cold.", "prompt": "What do you do?", "explanation": f"{mark} expl",
                      "options": [{"text": "Replace it", "points": "7.77", "feedback": f"{mark} good"},
                                  {"text": "Ask the chef", "points": "0.33", "feedback": f"{mark} meh"},
                                  {"text": "Argue", "points": "0", "feedback": f"{mark} bad"}]}),
        ("written", {"prompt": "Describe a Random Act of Worth.", "points": "3", "guidance": f"{mark} guidance", "explanation": f"{mark} expl"}),
    ]


@pytest.fixture
def make_quiz(course):
    def make(questions=None, **rules):
        quiz = QuizPage(
            title=rules.pop("title", "Test quiz"),
            questions=[{"type": t, "value": v} for t, v in (questions if questions is not None else every_type())],
            **rules,
        )
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        return QuizPage.objects.get(pk=quiz.pk)

    return make


def single(prompt="Q", right="Right", wrong="Wrong", points="1"):
    return ("single_choice", {"prompt": prompt, "points": points,
                              "choices": [{"text": right, "correct": True}, {"text": wrong, "correct": False}]})


def choice_id(attempt, question_index, text):
    question = attempt.questions[question_index]
    return next(c["id"] for c in question.get("choices") or question.get("options") if c["text"] == text)


def qtoken(attempt, question_index):
    """The token the browser knows question `question_index` of the attempt by."""
    return attempt.questions[question_index]["tokens"]["question"]


def choice_token(attempt, question_index, text):
    """The token the browser knows the choice (or scenario option) with this text by."""
    question = attempt.questions[question_index]
    role = "choices" if "choices" in question else "options"
    return question["tokens"][role][choice_id(attempt, question_index, text)]


def public_answers(attempt, answers):
    """Answers in answer-key ids ({question id: value}) as a browser must send them: in tokens."""
    from assessments.attempts.services import attempt_public_answers

    return attempt_public_answers(attempt, answers)


def pass_quiz(employee, quiz):
    from assessments.attempts.services import attempt_start, attempt_submit

    attempt = attempt_start(employee=employee, quiz=quiz)
    return attempt_submit(attempt=attempt, answers={q["id"]: full_marks_response(q) for q in attempt.questions})


def complete_course(employee, course):
    """Every lesson marked done (through the service, as the view does) and every quiz passed."""
    from modules.models import LessonPage, QuizPage
    from modules.services import lesson_complete

    for lesson in LessonPage.objects.live().child_of(course):
        lesson_complete(employee=employee, lesson=lesson)
    for quiz in QuizPage.objects.live().child_of(course):
        pass_quiz(employee, quiz)


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


@pytest.fixture
def django_assert_num_statements():
    """`django_assert_num_queries` not counting transaction control: a test runs in a transaction,
    so each `transaction.atomic()` of the code shows as SAVEPOINT / RELEASE here (BEGIN / COMMIT in
    production, and BEGIN IMMEDIATE on SQLite outside tests). The README's attempt-step figures
    count the same way. Lists the statements when the number differs."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def assert_statements(expected):
        with CaptureQueriesContext(connection) as context:
            yield context
        statements = [q["sql"] for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
        listing = "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(statements, 1))
        assert len(statements) == expected, f"{len(statements)} statements, expected {expected}:\n{listing}"

    return assert_statements
