"""`/healthz`: may a load balancer send this server requests?

200 only when everything a request may need answers: the database, the cache (Redis when
REDIS_URL is set; rate limits and throttles count there) and both file storages (`default`: media
such as images and documents; `private`: certificate PDFs and export ZIPs). Otherwise 503 with the
names of what failed, each with the kind of error; the details go to the log as a warning, not to
the caller, and a failing probe is not logged as a server error (a balancer asks every few seconds).

Cheap on purpose: no session, no sign-in, one `SELECT 1`, one cache round trip, one existence
check per storage. Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so a balancer can
probe it over plain HTTP; it must still send a Host that ALLOWED_HOSTS accepts.
"""

import logging
import os
import secrets

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from training.private_files import PRIVATE

logger = logging.getLogger(__name__)

PROBE = "healthz-probe"  # a name no stored file has


def _database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _cache():
    token = secrets.token_hex(8)
    cache.set(f"healthz:{token}", token, timeout=10)
    if cache.get(f"healthz:{token}") != token:
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(f"healthz:{token}")


def _storage(alias):
    def check():
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            # A folder that cannot be made, or is read-only, would only show at the first upload or
            # certificate. (A fresh install has none yet: it is made here, as the first save would.)
            location = storage.location
            os.makedirs(location, exist_ok=True)
            if not os.access(location, os.W_OK | os.X_OK):
                raise PermissionError(f"{location} is not writable")
        storage.exists(PROBE)  # object storage: one request to the bucket

    return check


CHECKS = {"database": _database, "cache": _cache, "storage:default": _storage("default"), f"storage:{PRIVATE}": _storage(PRIVATE)}


@never_cache
def healthz(request):
    failed = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # anything at all means "do not send requests here"
            failed[name] = type(error).__name__
            logger.warning("healthz: %s failed: %s: %s", name, type(error).__name__, error)
    if not failed:
        return JsonResponse({"status": "ok", "checked": list(CHECKS)})
    response = JsonResponse({"status": "failing", "failed": failed}, status=503)
    # Django logs every 5xx as an error (django.request); the warning above says it once, plainly.
    response._has_been_logged = True
    return response
