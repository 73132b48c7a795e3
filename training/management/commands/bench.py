"""Benchmark: pages, the scoring core, attempt steps, certificates and a generated organisation.
Prints figures; asserts nothing (except that the generated roster imports without problems)."""

import csv
import io
import json
import multiprocessing
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from django.utils import timezone

from assessments import scoring
from assessments.certificates.services import new_code
from assessments.models import Attempt, Certificate
from assessments.attempts.services import attempt_public_questions
from modules.models import CoursePage, LessonCompletion, LessonPage, QuizPage
from training.enrollment.models import Assignment
from training.people import roles
from training.people.models import Employee, Team
from training.people.roster import roster_import
from training.people.selectors import employees_visible_to

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


class Rollback(Exception):
    pass


def _answer(question: dict, rng: random.Random):
    """A plausible (sometimes wrong) response for a question's public data."""
    kind = question["kind"]
    if kind in ("single_choice", "scenario"):
        return rng.choice(question.get("choices") or question["options"])["id"]
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if rng.random() < 0.5]
    if kind == "true_false":
        return rng.random() < 0.5
    if kind == "numeric":
        return str(rng.choice([200, 2000, 2600, 26000, 5, 70]))
    if kind == "ordering":
        ids = [i["id"] for i in question["items"]]
        rng.shuffle(ids)
        return ids
    if kind == "matching":
        answers = [a["id"] for a in question["answers"]]
        return {p["id"]: rng.choice(answers) for p in question["prompts"]}
    return "partnership model"


