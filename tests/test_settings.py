"""Production settings refuse to start without what must come from the environment."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

IMPORT = "import training.settings.production as s; print(s.SITE_URL)"


def import_production(**environ):
    """Import the production settings in a fresh interpreter with only these variables set (on
    top of PATH and the like), as a server process would."""
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "SITE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", IMPORT], env={**keep, **environ}, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )


def test_production_starts_with_the_secret_key_and_site_url():
    result = import_production(DJANGO_SECRET_KEY="x" * 50, SITE_URL="https://academy.example.com/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://academy.example.com"


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"SITE_URL": "https://academy.example.com"}, "Set DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "Set SITE_URL"),  # QR codes would point at 127.0.0.1
        ({"DJANGO_SECRET_KEY": "x" * 50, "SITE_URL": "academy.example.com"}, "SITE_URL must be an http(s) address"),
    ],
)
def test_production_refuses_to_start_without(environ, message):
    result = import_production(**environ)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and message in result.stderr


def production_settings(expression: str, **environ) -> str:
    """`expression` over the production settings (as `s`), imported as a server process would."""
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "SITE_URL", "DATABASE_", "REDIS_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import training.settings.production as s; print({expression})"],
        env={**keep, "DJANGO_SECRET_KEY": "x" * 50, "SITE_URL": "https://academy.example.com", **environ},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_statements_are_prepared_unless_a_pooler_needs_them_not():
    options = "s.DATABASES['default']['OPTIONS']"
    url = {"DATABASE_URL": "postgres://academy:pw@127.0.0.1:5432/academy"}
    assert production_settings(options, **url) == "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert production_settings(options, DATABASE_PREPARED_STATEMENTS="0", **url) == "{'server_side_binding': True, 'prepare_threshold': None}"


def test_sessions_are_read_from_redis_when_there_is_one_and_kept_in_the_database_either_way():
    engine = "getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db')"  # unset: Django's default
    assert production_settings(engine) == "django.contrib.sessions.backends.db"
    assert production_settings(engine, REDIS_URL="redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
