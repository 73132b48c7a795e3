"""Start and stop the production pieces as real processes: gunicorn instances and RQ workers,
sharing the test database, a redis-server and a private folder. Everything started is stopped
(its whole process group), also when a test fails."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database (already migrated and filled by pytest-django) as a DATABASE_URL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class Processes:
    def __init__(self, *, redis_url: str, private_root: Path, logs: Path, site_url: str, extra_env=None):
        self.logs = logs
        self.started: list[subprocess.Popen] = []
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TASKS_", "ACADEMY_TEST_"))},
            "DJANGO_SETTINGS_MODULE": "tests.multiprocess.settings",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SECRET_KEY": "multiprocess-test-" + "x" * 40,
            "SITE_URL": site_url,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "DJANGO_PRIVATE_ROOT": str(private_root),
            "DJANGO_MEDIA_ROOT": str(private_root.parent / "media"),
            "DJANGO_SECURE_COOKIES": "0",  # plain http on loopback
            "DJANGO_SSL_REDIRECT": "0",
            "VERIFY_RATE_PER_MINUTE": "6",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            **(extra_env or {}),
        }
        logs.mkdir(parents=True, exist_ok=True)

    def _start(self, name: str, command: list[str], env=None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # its own process group: stopped with its children
        log.close()
        self.started.append(process)
        return process

    def gunicorn(self, name: str) -> str:
        port = free_port()
        self._start(name, [sys.executable, "-m", "gunicorn", "training.wsgi:application", "--chdir", str(ROOT),
                           "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
                           "--no-control-socket"])  # two instances on one machine would share its path
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{url}/accounts/login/", timeout=30).status_code == 200:
                    return url
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"gunicorn {name} did not answer on {url}; see {self.logs / (name + '.log')}")
            time.sleep(0.2)

    def worker(self, name: str, env=None) -> subprocess.Popen:
        return self._start(name, [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler",
                                     "--job-class", "django_tasks_rq.backend.Job", "--name", name], env=env)

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    @staticmethod
    def kill(process: subprocess.Popen, *also: int) -> None:
        """SIGKILL to the process's group and to `also` (an RQ work horse: it runs in a session of
        its own), as a crash of the machine's worker would."""
        for pid in also:
            os.kill(pid, signal.SIGKILL)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.started:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def other_sessions(self) -> list:
        """PostgreSQL sessions on the test database other than this process's own."""
        if connection.vendor != "postgresql":
            return []
        deadline = time.monotonic() + 10  # a backend whose client died ends a moment later
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pid, client_port, state, left(query, 80) FROM pg_stat_activity"
                               " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                sessions = cursor.fetchall()
            if not sessions or time.monotonic() > deadline:
                return sessions
            time.sleep(0.2)

    def log_tail(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.logs.glob("*.log")))
