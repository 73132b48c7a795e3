"""The production path: `check --deploy` is clean with the documented environment, every page renders
with hashed static files after collectstatic, framing is denied but Wagtail's preview, and rate
limits count across processes through Redis."""

import gc
import json
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from assessments.certificates.pdf import render_certificate_pdf
from assessments.models import Certificate
from assessments.attempts.services import attempt_start
from modules.models import LessonPage, QuizPage
from tests.assessments.conftest import complete_course
from training.loadtest.client import KEEPALIVE_SECONDS
from training.people.models import Employee

ROOT = Path(settings.BASE_DIR)
ENV_TEMPLATE = ROOT / "deploy" / "academy.env"


def documented_environment() -> dict[str, str]:
    """The variables deploy/academy.env sets (uncommented lines), with a real secret key."""
    values = {}
    for line in ENV_TEMPLATE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    values["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return values


def run_with(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """A fresh process with only these settings variables (plus PATH and the like)."""
    keep = {name: value for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "SITE_URL", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run([sys.executable, *args], env={**keep, **environ}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_environment():
    environ = {**documented_environment(), "DJANGO_SETTINGS_MODULE": "training.settings.production"}
    result = run_with(environ, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_environment_template_names_every_variable_the_settings_read():
    read = set()
    for path in (ROOT / "training" / "settings").glob("*.py"):
        read |= set(re.findall(r'\benv\(\s*"([A-Z0-9_]+)"', path.read_text()))
    template = ENV_TEMPLATE.read_text()
    missing = sorted(name for name in read if not re.search(rf"^#?\s*{name}=", template, re.MULTILINE))
    assert read and not missing, f"deploy/academy.env does not mention {missing}"


def test_without_redis_the_server_processes_of_one_machine_share_their_cache(tmp_path):
    """gunicorn's workers are separate processes: a course tree one of them drops (an editor
    published) must be dropped for all, and rate limits counted once."""
    environ = {**documented_environment(), "DJANGO_SETTINGS_MODULE": "training.settings.production",
               "DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    del environ["REDIS_URL"]
    code = "import django, sys; django.setup(); from django.core.cache import cache; "
    writer = run_with(environ, "-c", code + "cache.set('course-tree', 'built by worker 1')")
    assert writer.returncode == 0, writer.stderr
    reader = run_with(environ, "-c", code + "print(cache.get('course-tree')); cache.delete('course-tree')")
    assert reader.returncode == 0 and reader.stdout.strip() == "built by worker 1", reader.stdout + reader.stderr
    again = run_with(environ, "-c", code + "print(cache.get('course-tree'))")
    assert again.stdout.strip() == "None", again.stdout + again.stderr


def test_production_hardening_values():
    environ = {**documented_environment(), "DJANGO_SETTINGS_MODULE": "training.settings.production"}
    code = ("import django, json; django.setup(); from django.conf import settings as s;"
            "print(json.dumps([s.X_FRAME_OPTIONS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT,"
            " s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS, s.STORAGES['staticfiles']['BACKEND'], s.CACHES['default']['BACKEND']]))")
    result = run_with(environ, "-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "DENY", ["HTTP_X_FORWARDED_PROTO", "https"], True, 31536000, ["academy.example.com"],
        "whitenoise.storage.CompressedManifestStaticFilesStorage", "training.redis_cache.RedisCache",
    ]


# --- Hashed static files: every page renders under the manifest ---------------------------------

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a throwaway STATIC_ROOT with hashed names and a manifest, as production
    does (WhiteNoise's compressing subclass adds .gz files to the same names)."""
    static_root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return {"STATIC_ROOT": static_root, "STORAGES": storages}


@pytest.fixture
def manifest(collected):
    with override_settings(**collected):
        yield collected["STATIC_ROOT"]


def pages(course, django_capture_on_commit_callbacks):
    """(username or None, path[, status]) of the main pages of each role."""
    amira = Employee.objects.get(user__username="amira")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(amira, course)
    certificate = Certificate.objects.get(employee=amira)
    quiz = QuizPage.objects.live().child_of(course).first()
    attempt = attempt_start(employee=Employee.objects.get(user__username="ben"), quiz=quiz)
    lesson = LessonPage.objects.live().child_of(course).first()
    return [
        (None, "/accounts/login/"),
        (None, "/accounts/password/reset/"),
        (None, f"/verify/{certificate.code}/"),
        (None, "/verify/no-such-code/", 404),
        (None, "/no-such-page/", 404),
        ("amira", "/learning/"),
        ("amira", course.get_parent().url),
        ("amira", course.url),
        ("amira", lesson.url),
        ("amira", quiz.url),
        ("ben", f"/learning/attempts/{attempt.pk}/"),
        ("manager.north", "/learning/team/"),
        ("manager.north", f"/learning/team/{amira.pk}/"),
        ("manager.north", "/learning/assign/"),
        ("manager.north", "/learning/grading/"),
        ("hr", f"/learning/certificates/{certificate.code}/"),
        ("hr", "/admin/"),
        ("hr", "/admin/reports/completions/"),
        ("hr", "/admin/reports/certificates/"),
        ("hr", "/admin/people/roster/"),
        ("editor", f"/admin/pages/{lesson.pk}/edit/"),
        ("editor", f"/admin/pages/{quiz.pk}/edit/"),
    ]


@pytest.mark.django_db
def test_every_main_page_renders_with_hashed_static_files(client, manifest, course, django_capture_on_commit_callbacks):
    User = get_user_model()
    for username, path, *status in pages(course, django_capture_on_commit_callbacks):
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        response = client.get(path)  # a file missing from the manifest raises ValueError here
        assert response.status_code == (status or [200])[0], (username, path, response.status_code)
        html = response.content.decode()
        static = re.findall(r'/static/[^"\'?\s)]+', html)
        assert static, (username, path)
        if not path.startswith("/admin/pages/"):
            # (Wagtail keeps its editing widgets' media URLs per process, so after other tests in the
            # same run they may carry the plain storage's names; production has one storage.)
            unhashed = [url for url in static if not re.search(r"\.[0-9a-f]{12}\.\w+$", url)]
            assert not unhashed, (path, unhashed)
        for url in static:
            assert (manifest / url.removeprefix("/static/")).is_file(), (path, url)


@pytest.mark.django_db
def test_server_error_page_renders_without_context_under_the_manifest(manifest):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and re.search(r"/static/training/academy\.[0-9a-f]{12}\.css", html)


@pytest.mark.django_db
def test_certificate_pdf_reads_its_stylesheet_through_the_manifest(manifest, course, django_capture_on_commit_callbacks):
    amira = Employee.objects.get(user__username="amira")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(amira, course)
    pdf = render_certificate_pdf(Certificate.objects.get(employee=amira))
    assert pdf.startswith(b"%PDF")


def test_whitenoise_serves_hashed_files_with_a_year_of_cache(manifest):
    with override_settings(WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False):
        middleware = WhiteNoiseMiddleware(lambda request: pytest.fail("not served as a static file"))
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url("training/quiz.js")
        response = middleware(RequestFactory().get(url))
    assert re.search(r"/static/training/quiz\.[0-9a-f]{12}\.js$", url)
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]


# --- Framing -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pages_deny_framing_but_wagtail_preview_allows_its_own_admin(client, course):
    with override_settings(X_FRAME_OPTIONS="DENY"):
        assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"
        client.force_login(get_user_model().objects.get(username="editor"))
        lesson = LessonPage.objects.live().child_of(course).first()
        assert client.get(f"/admin/pages/{lesson.pk}/edit/")["X-Frame-Options"] == "DENY"
        preview = client.get(f"/admin/pages/{lesson.pk}/edit/preview/")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_nginx_and_the_load_test_close_an_idle_connection_before_gunicorn_does():
    """gunicorn's threaded workers keep nginx's connections open between requests. A request sent
    on a connection gunicorn is closing at that moment would fail (nginx answers 502), so the side
    that sends requests must give up an idle connection first."""
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread" and config["threads"] >= 2 and config["keepalive"] > 0
    nginx = (ROOT / "deploy" / "nginx-academy.conf").read_text()
    upstream = re.search(r"upstream academy \{(.*?)\}", nginx, re.S).group(1)
    assert re.search(r"^\s*keepalive \d+;", upstream, re.M)
    nginx_idle = int(re.search(r"^\s*keepalive_timeout (\d+)s;", upstream, re.M).group(1))
    assert nginx_idle < config["keepalive"]
    # Every location that proxies to it speaks HTTP/1.1 without "Connection: close", or nginx
    # would not keep the connection.
    locations = re.findall(r"location [^{]*\{[^}]*proxy_pass http://academy;[^}]*\}", nginx)
    assert len(locations) == 2  # /healthz on port 80, / on 443
    for location in locations:
        assert "proxy_http_version 1.1;" in location and 'proxy_set_header Connection "";' in location
    assert KEEPALIVE_SECONDS == nginx_idle  # the load test's client behaves as nginx


def test_the_task_worker_yields_the_cpu_to_the_web_server_across_control_groups():
    """`Nice` orders processes within a control group only; systemd gives each service its own, so
    the worker's unit also needs a CPU weight below the web server's (the default, 100)."""
    def settings_of(unit):
        lines = (ROOT / "deploy" / "systemd" / unit).read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))

    worker, web = settings_of("academy-worker.service"), settings_of("academy-web.service")
    assert worker["Nice"] == "19" and int(worker["CPUWeight"]) < int(web.get("CPUWeight", 100))


def test_a_gunicorn_worker_freezes_what_it_loaded_for_the_garbage_collector():
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] >= 2 and config["preload_app"] is False
    before = gc.get_freeze_count()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
