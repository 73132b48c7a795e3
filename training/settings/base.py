"""Settings shared by every environment; every environment-specific value is read through env()."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

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
    "csp",
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
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (training/security_headers.py).
    "training.security_headers.ContentSecurityPolicyMiddleware",
    "training.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A deactivated person's sessions end on their next request (training/people/middleware.py).
    "training.people.middleware.EndInactiveSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The Wagtail Site and its root page from the cached course tree (modules/course_tree.py).
    "modules.course_tree.CachedSiteMiddleware",
    # An id too large for the database in a view that is not ours (Wagtail's filters): 400, not 500.
    "training.ids.IdTooLargeMiddleware",
    # Last, as axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "training.dashboards.context_processors.my_learning",  # {{ my_learning_url }}
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
else:
    # PostgreSQL: the same few queries run on every page, so psycopg sends parameters apart from the
    # SQL and prepares a statement on a connection once it has run 5 times there: the server parses
    # and plans it once, not on every request (load test: 2.5 -> 1.0 ms of database CPU per quiz
    # request). Behind a transaction-pooling PgBouncer older than 1.21, set
    # DATABASE_PREPARED_STATEMENTS=0: a prepared statement belongs to one server connection.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 5 if env("DATABASE_PREPARED_STATEMENTS", True, cast=bool) else None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: Django tells validators when a password changed; a new password unlocks sign-in.
    {"NAME": "training.people.signin.UnlockOnPasswordChange"},
]
# Sign-in throttling (django-axes; training/people/signin.py). The throttle backend comes first so
# a locked username is refused before any password is checked.
# The throttle comes first: it refuses a locked username before any password is checked.
# PasswordBackend (Django's ModelBackend; under SSO_ONLY, superusers only) and, when single
# sign-on is configured, its backend are appended below with the SSO settings.
# The first hasher makes new hashes; the others still check older ones, which Django upgrades on
# the next successful sign-in.
PASSWORD_HASHERS = [
    "training.people.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["training.people.signin.LoginThrottleBackend"]
# After this many failures, each within the cool-off of the one before, the username is locked for
# the cool-off (counted from the last failure; failures while locked do not extend it).
# Locks belong to the username, not the address (axes.W006 asks for the address too): colleagues
# behind one office connection must not lock each other out, and a guesser rotating addresses is
# still stopped by the username's count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT", 10, cast=int)
AXES_COOLOFF_TIME = timedelta(minutes=env("LOGIN_COOLOFF_MINUTES", 15, cast=int))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Locked by username only: colleagues behind one office address are never locked out together.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "training.people.signin.login_username"
# Counts live in the database, which every server process already shares (and which survives a
# restart); a cache handler would forget every lock when Redis restarts or evicts its keys.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# A successful sign-in forgets earlier failures.
AXES_RESET_ON_SUCCESS = True
# Only failures are needed; axes' log of every sign-in with its address would be personal data we never use.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "training.people.signin.lockout_response"

# Content-Security-Policy (django-csp 4; training/security_headers.py). Our pages run only our own
# static scripts and styles: no inline <script>, no event-handler attributes, no style attributes
# (data goes to scripts in data-* attributes or json_script, which the browser does not execute).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons (toggler, select arrow) as data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        # The video block's players (oEmbed iframes); VIDEO_EMBED_ORIGINS (comma-separated) replaces the list.
        "frame-src": [SELF, *env("VIDEO_EMBED_ORIGINS", ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"], cast=list)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],  # as X-Frame-Options: DENY
    }
}
# Wagtail's admin writes inline <script>s and style attributes (inline panels, date pickers, the
# StreamField and rich-text editors), so its pages allow inline code; everything else stays as
# strict as on our pages. Our own pages under /admin/ keep the strict policy.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],  # blob: for images previewed before upload
        # Wagtail's previews frame admin pages: X-Frame-Options decides per view, as Wagtail sets it.
        "frame-ancestors": None,
    }
}
CSP_ADMIN_PATH_PREFIX = "/admin/"
CSP_STRICT_ADMIN_PATH_PREFIXES = ["/admin/reports/", "/admin/people/"]
# Browser features no page uses, off for every page and frame (Permissions-Policy header).
# Autoplay, fullscreen and picture-in-picture stay allowed for the video block's players.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}
# Links to other sites carry no address of ours (Django's default, set here to say so).
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_learning"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on (OpenID Connect, mozilla-django-oidc; README "Single sign-on"). Off unless the
# issuer, client id and client secret are all set; half a configuration refuses to start. The
# provider's endpoints are discovered from <issuer>/.well-known/openid-configuration on first use
# (training/people/sso.py), never at import, so a provider that is down cannot stop the site.
OIDC_ISSUER_URL = env("OIDC_ISSUER_URL", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
_sso_parts = {"OIDC_ISSUER_URL": OIDC_ISSUER_URL, "OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID, "OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET}
if any(_sso_parts.values()) and not all(_sso_parts.values()):
    _missing = ", ".join(name for name, value in _sso_parts.items() if not value)
    raise ImproperlyConfigured(f"Single sign-on needs OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; missing: {_missing}.")
SSO_ENABLED = all(_sso_parts.values())
# The login page says "Sign in with <label>".
SSO_BUTTON_LABEL = env("OIDC_BUTTON_LABEL", "your company account")
# Passwords off for everyone but superusers (their password is the way in when the provider fails).
SSO_ONLY = SSO_ENABLED and env("SSO_ONLY", False, cast=bool)
# An identity whose verified email matches no login is refused unless this is on.
SSO_CREATE_USERS = env("SSO_CREATE_USERS", False, cast=bool)
# Passwords go through PasswordBackend, which refuses non-superusers while SSO_ONLY is on.
AUTHENTICATION_BACKENDS.append("training.people.sso.PasswordBackend")
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("training.people.sso.SSOBackend")
    # Wagtail's admin sends signed-out visitors to our login page, which has the SSO button.
    WAGTAILADMIN_LOGIN_URL = "login"
# mozilla-django-oidc: authorization-code flow with PKCE (S256), state and nonce (its default),
# ID tokens signed by the provider's keys (RS256, keys from the discovered jwks_uri), the client
# secret sent as HTTP Basic auth (client_secret_basic).
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider

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
# Object storage (S3 API, django-storages) for the private files when STORAGE_BUCKET is set
# (README "Background work"): no ACL is sent, so objects stay as private as the bucket (which must
# not be public); guarded views answer with a redirect to a signed URL that lasts
# STORAGE_URL_SECONDS. Keys may be left empty where the machine has its own credentials (an
# instance role, ~/.aws).
STORAGE_BUCKET = env("STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env("STORAGE_ENDPOINT_URL") or None,  # e.g. https://s3.eu-central-1.amazonaws.com, a MinIO address
            "region_name": env("STORAGE_REGION") or None,
            "access_key": env("STORAGE_ACCESS_KEY_ID") or None,
            "secret_key": env("STORAGE_SECRET_ACCESS_KEY") or None,
            "location": env("STORAGE_PREFIX", ""),  # a folder inside the bucket, if it is shared
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env("STORAGE_URL_SECONDS", 60, cast=int),
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
# An internal nginx location (e.g. "/protected/") that aliases PRIVATE_ROOT: guarded downloads then
# answer with an X-Accel-Redirect header and nginx sends the file. Empty: Django streams it.
PRIVATE_FILES_X_ACCEL_REDIRECT = env("PRIVATE_FILES_X_ACCEL_REDIRECT", "")
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "academy@localhost")
# The mail server for DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (by default
# the machine's own, e.g. Debian's exim4 relaying to the company's); TLS = STARTTLS (port 587).
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env("DJANGO_EMAIL_PORT", 25, cast=int)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("DJANGO_EMAIL_USE_TLS", False, cast=bool)
EMAIL_TIMEOUT = 20

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Shared state for several server processes (README "Running in production") ---
# REDIS_URL (redis://host:port/db): Django's cache is then that Redis, so the rate limits and
# throttles counted in it (training/ratelimit.py: verification page, password reset) count across
# every process and machine. Without it each process has its own memory cache: right for one
# process (`make run`), wrong for several. With Redis, sessions are read from it ("cached_db": kept
# in the database too, read from there when Redis lacks one), which saves a query on every page;
# Redis is then needed by every signed-in page, as it already is by the task queue.
# Sign-in throttling (axes) stays in the database (see AXES_HANDLER above).
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "training.redis_cache.RedisCache",  # Django's, one redis-py client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "academy",
            # A Redis that stops answering fails a request in seconds instead of hanging a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reverse proxies (comma-separated addresses, e.g. 127.0.0.1 for nginx on the same machine) whose
# X-Real-IP header names the client: rate limits per client address then count the client, not
# the proxy. Empty (default): REMOTE_ADDR is the client.
TRUSTED_PROXIES = env("DJANGO_TRUSTED_PROXIES", [], cast=list)

# Background work through the Django Tasks API (README "Background work").
# Without REDIS_URL (`make run`): certificate renders run in the request that issues them (the
# immediate backend) and long jobs a page follows (bulk ZIPs, reset emails) in a thread of the web
# process; no worker is needed. With REDIS_URL: every task is a job in Redis run by
# `manage.py rqworker default --with-scheduler` (django-tasks-rq), retried on failure or when its
# worker dies, so no request renders a PDF. TASKS_BACKEND / TASKS_BACKGROUND_BACKEND override either.
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    # One queue; a job taking longer than this many seconds is stopped (and retried).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env("TASKS_JOB_TIMEOUT", 600, cast=int)}}
    # Every `manage.py rqworker` runs jobs as django-tasks-rq's Job (RQ's own cannot run a Django task).
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    _workers = {
        "BACKEND": "training.tasks.RetryingRQBackend",
        # Tries after the first: 3, after 10 s, 1 min and 5 min.
        "OPTIONS": {
            "RETRY_MAX": env("TASKS_RETRY_MAX", 3, cast=int),
            "RETRY_INTERVALS": [int(seconds) for seconds in env("TASKS_RETRY_INTERVALS", ["10", "60", "300"], cast=list)],
        },
    }
    TASKS = {"default": dict(_workers), "background": dict(_workers)}
else:
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "training.tasks.ThreadBackend"},
    }
if env("TASKS_BACKEND"):
    TASKS["default"] = {"BACKEND": env("TASKS_BACKEND")}
if env("TASKS_BACKGROUND_BACKEND"):
    TASKS["background"] = {"BACKEND": env("TASKS_BACKGROUND_BACKEND")}

# Public address used in certificates' QR codes and verification links.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Verifiable credentials (README "Verifiable credentials"): the issuer profile in every credential,
# and the secret the issuer's private keys are encrypted under (default: SECRET_KEY; set it on its
# own so that changing SECRET_KEY never strands the keys).
CREDENTIAL_ISSUER_NAME = env("CREDENTIAL_ISSUER_NAME", "Loyalty Academy")
CREDENTIAL_ISSUER_URL = env("CREDENTIAL_ISSUER_URL", SITE_URL)
CREDENTIALS_KEY_SECRET = env("CREDENTIALS_KEY_SECRET", "")
# Requests per minute one client address may make to the public verification page.
VERIFY_RATE_PER_MINUTE = env("VERIFY_RATE_PER_MINUTE", 30, cast=int)
# "Deactivate missing" in a roster import refuses to switch off more than this share of the active
# employees unless HR explicitly allows it (a one-line file would otherwise lock everyone out).
ROSTER_MAX_DEACTIVATE_PERCENT = env("ROSTER_MAX_DEACTIVATE_PERCENT", 20, cast=int)

# Signing in (training/people/accounts.py): an invitation's link to choose a password lasts this
# many days (its own expiry: PASSWORD_RESET_TIMEOUT, 3 days, is the reset link's).
INVITATION_DAYS = env("INVITATION_DAYS", 14, cast=int)
# Password reset and invitation emails one address may receive per hour, and reset requests one
# client address may make per hour, whatever the addresses asked for (counted in the cache).
PASSWORD_RESET_EMAILS_PER_HOUR = env("PASSWORD_RESET_EMAILS_PER_HOUR", 3, cast=int)
PASSWORD_RESET_REQUESTS_PER_HOUR = env("PASSWORD_RESET_REQUESTS_PER_HOUR", 10, cast=int)


WAGTAIL_SITE_NAME = "Loyalty Academy"
# The admin reaches no other site (pages work offline; the CSP allows only our own origin): no
# Gravatar avatars (they would also send a hash of each editor's email to gravatar.com; Wagtail
# shows its default avatar or one uploaded in the account settings) and no check for a newer
# Wagtail release (requirements.txt pins the version; upgrades are deliberate).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
