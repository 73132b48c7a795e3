"""gunicorn settings for Loyalty Academy (README "Running in production").

    gunicorn -c deploy/gunicorn.conf.py          # from the checkout; production settings by default

Each value can be changed through the environment (the systemd unit reads /etc/academy/academy.env).
"""

import gc
import multiprocessing
import os


def _env_int(name, default):
    return int(os.environ.get(name, default))


wsgi_app = "training.wsgi:application"  # DJANGO_SETTINGS_MODULE defaults to production there
# Loopback only: nginx in front terminates TLS and buffers slow clients. A unix socket also works
# (GUNICORN_BIND=unix:/run/academy/gunicorn.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers (gthread), two per core, two threads each. A request's work is mostly CPU in
# Python under the GIL, but each also waits for PostgreSQL and Redis a few times: the worker's
# other thread runs meanwhile, and a long request (a submit, a report export) does not hold up a
# short one behind it. They also keep nginx's connections open between requests (its upstream
# `keepalive`), which saves a TCP connection and its closing handshake per request (the load test:
# 19,200 requests over about 300 connections).
worker_class = "gthread"
workers = _env_int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count())
threads = _env_int("GUNICORN_THREADS", 2)

# How long the worker's main loop may stop answering the master before it is killed and replaced.
# With threads this is not a limit on one request: a long request (a very large report export)
# goes on in its thread while the worker's other thread serves.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# On `systemctl reload` (HUP) or stop, workers finish the requests in hand for up to this long.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle connection from nginx stays open. nginx must close an idle one first (its
# upstream `keepalive_timeout`, 4 s in deploy/nginx-academy.conf), or it may send a request on a
# connection gunicorn is closing at that moment and answer 502.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after this many requests (± jitter, so they do not all restart together):
# memory a long-lived process collects (fonts, caches, fragmentation) is given back. A new worker
# costs about 2.5 s of CPU (importing Django, Wagtail and our code), so not too often: at 1,000 the
# full-size load test restarted workers 16 times, about a sixth of all the CPU the server used.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 1000)
# Off, so a HUP (`systemctl reload academy-web`) starts new workers on the new code after an upgrade.
preload_app = False


def post_worker_init(worker):
    """Once a worker has loaded the app: what it loaded (Django, Wagtail, our modules) lives as
    long as the worker, so the garbage collector stops looking through it on every full
    collection (the load test: the GC took 0.6 s of a worker's 18 s of CPU, not 0.8 s)."""
    gc.freeze()


def post_request(worker, req, environ, resp):
    """Reads what is left of a request body the app did not read (a post refused before its form
    was read: a CSRF failure, an upload too large). Left to itself gunicorn reads at most 64 KB of
    it and then closes the connection its response said stays open, so nginx's next request on
    that connection fails (502). nginx has buffered the whole body (client_max_body_size), so
    reading it here is quick."""
    while req.body.read(65536):
        pass


# Worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# systemd manages the process (reload = HUP); gunicorn's control socket is not needed, and two
# instances on one machine would otherwise share its default path.
control_socket_disable = True

# Logs to stdout/stderr: the systemd journal keeps them (journalctl -u academy-web).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client (nginx's X-Real-IP), time, request, status, bytes, milliseconds taken, user agent.
access_log_format = '%({x-real-ip}i)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "academy"
