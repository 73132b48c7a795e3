"""Production only hardens: secrets must come from the environment, cookies are secure."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, SITE_URL, env

if SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment for production.")
# Printed in every certificate's QR code and in emails: the development default would send
# verifiers and employees to 127.0.0.1, and a printed certificate cannot be corrected later.
if env("SITE_URL") is None:
    raise ImproperlyConfigured("Set SITE_URL (the public address, e.g. https://academy.example.com) in the environment for production.")
if urlsplit(SITE_URL).scheme not in ("http", "https") or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address such as https://academy.example.com, not {SITE_URL!r}.")
DEBUG = False
SESSION_COOKIE_SECURE = env("DJANGO_SECURE_COOKIES", True, cast=bool)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
