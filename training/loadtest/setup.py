"""The load test's database side: the made-up employees before the run, the checks after it."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import Attempt, Certificate
from assessments.attempts.services import attempt_tokened
from modules.models import CoursePage, LessonCompletion, LessonPage, QuizPage
from training.demo_activity import SHIPPED_COURSE, _take_quiz
from training.people.hashers import Argon2idHasher
from training.people.models import Employee

PREFIX = "loadtest-"
PASSWORD = "loadtest-Passw0rd-never-real"
FINAL = "final-assessment"


class NotAFreshDatabase(Exception):
    pass


def database_prepare(*, users: int, logins: int, stdout) -> dict:
    """Migrate, load the curriculum, and make `users` employees who have done everything but the
    final assessment (so a pass issues the certificate) and `logins` who only sign in. Everyone
    gets one real Argon2id hash (the production hasher; hashed once, checked at every sign-in).
    Refuses a database that has attempts or load-test people already: the test adds people."""
    call_command("migrate", verbosity=0, interactive=False)
    if Attempt.objects.exists() or get_user_model().objects.filter(username__startswith=PREFIX).exists():
        raise NotAFreshDatabase(
            "This database already has attempts or load-test people: the load test adds made-up employees, so run it on "
            "an empty database (make loadtest makes a throwaway PostgreSQL database and test-artifacts/loadtest.sqlite3)."
        )
    call_command("load_academy", no_people=True, stdout=open("/dev/null", "w"))
    course = CoursePage.objects.live().get(slug=SHIPPED_COURSE)
    steps = [page.specific for page in course.get_children().live().order_by("path")]
    lessons = [page for page in steps if isinstance(page, LessonPage)]
    quizzes = [page for page in steps if isinstance(page, QuizPage) and page.slug != FINAL]
    password = Argon2idHasher().encode(PASSWORD, Argon2idHasher().salt())
    takers = _people("user", users, password)
    _people("login", logins, password)
    rng = random.Random(12)
    for number, employee in enumerate(takers, 1):
        with transaction.atomic():
            LessonCompletion.objects.bulk_create([LessonCompletion(employee=employee, lesson=lesson) for lesson in lessons])
            for quiz in quizzes:
                _take_quiz(employee, quiz, at=timezone.now(), wrong_share=0, rng=rng)
        if number % 100 == 0:
            stdout.write(f"  {number} of {users} employees ready")
    final = QuizPage.objects.live().get(slug=FINAL)
    return {"quiz_url": final.url, "quiz_id": final.pk, "key": answer_key(final)}


def _people(kind: str, count: int, password: str) -> list[Employee]:
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{PREFIX}{kind}-{n:04d}", first_name="Load", last_name=f"Test {kind} {n}", password=password)
        for n in range(1, count + 1)
    )
    if not users or users[0].pk is None:  # databases that do not return ids from bulk inserts
        users = list(User.objects.filter(username__startswith=f"{PREFIX}{kind}-").order_by("username"))
    Employee.objects.bulk_create(Employee(user=user, employee_number=f"LT-{kind}-{n:04d}") for n, user in enumerate(users, 1))
    return list(Employee.objects.filter(user__in=users).select_related("user").order_by("user__username"))


def usernames(kind: str, count: int) -> list[str]:
    return [f"{PREFIX}{kind}-{n:04d}" for n in range(1, count + 1)]


def _text(value: str) -> str:
    return " ".join(value.split())


def answer_key(quiz: QuizPage) -> dict:
    """{prompt: the right answer in the texts the page shows}: what the client reads questions by."""
    key = {}
    for spec in quiz.question_specs():
        data = spec.to_data()
        kind = spec.kind
        if kind == "single_choice":
            answer = next(_text(c["text"]) for c in data["choices"] if c["correct"])
        elif kind == "multiple_choice":
            answer = [_text(c["text"]) for c in data["choices"] if c["correct"]]
        elif kind == "true_false":
            answer = bool(data["answer"])
        elif kind == "numeric":
            answer = str(data["answer"])
        elif kind == "short_text":
            answer = data["accepted"][0]
        elif kind == "ordering":
            answer = [_text(item["text"]) for item in data["items"]]
        elif kind == "matching":
            answer = {_text(pair["prompt"]): _text(pair["answer"]) for pair in data["pairs"]}
        elif kind == "scenario":
            answer = _text(max(data["options"], key=lambda o: Decimal(o["points"]))["text"])
        else:
            answer = None
        prompt = _text(data["prompt"])
        if kind == "scenario":  # scenarios often ask the same "What do you do?" of different situations
            prompt = f"{_text(data['situation'])} | {prompt}"
        if prompt in key:
            raise ValueError(f"Two questions of {quiz.title} share the prompt {prompt!r}; the client reads questions by prompt.")
        key[prompt] = answer
    return key


@dataclass
class Checks:
    """What the database holds after the run, against what the clients did."""

    problems: list[str] = field(default_factory=list)
    attempts: int = 0
    answers_checked: int = 0
    passed: int = 0
    certificates: int = 0
    pdfs: int = 0

    def fail(self, problem: str):
        if len(self.problems) < 20:
            self.problems.append(problem)
        elif len(self.problems) == 20:
            self.problems.append("… and more")


def database_check(*, saved: dict[str, dict], right: dict[str, bool]) -> Checks:
    """One attempt per employee, every answer a client saved stored with its revision, every attempt
    scored (100% when answered right, failed otherwise), the certificate issued exactly once to
    those who passed and to nobody else, each with its PDF."""
    checks = Checks()
    final = QuizPage.objects.get(slug=FINAL)
    course = CoursePage.objects.parent_of(final).get()
    for username, answers in saved.items():
        attempts = list(Attempt.objects.filter(employee__user__username=username, quiz=final).prefetch_related("responses"))
        checks.attempts += len(attempts)
        if len(attempts) != 1:
            checks.fail(f"{username}: {len(attempts)} attempts at the final assessment, expected 1")
            continue
        attempt = attempts[0]
        stored = {r.question_id: r for r in attempt.responses.all()}
        tokened = attempt_tokened(attempt)
        by_token = {tokens["question"]: spec for spec, tokens in tokened}
        for token, (answer, revision) in answers.items():
            checks.answers_checked += 1
            spec = by_token.get(token)
            response = stored.get(spec.id) if spec else None
            expected = scoring.clean_response(spec, scoring.answers_from_public(tokened, {token: answer})[spec.id]) if spec else None
            if response is None:
                checks.fail(f"{username}: the answer to question {token} is lost")
            elif response.value != expected or response.revision != revision:
                checks.fail(f"{username}: question {token} holds {response.value!r} rev {response.revision}, the client saved {expected!r} rev {revision}")
        if attempt.state != Attempt.State.SUBMITTED or attempt.percentage is None or attempt.passed is None:
            checks.fail(f"{username}: attempt {attempt.pk} is {attempt.state}, percentage {attempt.percentage}, passed {attempt.passed}")
        elif right[username] != attempt.passed or (right[username] and attempt.percentage != 100):
            checks.fail(f"{username}: answered {'right' if right[username] else 'wrong'} but scored {attempt.percentage}%")
        checks.passed += bool(attempt.passed)
        certificates = list(Certificate.objects.filter(employee__user__username=username, course=course))
        checks.certificates += len(certificates)
        checks.pdfs += sum(1 for c in certificates if c.pdf)
        if len(certificates) != (1 if attempt.passed else 0):
            checks.fail(f"{username}: {len(certificates)} certificates after {'passing' if attempt.passed else 'failing'}")
        for certificate in certificates:
            if not certificate.pdf:
                checks.fail(f"{username}: certificate {certificate.code} has no PDF")
    return checks
