"""Settings shared by every environment; every environment-specific value is read through env()."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default=None, *, cast=str):
    """The one place settings read the environment. Booleans accept 1/true/yes/on."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if cast is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return cast(raw)


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env("DJANGO_DEBUG", False, cast=bool)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], cast=list)

INSTALLED_APPS = [
    "training",
    "training.people",
    "training.enrollment",
    "training.dashboards",
    "modules",
    "assessments",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "training.urls"
WSGI_APPLICATION = "training.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://user:pass@host/db) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, and wait for it, so concurrent writers queue
    # up instead of failing with "database is locked". Write-ahead logging lets a long read (a
    # streaming export) run without holding back writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_learning"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
# Front-end packages come from the npm registry at set-up time (make assets), never from a CDN.
STATICFILES_DIRS = [("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Certificate PDFs and export ZIPs: outside MEDIA_ROOT and with no URL, so only the guarded views
# serve them (training/private_files.py). Never put this folder where a web server publishes files.
PRIVATE_ROOT = Path(env("DJANGO_PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "private": {"BACKEND": "training.private_files.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_ROOT}},
}
# An internal nginx location (e.g. "/protected/") that aliases PRIVATE_ROOT: guarded downloads then
# answer with an X-Accel-Redirect header and nginx sends the file. Empty: Django streams it.
PRIVATE_FILES_X_ACCEL_REDIRECT = env("PRIVATE_FILES_X_ACCEL_REDIRECT", "")
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "academy@localhost")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (certificate rendering) through the Django Tasks API. The immediate backend runs
# tasks in the request, so no worker process is needed; set TASKS_BACKEND to e.g.
# django_tasks.backends.database.DatabaseBackend (django-tasks-db) to hand them to a worker.
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")},
    # Long jobs a page follows (bulk certificate ZIPs): run outside the request that starts them.
    "background": {"BACKEND": env("TASKS_BACKGROUND_BACKEND", "training.tasks.ThreadBackend")},
}

# Public address used in certificates' QR codes and verification links.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Requests per minute one client address may make to the public verification page.
VERIFY_RATE_PER_MINUTE = env("VERIFY_RATE_PER_MINUTE", 30, cast=int)

# Signing in (training/people/accounts.py): an invitation's link to choose a password lasts this
# many days (its own expiry: PASSWORD_RESET_TIMEOUT, 3 days, is the reset link's).
INVITATION_DAYS = env("INVITATION_DAYS", 14, cast=int)
# Password reset and invitation emails one address may receive per hour, and reset requests one
# client address may make per hour, whatever the addresses asked for (counted in the cache).
PASSWORD_RESET_EMAILS_PER_HOUR = env("PASSWORD_RESET_EMAILS_PER_HOUR", 3, cast=int)
PASSWORD_RESET_REQUESTS_PER_HOUR = env("PASSWORD_RESET_REQUESTS_PER_HOUR", 10, cast=int)

WAGTAIL_SITE_NAME = "Loyalty Academy"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
