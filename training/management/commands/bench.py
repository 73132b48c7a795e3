"""Benchmark: pages, the scoring core, attempt steps and certificates. Prints figures; asserts nothing."""

import json
import multiprocessing
import random
import statistics
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from django.utils import timezone

from assessments import scoring
from assessments.certification import new_code
from assessments.models import Attempt, Certificate
from modules.models import CoursePage, LessonPage, QuizPage
from training.people.models import Employee


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
    help = "Load the academy, then print figures for pages, scoring, attempts and certificates."
    SECTIONS = ("pages", "scoring", "attempts", "certificates")

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
        return len(queries), elapsed

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
        start = time.perf_counter()
        rounds = 0
        while time.perf_counter() - start < 2:
            for answers in attempts:
                results = [scoring.grade(spec, scoring.clean_response(spec, raw)) for spec, raw in answers]
                scoring.attempt_result(results, pass_mark=80)
            rounds += 1
        elapsed = time.perf_counter() - start
        scored = rounds * len(attempts)
        self.stdout.write(f"\nScoring core, 20-question mixed quiz ({', '.join(sorted(by_kind))}), one core:")
        self.stdout.write(f"  {scored / elapsed:,.0f} attempts scored per second = {scored * 20 / elapsed:,.0f} responses per second")

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
            answers = {q["id"]: _answer(scoring.question_from_data(q).public_data(), rng) for q in attempt.questions}
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

    def certificates(self, employee, samples=20, batch=100):
        """Rendering only (no storage): warm in this process, cold in fresh ones, and throughput."""
        from assessments.certificates import render_certificate_pdf

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
        self.stdout.write(f"\nCertificates (one A4 PDF/A-3b page with a QR code; rendering only)")
        self.stdout.write(f"  warm: median {statistics.median(warm):.0f} ms per certificate ({samples} renders)")
        self.stdout.write(f"  cold: median {statistics.median(cold):.0f} ms for the first render in a fresh process ({samples} processes)")
        self.stdout.write(f"  {batch} certificates with 2 processes: {elapsed:.1f} s = {batch / elapsed:.1f} certificates per second")


def _sample_certificate(employee, course):
    now = timezone.now()
    return Certificate(employee=employee, course=course, code=new_code(), issued_at=now, expires_at=now, score=92)


def _render_many(args):
    from assessments.certificates import render_certificate_pdf

    employee_id, course_id, count = args
    certificate = _sample_certificate(Employee.objects.select_related("user").get(pk=employee_id), CoursePage.objects.get(pk=course_id))
    for _ in range(count):
        render_certificate_pdf(certificate)


COLD_SCRIPT = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.dev")
django.setup()
from assessments.certificates import render_certificate_pdf
from modules.models import CoursePage
from training.people.models import Employee
from training.management.commands.bench import _sample_certificate
certificate = _sample_certificate(Employee.objects.get(user__username="amira"), CoursePage.objects.live().first())
start = time.perf_counter()
render_certificate_pdf(certificate)
print((time.perf_counter() - start) * 1000)
"""
