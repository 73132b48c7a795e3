import os

from .base import *  # noqa: F403

# Fast hashing: tests create many users; the default PBKDF2 would dominate the run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Keep emails in django.core.mail.outbox so tests can read them.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Certificate PDFs and export ZIPs go to a throwaway private folder, not the developer's private/.
PRIVATE_ROOT = BASE_DIR / "test-artifacts" / "private"  # noqa: F405
# Serve files straight from finders; no manifest or collectstatic needed in tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The file system, even when STORAGE_BUCKET is set in the environment (tests/test_object_storage.py sets its own).
    "private": {"BACKEND": "training.private_files.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_ROOT}},
}
# Uploaded and generated files go to a throwaway folder, not the developer's media/.
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# Persistent connections would keep PostgreSQL test databases busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default: threads in the concurrency tests then wait for the
    # write lock as they would in production, instead of failing on shared-cache table locks.
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
    # One file per test process, so parallel runs never share (and delete) each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artifacts" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
# Background tasks run inside the call that enqueues them, so tests in a transaction see them
# finish; the bulk-export browser journey switches back to threads to watch real progress.
# (Both set here, so a REDIS_URL in the developer's environment does not send tests' tasks to Redis.)
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
