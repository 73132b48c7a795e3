"""`make loadtest`: employees with sessions take the final assessment through gunicorn, all starting
at the same instant; then a burst of simultaneous sign-ins. Prints figures, checks the database,
exits non-zero when a request failed or a check did not hold. See README "Load test"."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import os
import random
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

import aiohttp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from assessments.models import Certificate
from training.loadtest.client import KEEPALIVE_SECONDS, AnswerKey, Connections, Employee, Stats, think_time
from training.loadtest.profile import profile_steps
from training.loadtest.server import CpuSampler, Gunicorn, RedisServer, TaskWorker
from training.loadtest.setup import PASSWORD, NotAFreshDatabase, database_check, database_prepare, usernames

STEPS = ["open quiz", "start", "first question", "question page", "autosave", "save and next", "submit", "result"]


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        low, high = float(low), float(high or low)
    except ValueError:
        raise CommandError(f"--think takes seconds as LOW-HIGH (e.g. 2-8) or one number, not {text!r}.") from None
    if not 0 <= low <= high:
        raise CommandError(f"--think: {text!r} is not a range from low to high.")
    return low, high


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def certificates_rendered_wait(cpu, *, since: dict, timeout: float) -> dict:
    """Waits until the worker has stored every issued certificate's PDF (or `timeout` seconds);
    how long that took after the last request, and the worker's CPU per PDF since `since`."""
    waited = time.perf_counter()
    while Certificate.objects.filter(pdf="").exists() and time.perf_counter() - waited < timeout:
        time.sleep(0.2)
    after = time.perf_counter() - waited
    pdfs = Certificate.objects.exclude(pdf="").count()
    connections.close_all()
    worker_ms = cpu.reading()["worker"] - since["worker"]
    return {"pdfs": pdfs, "after": after, "worker_ms": worker_ms / pdfs if pdfs else 0}


