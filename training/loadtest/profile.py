"""`manage.py loadtest --profile`: one employee takes the final assessment in this process (Django's
test client, the same middleware as production) and each step prints its queries, its CPU time
and where that time goes (cProfile), so optimisations start from measurements."""

import cProfile
import os
import io
import json
import pstats
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import Attempt
from training.loadtest.client import AnswerKey, form_fields, questions_on_page

SORT = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime: time in the function itself


def _measure(send, repeat: int, profile: bool):
    """(queries of the first call, median CPU ms of the next `repeat`, cProfile stats, last
    response). The profile covers `repeat` more (warm) calls, measured apart from the CPU figure,
    or the first call of a step made once: a first call also pays for what a process does once
    (static file lists, templates, URL tables)."""
    profiler = cProfile.Profile() if profile else None
    with CaptureQueriesContext(connection) as queries:
        if profiler and not repeat:
            profiler.enable()
        response = send(0)
        if profiler:
            profiler.disable()
    captured = list(queries.captured_queries)  # now: later requests may reset the connection's log
    cpu = []
    for n in range(1, repeat + 1):
        started = time.process_time()
        response = send(n)
        cpu.append((time.process_time() - started) * 1000)
    if profiler and repeat:
        profiler.enable()
        for n in range(repeat + 1, 2 * repeat + 1):
            response = send(n)
        profiler.disable()
    return len(captured), captured, statistics.median(cpu) if cpu else None, profiler, response


def profile_steps(*, username: str, prepared: dict, stdout, repeat: int = 20, top: int = 12, show_sql: bool = False):
    user = Attempt._meta.get_field("employee").related_model.objects.get(user__username=username).user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    key = AnswerKey(prepared["key"])
    quiz_url, quiz_id = prepared["quiz_url"], prepared["quiz_id"]
    steps = []

    def check(response, status):
        assert response.status_code == status, (response.status_code, response.content[:300])
        return response

    steps.append(("open quiz", lambda n: check(client.get(quiz_url), 200), repeat))
    attempt_box = {}

    def start(n):
        response = check(client.post(f"/learning/quizzes/{quiz_id}/start/"), 302)
        attempt_box["url"] = response["Location"]
        return response

    steps.append(("start", start, 0))

    def question_page(n):
        response = check(client.get(attempt_box["url"]), 200)
        attempt_box["q"] = questions_on_page(response.content.decode())[0]
        return response

    steps.append(("question page", question_page, repeat))
    revision_box = {"r": int(time.time() * 1000)}

    def autosave(n):
        q = attempt_box["q"]
        revision_box["r"] += 1
        body = json.dumps({"answers": {q.token: key.answer(q, right=True)}, "revisions": {q.token: revision_box["r"]}})
        return check(client.post(f"{attempt_box['url']}answers/", body, content_type="application/json"), 200)

    steps.append(("autosave", autosave, repeat))

    def save_and_next(n):
        q = attempt_box["q"]
        fields = dict(form_fields(q, key.answer(q, right=True), revision_box["r"]))
        return check(client.post(f"{attempt_box['url']}?q=1", {**fields, "action": "next"}), 302)

    steps.append(("save and next", save_and_next, repeat))

    def submit(n):
        q = attempt_box["q"]
        fields = dict(form_fields(q, key.answer(q, right=True), revision_box["r"]))
        return check(client.post(f"{attempt_box['url']}?q=1", {**fields, "action": "submit"}), 302)

    steps.append(("submit", submit, 0))
    steps.append(("result", lambda n: check(client.get(f"{attempt_box['url']}result/"), 200), repeat))

    results = []
    for name, send, times in steps:
        results.append((name, *_measure(send, times, profile=True)))
    stdout.write(f"{'step':<16}{'queries':>8}{'CPU ms (median)':>17}")
    for name, count, _, cpu, _, _ in results:
        stdout.write(f"{name:<16}{count:>8}{(f'{cpu:.1f}' if cpu is not None else 'once'):>17}")
    for name, count, captured, cpu, profiler, _ in results:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        if os.environ.get("PROFILE_DUMP"):  # a folder: each step's stats, for pstats
            stats.dump_stats(f"{os.environ['PROFILE_DUMP']}/{name.replace(' ', '_')}.prof")
        stats.sort_stats(SORT).print_stats(top + 25)
        stdout.write(f"\n== {name}: {count} queries; time by function ({SORT}; repeated calls, or the one call)")
        lines = [line for line in stream.getvalue().splitlines() if "site-packages/django/core/handlers" not in line]
        stdout.write("\n".join(lines[:top + 30]))
        if show_sql:
            for query in captured:
                stdout.write(f"   SQL: {query['sql'][:300]}")
