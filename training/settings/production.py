"""Production only hardens: secrets must come from the environment, cookies are secure."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

if SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment for production.")
DEBUG = False
SESSION_COOKIE_SECURE = env("DJANGO_SECURE_COOKIES", True, cast=bool)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