class Command(BaseCommand):
    help = ("Load test: N employees start the final assessment at the same instant through gunicorn (production settings), "
            "then answer, autosave and submit; and a burst of simultaneous sign-ins. Needs an empty database.")

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Employees taking the final assessment (default 50).")
        parser.add_argument("--logins", type=int, default=100, help="Employees signing in at once (default 100; 0: none).")
        parser.add_argument("--think", default="2-8", help="Think time between steps in seconds, LOW-HIGH (default 2-8; 0: none).")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4).")
        parser.add_argument("--threads", type=int, default=2, help="Threads per worker (default 2).")
        parser.add_argument("--wrong", type=float, default=0.25, help="Share of employees who answer wrong and fail (default 0.25).")
        parser.add_argument("--profile", action="store_true",
                            help="Instead of the load test: one employee's steps in this process, with queries, CPU and cProfile.")
        parser.add_argument("--sql", action="store_true", help="With --profile: print every query of each step.")
        parser.add_argument("--timeout", type=float, default=120, help="Seconds one request may take before it counts as an error.")

    def handle(self, *args, users, logins, think, workers, threads, wrong, timeout, profile, sql, **options):
        low, high = think_range(think)
        if profile:
            try:
                prepared = database_prepare(users=1, logins=0, stdout=self.stdout)
            except NotAFreshDatabase as refusal:
                raise CommandError(str(refusal)) from None
            profile_steps(username=usernames("user", 1)[0], prepared=prepared, stdout=self.stdout, show_sql=sql)
            return
        if users < 1 or logins < 0 or workers < 1 or threads < 1:
            raise CommandError("--users, --workers and --threads must be at least 1, --logins at least 0.")
        db = connection.settings_dict
        vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        load_before = os.getloadavg()
        self.stdout.write(f"Load test on {vendor} ({db['NAME']}): {users} employees, think time {low:g}-{high:g} s, {logins} sign-ins at once")
        started = time.perf_counter()
        try:
            prepared = database_prepare(users=users, logins=logins, stdout=self.stdout)
        except NotAFreshDatabase as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Prepared in {time.perf_counter() - started:.0f} s")
        connections.close_all()  # the orchestrator's own backend must not count as the server's
        logs = Path(settings.BASE_DIR) / "test-artifacts"
        logs.mkdir(exist_ok=True)
        log = logs / f"loadtest-gunicorn-{os.getpid()}.log"
        redis = RedisServer()
        server = worker = None
        try:
            server = Gunicorn(db=db, redis_url=redis.url, workers=workers, threads=threads, log=log)
            worker = TaskWorker(server, log=logs / f"loadtest-worker-{os.getpid()}.log")
            server.wait_ready()
            cpu = CpuSampler(server, db["NAME"] if connection.vendor == "postgresql" else None, redis, worker).start()
            # The client's event loop runs in a thread of its own: the caller's thread may already
            # have one (a test session after Playwright's browser tests).
            with ThreadPoolExecutor(max_workers=1) as client_thread:
                run = client_thread.submit(asyncio.run, self.run(
                    server, cpu, prepared, users=users, logins=logins, think=(low, high), wrong=wrong, timeout=timeout
                )).result()
            run["rendering"] = certificates_rendered_wait(cpu, since=run["quiz_cpu_before"], timeout=timeout * 5)
            cpu.stop()
        finally:
            for process in (worker, server, redis):
                if process:
                    process.stop()
        checks = database_check(saved=run["saved"], right=run["right"])
        load_after = os.getloadavg()
        failed = self.report(run, checks, vendor=vendor, server=server, users=users, logins=logins, think=(low, high),
                             load=(load_before, load_after))
        if failed:
            raise CommandError(f"The load test failed (see above; gunicorn's log: {log}).")

    async def run(self, server, cpu, prepared, *, users, logins, think, wrong, timeout) -> dict:
        rng = random.Random(3)
        # Connections kept open between requests, as nginx keeps them to gunicorn (see KEEPALIVE_SECONDS).
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_SECONDS)
        connections = Connections()
        try:
            signed_in = Stats()
            takers = [Employee(server.base, name, PASSWORD, connector, signed_in, timeout, connections) for name in usernames("user", users)]
            # Sign the takers in beforehand, a few at a time (this also warms every worker up).
            queue = list(takers)

            async def sign_in_some():
                while queue:
                    await queue.pop().sign_in()

            await asyncio.gather(*(sign_in_some() for _ in range(server.workers * 2)))
            if signed_in.errors:
                raise CommandError(f"Signing the employees in failed: {next(iter(signed_in.errors.values()))[0]}")
            result = {"login": await self.login_burst(server, cpu, connector, connections, logins, timeout) if logins else None}
            opened = connections.opened
            result.update(await self.quiz(takers, cpu, prepared, think=think, wrong=wrong, rng=rng))
            result["connections"] = connections.opened - opened
            await asyncio.gather(*(employee.close() for employee in takers))
        finally:
            await connector.close()
        return result

    async def login_burst(self, server, cpu, connector, connections, logins, timeout) -> dict:
        """`logins` employees load the login page, then all post it at the same instant."""
        stats = Stats()
        people = [Employee(server.base, name, PASSWORD, connector, stats, timeout, connections) for name in usernames("login", logins)]
        ready, arrived = asyncio.Event(), []
        before = cpu.reading()
        tasks = [asyncio.create_task(p.sign_in("burst sign-in", ready, lambda: arrived.append(1))) for p in people]
        while len(arrived) < logins and not any(t.done() for t in tasks):
            await asyncio.sleep(0.01)
        went = time.perf_counter()
        ready.set()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        took = time.perf_counter() - went
        after = cpu.reading()
        await asyncio.gather(*(p.close() for p in people))
        problems = [str(o) for o in outcomes if isinstance(o, Exception)]
        return {"stats": stats, "seconds": took, "problems": problems,
                "cpu": {group: (after[group] - before[group]) / logins for group in after}}

    async def quiz(self, takers, cpu, prepared, *, think, wrong, rng) -> dict:
        stats = Stats()
        key = AnswerKey(prepared["key"])
        right = {t.username: rng.random() >= wrong for t in takers}
        for t in takers:
            t.stats = stats
        go, arrived = asyncio.Event(), []
        pause = think_time(*think, rng)
        before, began = cpu.reading(), time.perf_counter()
        tasks = [
            asyncio.create_task(t.take_quiz(prepared["quiz_url"], prepared["quiz_id"], key, right=right[t.username], think=pause,
                                            go=go, arrived=lambda: arrived.append(1)))
            for t in takers
        ]
        while len(arrived) < len(takers) and not any(t.done() for t in tasks):
            await asyncio.sleep(0.01)
        went, burst_before = time.perf_counter(), (cpu.reading(), time.process_time())
        go.set()

        async def burst_cpu():
            """CPU spent from the common start until every first question page is in (or a taker stopped)."""
            while not all(t.first_page_done for t in takers) and not any(t.done() for t in tasks):
                await asyncio.sleep(0.05)
            server, client = cpu.reading(), time.process_time()
            return {**{group: (server[group] - burst_before[0][group]) / 1000 for group in server},
                    "client": client - burst_before[1]}

        burst_cpu_task = asyncio.create_task(burst_cpu())
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        ended = time.perf_counter()
        after = cpu.reading()
        firsts = [t.first_page_done for t in takers if t.first_page_done]
        burst = (max(firsts) - went) if len(firsts) == len(takers) else None
        # Steady: from the end of the burst until the first employee is done, everyone is taking the quiz.
        requests = sum(len(v) for v in stats.timings.values())
        window_start = went + (burst or 0)
        window_end = min([t.finished for t in takers if t.finished] or [ended])
        steady = sum(1 for e in stats.ends if window_start <= e <= window_end)
        return {
            "stats": stats,
            "problems": [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, Exception)],
            "burst": burst,
            "burst_cpu": await burst_cpu_task,
            "steady_rps": steady / (window_end - window_start) if window_end > window_start + 1 else None,
            "seconds": ended - began,
            "requests": requests,
            "cpu": {group: (after[group] - before[group]) / requests for group in after},
            "quiz_cpu_before": before,
            "saved": {t.username: t.saved for t in takers},
            "right": right,
        }

    def report(self, run, checks, *, vendor, server, users, logins, think, load) -> bool:
        quiz, login = run, run["login"]
        stats = quiz["stats"]
        errors = sum(len(v) for v in stats.errors.values()) + len(quiz["problems"])
        w = self.stdout.write
        w("")
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        w(f"#### {vendor}, {server.description}: {users} employees, think time {think[0]:g}-{think[1]:g} s ({when}, "
          f"{os.cpu_count()} cores, load average {load[0][0]:.2f} before, {load[1][0]:.2f} after)")
        w("")
        w("| step | requests | errors | p50 ms | p95 ms | p99 ms |")
        w("|---|---:|---:|---:|---:|---:|")
        for step in STEPS + ([login and "burst sign-in"] if login else []):
            source = login["stats"] if step == "burst sign-in" else stats
            timings = source.timings.get(step, [])
            if not timings:
                continue
            w(f"| {step} | {len(timings)} | {len(source.errors.get(step, []))} | {statistics.median(timings):.0f} | "
              f"{percentile(timings, 0.95):.0f} | {percentile(timings, 0.99):.0f} |")
        w("")
        burst = f"{quiz['burst']:.1f} s" if quiz["burst"] is not None else "not finished"
        steady = f"{quiz['steady_rps']:.0f} requests/s" if quiz["steady_rps"] else "n/a (too short)"
        in_burst = quiz["burst_cpu"]
        w(f"- start burst (every start and first question page): {burst}, using {in_burst['server']:.1f} s of CPU in the server, "
          f"{in_burst['database']:.1f} s in the database, {in_burst['redis']:.1f} s in Redis and {in_burst['client']:.1f} s in this load test's "
          f"client; after it, {steady}; {quiz['requests']} quiz requests in {quiz['seconds']:.0f} s over {quiz['connections']} "
          f"connections, {errors} errors")
        used = quiz["cpu"]
        w(f"- CPU per quiz request: {used['server'] + used['database'] + used['redis']:.1f} ms (server {used['server']:.1f} ms, "
          f"database {used['database']:.1f} ms{'' if vendor == 'PostgreSQL' else ', inside the server'}, Redis {used['redis']:.1f} ms)")
        rendering = quiz["rendering"]
        w(f"- certificate PDFs, rendered by the task worker: {rendering['pdfs']} in all, the last {rendering['after']:.1f} s after the "
          f"last result page, {rendering['worker_ms']:.0f} ms of worker CPU each")
        if login:
            login_errors = sum(len(v) for v in login["stats"].errors.values()) + len(login["problems"])
            w(f"- {logins} sign-ins at once: done in {login['seconds']:.1f} s, {login_errors} errors, "
              f"{sum(login['cpu'].values()):.0f} ms CPU each (server {login['cpu']['server']:.0f}, database {login['cpu']['database']:.0f})")
        w(f"- checks: {checks.attempts} attempts for {users} employees, {checks.answers_checked} saved answers all stored, "
          f"{checks.passed} passed, {checks.certificates} certificates ({checks.pdfs} PDFs stored)"
          if not checks.problems else f"- checks FAILED: {len(checks.problems)} problem(s)")
        for problem in checks.problems:
            self.stderr.write(f"  {problem}")
        for problem in (quiz["problems"] + (login["problems"] if login else []))[:5]:
            self.stderr.write(f"  {problem}")
        for source in [stats] + ([login["stats"]] if login else []):
            for step, problems in source.errors.items():
                for problem in problems[:3]:
                    self.stderr.write(f"  {step}: {problem}")
        return bool(errors or checks.problems or (login and (login["problems"] or login["stats"].errors)))
