"""Benchmark: queries and median server time of the main pages. Prints figures; asserts nothing."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse

from modules.loading import curriculum_load
from modules.models import CoursePage, LessonPage
from training.people.demo import demo_people_load
from training.people.models import Employee


class Command(BaseCommand):
    help = "Load the curriculum, then print queries per view and median server time for the main pages."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50, help="Requests per page (default 50).")

    def handle(self, *args, requests=50, **options):
        curriculum_load()
        demo_people_load()
        employee = Employee.objects.select_related("user").get(user__username="amira")
        course = CoursePage.objects.live().first()
        lesson = LessonPage.objects.live().child_of(course).order_by("path")[2]
        client = Client(HTTP_HOST="localhost")
        client.force_login(employee.user)
        pages = [
            ("catalog", "/"),
            ("course", course.url),
            ("lesson", lesson.url),
            ("my learning", reverse("my_learning")),
        ]
        self.stdout.write(f"{'page':<14}{'queries':>8}{'median ms':>11}{'p90 ms':>9}   ({requests} requests each, {connection.vendor})")
        for name, url in pages:
            assert client.get(url).status_code == 200, url  # warm caches
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
                client.get(url)
            timings = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            p90 = statistics.quantiles(timings, n=10)[-1]
            self.stdout.write(f"{name:<14}{len(queries):>8}{statistics.median(timings):>11.1f}{p90:>9.1f}")
