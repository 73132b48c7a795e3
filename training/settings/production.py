"""Production only hardens: secrets must come from the environment, cookies are secure."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL, SECRET_KEY, SITE_URL, STORAGES, env

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
# No page of ours is framed. Wagtail 8's preview panel frames its preview view, which sets
# SAMEORIGIN on its own responses (wagtail.utils.decorators.xframe_options_sameorigin_override).
X_FRAME_OPTIONS = "DENY"

# --- Behind a TLS-terminating proxy (deploy/nginx-academy.conf; README "Running in production") ---
# The proxy sets this header to "https" on requests that reached it over TLS (and replaces any such
# header a client sent); Django then knows the request was secure. Empty: no proxy header trusted.
_proxy_ssl_header = env("DJANGO_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env("DJANGO_SSL_REDIRECT", True, cast=bool)
# A load balancer probes /healthz over plain HTTP on the private network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers use only HTTPS for this host (and its subdomains) for a year after a visit.
SECURE_HSTS_SECONDS = env("DJANGO_HSTS_SECONDS", 365 * 24 * 3600, cast=int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a decision for the owner of the whole registrable domain (the list is shipped in
# browsers and slow to leave), so it is off unless asked for, and check --deploy is not asked to
# nag about it.
SECURE_HSTS_PRELOAD = env("DJANGO_HSTS_PRELOAD", False, cast=bool)
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
# Only hosts named here are answered; by default the host of SITE_URL.
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", [urlsplit(SITE_URL).hostname], cast=list)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", SITE_URL)

# --- Cache without Redis: one machine, several gunicorn workers ---
# The cache holds what every process must agree on (the published course tree, rate-limit counts),
# so a memory cache per worker would leave the others serving a course tree an editor has changed.
# Without REDIS_URL (`make serve`, a one-machine trial) the workers share files in this folder.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": env("DJANGO_CACHE_DIR", str(BASE_DIR / "serve" / "cache"))}}

# --- Static files: hashed names, compressed, cached for a year (WhiteNoise) ---
# `manage.py collectstatic` writes them to STATIC_ROOT with a manifest; a template naming a file the
# manifest lacks fails loudly. Only collected files are served (not the finders' source folders).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False

# --- Logs: warnings and errors (with tracebacks) to stderr, which the systemd journal keeps ---
# (Django's default sends them nowhere unless DEBUG is on or ADMINS is set.)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # Requests for other host names (scanners) are refused with 400; no traceback for each.
    "loggers": {"django.security.DisallowedHost": {"handlers": [], "propagate": False}},
}
