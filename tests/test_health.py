"""/healthz: 200 only when database, cache and both storages answer; 503 naming what failed."""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache(url):
    return {"default": {"BACKEND": "training.redis_cache.RedisCache", "LOCATION": url,
                        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


@pytest.mark.django_db
def test_healthy_answers_200_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1; no session, no user
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checked": ["database", "cache", "storage:default", "storage:private"]}
    assert "no-cache" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
def test_healthy_with_redis_as_the_cache(client, redis_url):
    with override_settings(CACHES=redis_cache(redis_url)):
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_cache_that_does_not_answer_is_503_naming_it_and_not_logged_as_an_error(client, caplog):
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{_closed_port()}/0")), caplog.at_level(logging.INFO):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failed": {"cache": "ConnectionError"}}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r for r in caplog.records if r.levelno == logging.WARNING and "cache failed" in r.getMessage()]


@pytest.mark.django_db
def test_private_folder_that_cannot_be_made_is_503_naming_it_without_the_path(client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    storages = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": blocker / "private"}}}
    with override_settings(STORAGES=storages):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == {"storage:private": "NotADirectoryError"}
    assert str(blocker) not in response.content.decode()


@pytest.mark.django_db
def test_missing_media_folder_is_made_as_the_first_upload_would(client, tmp_path):
    fresh = tmp_path / "media"
    storages = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": fresh}}}
    with override_settings(STORAGES=storages):
        assert client.get("/healthz").status_code == 200
    assert fresh.is_dir()


@pytest.mark.django_db
def test_exempt_from_the_https_redirect_that_every_other_page_gets(client):
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"]):
        assert client.get("/healthz").status_code == 200
        other = client.get("/accounts/login/")
    assert other.status_code == 301 and other["Location"].startswith("https://")


def test_database_that_does_not_answer_is_503_naming_it():
    """In a fresh process whose DATABASE_URL points at a port where no PostgreSQL listens."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code, r.content.decode())"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "training.settings.test",
               "DATABASE_URL": f"postgres://nobody:x@127.0.0.1:{_closed_port()}/nothing"}
    environ.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", code], env=environ, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["failed"] == {"database": "OperationalError"}
