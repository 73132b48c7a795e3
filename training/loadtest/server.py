"""The load test's server, as production runs it: gunicorn with the production settings, a
redis-server for the cache and the task queue, one RQ worker; and the CPU each of them and the
database's backends spend, read from /proc by a sampler thread."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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


class RedisServer:
    """Debian's redis-server on a free loopback port, keeping nothing on disk. stop() ends it."""

    def __init__(self):
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed: `make install-test` installs it from Debian.")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="redis-")
        self.process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                         "--appendonly", "no", "--dir", self.workdir], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, training.settings.production
    with `redis_url` as cache and task queue, `workers` workers of `threads` threads. Everything it
    starts, it stops."""

    def __init__(self, *, db: dict, redis_url: str, workers: int, threads: int, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        artifacts = Path(settings.BASE_DIR) / "test-artifacts" / "loadtest"
        self.env = env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "training.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "SITE_URL": self.base,
            "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback, no TLS proxy in front
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(db),
            "REDIS_URL": redis_url,
            "DJANGO_PRIVATE_ROOT": str(artifacts / "private"),
            "DJANGO_MEDIA_ROOT": str(artifacts / "media"),
        }
        static_files_collect(env)
        command = [sys.executable, "-m", "gunicorn", "--config", str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads)]
        self.description = f"gunicorn {workers} workers x {threads} threads"
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
        return [pid for pid, ppid, *_ in _processes() if ppid == self.process.pid]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class TaskWorker:
    """One RQ worker (`manage.py rqworker`, as deploy/systemd/academy-worker.service runs it: at a
    lower priority, Nice=19) with the server's settings: it renders the certificates the submits
    issue, with the CPU the requests leave."""

    def __init__(self, server: Gunicorn, log: Path):
        self.log = open(log, "w")
        self.process = subprocess.Popen(["nice", "-n", "19", sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"],
                                        env=server.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
                                        start_new_session=True)
        # Linux shares the CPU between sessions first (autogroup) and by `nice` only within one, so
        # the worker's own session must be lowered too, or it takes a core from gunicorn's while it
        # renders. (systemd does the same per service: hence CPUWeight=1 in the worker's unit.)
        autogroup = Path(f"/proc/{self.process.pid}/autogroup")
        if autogroup.exists():
            autogroup.write_text("19")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # RQ's warm shutdown: the job in hand ends first
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
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
    """(pid, parent pid, its CPU ticks, the CPU ticks of the children it has waited for) of every
    process we may read."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        yield int(entry.name), int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuSampler:
    """Samples, every `interval` seconds, the CPU of gunicorn (master and workers), of the
    PostgreSQL backends serving `database` (their process title names it), of redis-server and of
    the task worker (with the work horses it forks, one per job, once it has waited for them). A
    process that ends between samples keeps its last reading, so a worker restarted mid-run still
    counts."""

    GROUPS = ("server", "database", "redis", "worker")

    def __init__(self, gunicorn: Gunicorn, database: str | None, redis: RedisServer, worker: TaskWorker, interval: float = 0.5):
        self.gunicorn, self.database, self.redis, self.worker, self.interval = gunicorn, database, redis, worker, interval
        self.ticks: dict[str, dict[int, int]] = {group: {} for group in self.GROUPS}
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
            for pid, ppid, own, children in _processes():
                if pid == master or ppid == master:
                    self.ticks["server"][pid] = own  # a worker the master replaced keeps its last reading
                elif pid == self.redis.process.pid:
                    self.ticks["redis"][pid] = own
                elif pid == self.worker.process.pid:
                    self.ticks["worker"][pid] = own + children
                elif self.database and self._is_backend(pid):
                    self.ticks["database"][pid] = own

    def reading(self) -> dict[str, float]:
        """CPU milliseconds so far of each group; subtract two readings for a phase."""
        self.sample()
        with self._lock:
            return {group: sum(ticks.values()) * TICK_MS for group, ticks in self.ticks.items()}