class Command(BaseCommand):
    help = "Load the academy, then print figures for pages, scoring, attempts, certificates and a large organisation."
    SECTIONS = ("pages", "scoring", "attempts", "certificates", "org", "exports")

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50, help="Requests per page (default 50).")
        parser.add_argument("--only", choices=self.SECTIONS, action="append", help="Run only these sections.")

    def handle(self, *args, requests=50, only=None, **options):
        call_command("load_academy", stdout=open("/dev/null", "w"))
        employee = Employee.objects.select_related("user").get(user__username="amira")
        client = Client(HTTP_HOST="localhost")
        client.force_login(employee.user)
        sections = only or self.SECTIONS
        if "pages" in sections:
            self.pages(client, requests)
        if "scoring" in sections:
            self.scoring_core()
        if "attempts" in sections:
            try:
                with transaction.atomic():
                    self.attempts(client, employee)
                    raise Rollback  # leave the database as it was
            except Rollback:
                pass
        if "certificates" in sections:
            self.certificates(employee)
        if "org" in sections:
            try:
                with transaction.atomic():
                    self.org()
                    raise Rollback  # leave the database as it was
            except Rollback:
                pass
        if "exports" in sections:
            try:
                with transaction.atomic():
                    self.exports(employee)
                    raise Rollback  # leave the database as it was
            except Rollback:
                pass

    def row(self, name, queries, timings):
        p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
        self.stdout.write(f"{name:<22}{queries:>8}{statistics.median(timings):>11.1f}{p90:>9.1f}")

    def measure(self, send):
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
            start = time.perf_counter()
            response = send()
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 302), response.status_code
        # Statements, not transaction control: the benchmark runs in a transaction, so every
        # atomic block shows as SAVEPOINT / RELEASE (BEGIN / COMMIT in production).
        return sum(1 for sql in queries if not sql.startswith(TRANSACTION_CONTROL)), elapsed

    def pages(self, client, requests):
        course = CoursePage.objects.live().first()
        lesson = LessonPage.objects.live().child_of(course).order_by("path")[2]
        quiz = QuizPage.objects.live().child_of(course).order_by("path").first()
        pages = [("catalog", "/"), ("course", course.url), ("lesson", lesson.url), ("quiz", quiz.url),
                 ("my learning", reverse("my_learning"))]
        self.stdout.write(f"Pages ({requests} requests each, {connection.vendor})")
        self.stdout.write(f"{'page':<22}{'queries':>8}{'median ms':>11}{'p90 ms':>9}")
        for name, url in pages:
            client.get(url)  # warm caches
            queries, _ = self.measure(lambda: client.get(url))
            timings = [self.measure(lambda: client.get(url))[1] for _ in range(requests)]
            self.row(name, queries, timings)

    def scoring_core(self):
        """Pure scoring of a 20-question mixed quiz on one core: no database, no Django."""
        final = QuizPage.objects.get(slug="final-assessment")
        pool = final.question_specs()
        by_kind = {}
        for spec in pool:
            by_kind.setdefault(spec.kind, []).append(spec)
        quiz = []
        while len(quiz) < 20:  # round-robin over the types for a mixed quiz
            for specs in by_kind.values():
                if specs and len(quiz) < 20:
                    quiz.append(specs.pop())
        rng = random.Random(1)
        attempts = [[(spec, _answer(spec.public_data(), rng)) for spec in quiz] for _ in range(500)]
        start, cpu_start = time.perf_counter(), time.process_time()
        rounds = 0
        while time.perf_counter() - start < 2:
            for answers in attempts:
                results = [scoring.grade(spec, scoring.clean_response(spec, raw)) for spec, raw in answers]
                scoring.attempt_result(results, pass_mark=80)
            rounds += 1
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        scored = rounds * len(attempts)
        # Per second of this process's CPU time (one core), which other work on the machine does not
        # shrink; the wall-clock figure after it only matches on an idle machine.
        self.stdout.write(f"\nScoring core, 20-question mixed quiz ({', '.join(sorted(by_kind))}), one core:")
        self.stdout.write(f"  {scored / cpu:,.0f} attempts scored per second = {scored * 20 / cpu:,.0f} responses per second"
                          f" (CPU time; {scored * 20 / elapsed:,.0f} per wall-clock second)")

    def attempts(self, client, employee, runs=30):
        final = QuizPage.objects.get(slug="final-assessment")
        bench = QuizPage(title="Benchmark quiz", slug="benchmark-quiz", questions=final.questions.raw_data,
                         questions_per_attempt=20, attempts_allowed=0, time_limit_minutes=0)
        final.get_parent().add_child(instance=bench)
        bench.save_revision().publish()
        rng = random.Random(2)
        figures = {"start": [], "save one answer": [], "save 20 answers": [], "submit": []}
        queries = {}
        for _ in range(runs):
            n, ms = self.measure(lambda: client.post(reverse("quiz_start", args=[bench.pk])))
            figures["start"].append(ms), queries.setdefault("start", n)
            attempt = Attempt.objects.filter(quiz=bench, state="in_progress").get()
            answers = {q["id"]: _answer(q, rng) for q in attempt_public_questions(attempt)}  # as the page shows them: tokens
            first = next(iter(answers))
            url = reverse("attempt_autosave", args=[attempt.pk])
            for name, payload in (("save one answer", {first: answers[first]}), ("save 20 answers", answers)):
                body = json.dumps({"answers": payload})
                n, ms = self.measure(lambda: client.post(url, body, content_type="application/json"))
                figures[name].append(ms), queries.setdefault(name, n)
            n, ms = self.measure(lambda: client.post(reverse("attempt_take", args=[attempt.pk]), {"action": "submit"}))
            figures["submit"].append(ms), queries.setdefault("submit", n)
        self.stdout.write(f"\nAttempts on a 20-question quiz ({runs} each, through the views)")
        self.stdout.write(f"{'step':<22}{'queries':>8}{'median ms':>11}{'p90 ms':>9}")
        for name, timings in figures.items():
            self.row(name, queries[name], timings)

    def org(self, requests=10):
        """A generated organisation (1 -> 12 -> 250 stores of 20 staff, 5 courses): the team grid and roster import."""
        rng = random.Random(3)
        start = time.perf_counter()
        people = _org_people(rng)
        employees = _org_create(people)
        courses = _org_courses()
        counts = _org_progress(employees, courses, rng, boss=employees[0])
        self.stdout.write(f"\nOrganisation: {len(people):,} people in {len({p.team for p in people})} teams, {len(courses)} courses, "
                          f"built in {time.perf_counter() - start:.0f} s")
        self.stdout.write("  " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
        url, hr = reverse("team"), get_user_model().objects.get(username="hr")
        store_manager = next(e for e, p in zip(employees, people) if p.title == "Store manager")
        self.stdout.write(f"\nTeam grid, GET {url} ({requests} requests each, first page of 50)")
        self.stdout.write(f"{'viewer (people seen)':<22}{'queries':>8}{'median ms':>11}{'p90 ms':>9}")
        viewers = (  # [1]: 25 stores; HR's grid sorted each way (by name unless said)
            ("store manager", store_manager.user, ""), ("regional manager", employees[1].user, ""), ("HR", hr, ""),
            ("HR, due date", hr, "?sort=due"), ("HR, progress", hr, "?sort=progress"),
        )
        for name, user, query in viewers:
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            client.get(url + query)  # warm caches
            queries, _ = self.measure(lambda: client.get(url + query))
            timings = [self.measure(lambda: client.get(url + query))[1] for _ in range(requests)]
            self.row(f"{name} ({employees_visible_to(user=user).count():,})", queries, timings)
        self.stdout.write(f"\nRoster import of {len(people):,} rows")
        for name, fresh in (("same people", False), ("new people", True)):
            data, queries = _roster_csv(people, fresh=fresh), []
            with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
                start = time.perf_counter()
                result = roster_import(data=data, invite=False)
                elapsed = time.perf_counter() - start
            for problem in result.problems[:20]:
                self.stdout.write(f"  problem: {problem}")
            assert not result.problems, f"{len(result.problems)} problems"
            self.stdout.write(f"  {name:<12}{elapsed:6.1f} s {len(queries):5} queries  created {result.created}, updated {result.updated}, "
                              f"unchanged {result.unchanged}, teams created {result.teams_created}")

    def certificates(self, employee, samples=20, batch=100):
        """Rendering only (no storage): warm in this process, cold in fresh ones, and throughput."""
        from assessments.certificates.pdf import render_certificate_pdf

        course = CoursePage.objects.live().first()
        certificate = _sample_certificate(employee, course)
        render_certificate_pdf(certificate)
        warm = []
        for _ in range(samples):
            start = time.perf_counter()
            render_certificate_pdf(certificate)
            warm.append((time.perf_counter() - start) * 1000)
        cold = [float(subprocess.run([sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, check=True).stdout)
                for _ in range(samples)]
        connection.close()  # each worker opens its own connection
        with multiprocessing.get_context("fork").Pool(2) as pool:
            start = time.perf_counter()
            pool.map(_render_many, [(employee.pk, course.pk, batch // 2)] * 2)
            elapsed = time.perf_counter() - start
        self.stdout.write("\nCertificates (one A4 tagged PDF/A-3a page with a QR code; rendering only)")
        self.stdout.write(f"  warm: median {statistics.median(warm):.0f} ms per certificate ({samples} renders)")
        self.stdout.write(f"  cold: median {statistics.median(cold):.0f} ms for the first render in a fresh process ({samples} processes)")
        self.stdout.write(f"  {batch} certificates with 2 processes: {elapsed:.1f} s = {batch / elapsed:.1f} certificates per second")

    def exports(self, employee, rows=100_000, certificates=1000):
        """Streaming report downloads of `rows` attempts, and a bulk ZIP of stored certificates."""
        import tempfile
        import tracemalloc

        from django.core.files.base import ContentFile
        from assessments.certificates.pdf import render_certificate_pdf
        from training.dashboards.certificate_export import certificates_zip_write
        from training.dashboards.reports.filters import certificates_report_queryset

        quiz = QuizPage.objects.live().first()
        people = list(Employee.objects.all()[:10])
        start = timezone.now() - timedelta(days=30)
        Attempt.objects.filter(quiz=quiz).delete()  # demo activity, if any (rolled back): exactly `rows` rows
        Attempt.objects.bulk_create(
            (
                Attempt(employee=person, quiz=quiz, number=number, questions=[], state=Attempt.State.SUBMITTED,
                        started_at=start + timedelta(seconds=number), submitted_at=start + timedelta(seconds=number + 60),
                        score=8, max_score=10, percentage=80, passed=True)
                for person in people
                for number in range(1, rows // len(people) + 1)
            ),
            batch_size=5000,
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username="hr"))
        self.stdout.write(f"\nExports of {rows:,} attempt rows (streamed; {connection.vendor})")
        for export_format in ("csv", "xlsx"):
            begin = time.perf_counter()
            response = client.get("/admin/reports/attempts/", {"export": export_format, "quiz": quiz.pk})
            size = sum(len(chunk) for chunk in response.streaming_content)
            elapsed = time.perf_counter() - begin
            tracemalloc.start()  # a second pass for memory: tracing slows Python down
            response = client.get("/admin/reports/attempts/", {"export": export_format, "quiz": quiz.pk})
            for _ in response.streaming_content:
                pass
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            self.stdout.write(
                f"  {export_format.upper():<5}{elapsed:6.1f} s = {rows / elapsed:>8,.0f} rows per second, "
                f"{size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB"
            )

        course = CoursePage.objects.live().first()
        Certificate.objects.filter(employee=employee).delete()  # demo activity, if any (rolled back): exactly `certificates`
        pdf = render_certificate_pdf(_sample_certificate(employee, course))
        now = timezone.now()
        storage = Certificate._meta.get_field("pdf").storage  # private, where certificate PDFs are kept
        stored = [storage.save(f"certificates/bench-{cycle}.pdf", ContentFile(pdf)) for cycle in range(1, certificates + 1)]
        try:
            Certificate.objects.bulk_create(
                Certificate(employee=employee, course=course, cycle=cycle, code=new_code(), issued_at=now, score=90, pdf=name)
                for cycle, name in enumerate(stored, start=1)
            )
            with tempfile.TemporaryFile() as out:
                begin = time.perf_counter()
                certificates_zip_write(certificates_report_queryset().filter(employee=employee), out)
                elapsed = time.perf_counter() - begin
                size = out.tell()
        finally:
            for name in stored:
                storage.delete(name)
        self.stdout.write(
            f"  ZIP of {certificates:,} stored certificates: {elapsed:.1f} s ({size / 1e6:.0f} MB, manifest included)"
        )


def _sample_certificate(employee, course):
    now = timezone.now()
    return Certificate(employee=employee, course=course, code=new_code(), issued_at=now, expires_at=now, score=92)


def _render_many(args):
    from assessments.certificates.pdf import render_certificate_pdf

    employee_id, course_id, count = args
    certificate = _sample_certificate(Employee.objects.select_related("user").get(pk=employee_id), CoursePage.objects.get(pk=course_id))
    for _ in range(count):
        render_certificate_pdf(certificate)


@dataclass
class _Person:
    number: str
    first: str
    last: str
    email: str
    team: str
    boss: int | None  # index of their manager in the people list
    title: str


FIRST = ["Amira", "Ben", "Chloe", "Dev", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kenji", "Lena", "Mateo", "Nora"]
LAST = ["Okafor", "Reyes", "Smith", "Nguyen", "Garcia", "Muller", "Rossi", "Kowalski", "Haddad", "Larsen", "Silva", "Tanaka"]


def _org_people(rng, stores=250, staff=20, regions=12, big=25) -> list[_Person]:
    """A managing director, `regions` regional managers (the first with `big` stores), store managers
    in their region's team and `staff` people per store team."""
    rest, extra = divmod(stores - big, regions - 1)
    per_region = [big] + [rest + (r < extra) for r in range(regions - 1)]
    people: list[_Person] = []

    def add(team, boss, title):
        n, first, last = len(people) + 1, rng.choice(FIRST), rng.choice(LAST)
        people.append(_Person(f"G{n:05d}", first, last, f"{first}.{last}.{n:05d}@org.example".lower(), team, boss, title))
        return n - 1

    top, store = add("Head office", None, "Managing director"), 0
    regionals = [add("Head office", top, "Regional manager") for _ in per_region]
    for region, (regional, count) in enumerate(zip(regionals, per_region), start=1):
        for _ in range(count):
            store += 1
            manager = add(f"Region {region:02d}", regional, "Store manager")
            for _ in range(staff):
                add(f"Store {store:03d}", manager, "Sales associate")
    return people


def _org_create(people) -> list[Employee]:
    """Users (unusable password), Employees, Teams with their managers and role groups, in bulk."""
    User, now, password = get_user_model(), timezone.now(), make_password(None)
    teams = {name: Team(name=name) for name in dict.fromkeys(p.team for p in people)}
    Team.objects.bulk_create(teams.values())
    users = User.objects.bulk_create([User(username=p.email, email=p.email, first_name=p.first, last_name=p.last,
                                           password=password, date_joined=now) for p in people])
    employees = Employee.objects.bulk_create([Employee(user=u, employee_number=p.number, job_title=p.title, team=teams[p.team])
                                              for u, p in zip(users, people, strict=True)])
    for p in people:
        if p.boss is not None:
            teams[p.team].manager = employees[p.boss]
    Team.objects.bulk_update(teams.values(), ["manager"])
    group = {name: Group.objects.get_or_create(name=name)[0].pk for name in (roles.EMPLOYEE, roles.MANAGER)}
    managers = {t.manager.user_id for t in teams.values()}
    Membership = User.groups.through
    Membership.objects.bulk_create([Membership(user_id=u.pk, group_id=group[roles.EMPLOYEE]) for u in users]
                                   + [Membership(user_id=pk, group_id=group[roles.MANAGER]) for pk in managers])
    return employees


def _org_courses() -> list[CoursePage]:
    """The shipped course and four copies of it (with its lessons and quizzes)."""
    course = CoursePage.objects.live().get(slug="customer-loyalty-fundamentals")
    catalog = course.get_parent()
    copies = [course.copy(recursive=True, to=catalog, update_attrs={"title": f"{course.title} {n}", "slug": f"{course.slug}-{n}"})
              for n in range(2, 6)]
    return [course] + copies


def _org_progress(employees, courses, rng, *, boss) -> dict[str, int]:
    """About 60% of lessons done (in course order), 40% of quizzes attempted, 20% certified,
    2 assignments each due in -10..+30 days."""
    now, today = timezone.now(), timezone.localdate()
    outlines = [(c, list(LessonPage.objects.live().child_of(c).order_by("path")), list(QuizPage.objects.live().child_of(c)))
                for c in courses]
    rows = {LessonCompletion: [], Attempt: [], Certificate: [], Assignment: []}
    for i, employee in enumerate(employees):
        for course, lessons, quizzes in outlines:
            done = round(min(1.0, rng.random() * 1.2) * len(lessons))
            rows[LessonCompletion] += [LessonCompletion(employee=employee, lesson=lesson) for lesson in lessons[:done]]
            for quiz in quizzes:
                if rng.random() < 0.4:
                    score = rng.randint(40, 100)
                    rows[Attempt].append(Attempt(employee=employee, quiz=quiz, number=1, questions=[], state=Attempt.State.SUBMITTED,
                                                 started_at=now, submitted_at=now, percentage=score, passed=score >= quiz.pass_mark))
            if rng.random() < 0.2:
                rows[Certificate].append(Certificate(employee=employee, course=course, code=new_code(), issued_at=now, score=90))
        for course in (courses[i % len(courses)], courses[(i + 1) % len(courses)]):
            rows[Assignment].append(Assignment(employee=employee, course=course, assigned_by=boss.user, assigned_at=now,
                                               due_date=today + timedelta(days=rng.randint(-10, 30))))
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=2000)
    return {model._meta.verbose_name_plural: len(objects) for model, objects in rows.items()}


def _roster_csv(people, *, fresh=False) -> bytes:
    """HR's file for `people`; `fresh` gives everyone (and every team) a new number, email and name."""
    tag = "new-" if fresh else ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_number", "name", "email", "team", "manager_email", "job_title", "active"])
    for p in people:
        manager = tag + people[p.boss].email if p.boss is not None else ""
        writer.writerow([tag + p.number, f"{p.first} {p.last}", tag + p.email, tag + p.team, manager, p.title, "yes"])
    return out.getvalue().encode()


COLD_SCRIPT = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.dev")
django.setup()
from assessments.certificates.pdf import render_certificate_pdf
from modules.models import CoursePage
from training.people.models import Employee
from training.management.commands.bench import _sample_certificate
certificate = _sample_certificate(Employee.objects.get(user__username="amira"), CoursePage.objects.live().first())
start = time.perf_counter()
render_certificate_pdf(certificate)
print((time.perf_counter() - start) * 1000)
"""
