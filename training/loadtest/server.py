"""The load test's server: gunicorn with the production settings, and the CPU its workers and the
database's backends spend, read from /proc (utime + stime) by a sampler thread."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(db: dict) -> str:
    """The URL of the database this process uses (a test database too), for gunicorn's workers."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Gunicorn:
    """gunicorn on a free loopback port, training.settings.production, `workers` sync workers (or
    deploy/gunicorn.conf.py when the repository has one). Everything it starts, it stops."""

    def __init__(self, *, db: dict, workers: int, threads: int, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        artifacts = Path(settings.BASE_DIR) / "test-artifacts" / "loadtest"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "training.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "SITE_URL": self.base,
            "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback, no TLS proxy in front
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(db),
            "DJANGO_PRIVATE_ROOT": str(artifacts / "private"),
            "DJANGO_MEDIA_ROOT": str(artifacts / "media"),
            "DJANGO_CACHE_DIR": str(artifacts / "cache"),
        }
        static_files_collect(env)
        command = [sys.executable, "-m", "gunicorn", "training.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        config = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
        if config.exists():
            command += ["--config", str(config)]
        command += ["--workers", str(workers), "--threads", str(threads), "--worker-class", "sync" if threads == 1 else "gthread"]
        self.description = f"gunicorn {workers} {'sync workers' if threads == 1 else f'workers x {threads} threads'}"
        self.log = open(log, "w")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
                                        start_new_session=True)
        self.workers = workers

    def wait_ready(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (exit {self.process.returncode}); see {self.log.name}")
            try:
                urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5).read()
            except urllib.error.HTTPError as error:
                raise RuntimeError(f"gunicorn answers the login page with {error.code}; see {self.log.name}") from None
            except OSError:
                time.sleep(0.3)
                continue
            if len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        return [pid for pid, ppid, _ in _processes() if ppid == self.process.pid]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def static_files_collect(env: dict):
    """collectstatic when the production settings serve a manifest of hashed names and there is none
    yet (a fresh checkout): every page would fail without it."""
    ask = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"
    backend = subprocess.run([sys.executable, "-c", ask], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    if "Manifest" in backend.stdout and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=settings.BASE_DIR, check=True)


def _processes():
    """(pid, parent pid, cumulative CPU ticks) of every process we may read."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        yield int(entry.name), int(fields[1]), int(fields[11]) + int(fields[12])


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuSampler:
    """Samples, every `interval` seconds, the CPU of gunicorn (master and workers) and of the
    PostgreSQL backends serving `database` (their process title names it). A process that ends
    between samples keeps its last reading, so a worker restarted mid-run still counts."""

    def __init__(self, gunicorn: Gunicorn, database: str | None, interval: float = 0.5):
        self.gunicorn, self.database, self.interval = gunicorn, database, interval
        self.server: dict[int, int] = {}
        self.db: dict[int, int] = {}
        self.backend_pids: dict[int, bool] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.sample()
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def _is_backend(self, pid: int) -> bool:
        if pid not in self.backend_pids:
            title = _cmdline(pid)
            self.backend_pids[pid] = title.startswith("postgres: ") and f" {self.database} " in title
        return self.backend_pids[pid]

    def sample(self):
        master = self.gunicorn.process.pid
        with self._lock:
            for pid, ppid, ticks in _processes():
                if pid == master or ppid == master:
                    self.server[pid] = ticks
                elif self.database and self._is_backend(pid):
                    self.db[pid] = ticks

    def reading(self) -> tuple[float, float]:
        """(server ms, database ms) so far; subtract two readings for a phase."""
        self.sample()
        with self._lock:
            return sum(self.server.values()) * TICK_MS, sum(self.db.values()) * TICK_MS
