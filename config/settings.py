"""Cluster Match settings.

Every deployment-specific value comes from the environment (see docs/deploy.md).
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

from config.env import database_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# One thread per process for the numeric libraries (OpenBLAS, OpenMP), read when they are first
# imported, which is after the settings. The site runs as several processes (web and job
# workers) on a few cores: the libraries' own threads wait for a core by spinning, and under
# load a ranking index build took 2.5 times longer with two of them than with one (measured on
# a two-core machine with one other busy process; docs/performance.md). Set these variables in
# the environment to override.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, env_str("CLUSTERMATCH_MATH_THREADS", "1"))
VAR_DIR = Path(env_str("CLUSTERMATCH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "notifications",
    "directory",
    "matching",
    "events",
    "curation",
    "insights",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The header middlewares come before WhiteNoise so that static files, which WhiteNoise
    # answers without going further down, carry the same security headers as pages.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Static files straight from the WSGI app (no separate file server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefusedAccessLogMiddleware",
    "config.middleware.MalformedSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): picks the language of each
    # request from the language cookie, then the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    # A signed-in person's stored language comes back as the language cookie at sign-in.
    "config.middleware.AccountLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication, so that its 400 page shows the visitor's menu.
    "config.middleware.UnstorableInputMiddleware",
    "config.middleware.ErrorPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures for one username from one address lock that pair for 15
# minutes; a success resets the count. Never a permanent lockout.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.roles",
                "notifications.context_processors.inbox",
            ],
        },
    },
    {
        # Only for templates under an app's jinja2/ folder: the ranking rows (common/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "common.jinja2.environment"},
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", ""), sqlite_path=str(VAR_DIR / "clustermatch.sqlite3")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The zero-setup default: the SQLite file lives in var/, created on first use.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server and a job worker write to it at once (make run): a transaction takes the
    # write lock when it begins and waits for it, instead of failing "database is locked"
    # when two transactions that have read both try to write.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    # No query may hold a connection (and a worker) longer than this; 0 turns it off, for a
    # one-off maintenance command on a very large directory (docs/deploy.md, Limits).
    DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 30_000)
    # The planner's price of reading a page out of order, against 1 for the next page in turn.
    # PostgreSQL's default of 4 was set for spinning disks: with it, a directory search for a
    # common word scanned every profile (39 ms at 10k actors) instead of reading the full-text
    # index (14 ms). 1.1 is what PostgreSQL's manual suggests for solid-state storage.
    DB_RANDOM_PAGE_COST = env_float("DB_RANDOM_PAGE_COST", 1.1)
    DATABASES["default"]["OPTIONS"] = {
        "options": (
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} "
            f"-c random_page_cost={DB_RANDOM_PAGE_COST}"
        )
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "directory.accounts.GuessablePasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# English is the default; Korean is complete (docs/i18n.md). The names are shown in the
# language switch in their own language.
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The site's English date formats ("7 Dec 2026, 09:30"); Korean ones are Django's own.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there before collectstatic
# Uploaded logos (re-encoded before they are stored; served by a view, never as uploaded).
MEDIA_ROOT = VAR_DIR / "media"

# E-mail (docs/notifications.md, docs/deploy.md): printed to the console by default, SMTP in
# production. Every message goes through the job queue, so the timeout bounds a worker only.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "Cluster Match <no-reply@clustermatch.example.org>"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Absolute links in e-mails (unsubscribe, the thing a message is about).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background jobs (docs/deploy.md): Django's Tasks interface. The database backend needs
# nothing more than the database; REDIS_URL switches to RQ workers on Redis.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job that has not reported progress for this long lost its worker: it is retried.
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 900)
# How often each worker queues the periodic work that is due; 0: cron runs run_periodic instead.
JOBS_PERIODIC_SECONDS = env_int("JOBS_PERIODIC_SECONDS", 60)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS-terminating proxy in production; off for the local http:// stack.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything comes from this site: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Maps draw the vendored Natural Earth boundaries; a tile server is optional, and its host is
# then the one image source from elsewhere (docs/deploy.md, Maps).
MAP_TILE_URL = env_str("DJANGO_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("DJANGO_MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:
    from config.maps import tile_image_source

    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(tile_image_source(MAP_TILE_URL))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files once collectstatic has run (make serve, deployments).
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps are fetched only by a developer's browser tools: not worth compressing (the API
# documentation's bundles bring 14 MB of them, half of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    # Refused requests (4xx) are logged once, by config.middleware.RefusedAccessLogMiddleware,
    # with the method and whether the visitor was signed in; Django's own logger keeps 5xx.
    "loggers": {"django.request": {"level": "ERROR"}},
}
MATCHING_REBUILD_IN_BACKGROUND = env_bool("MATCHING_REBUILD_IN_BACKGROUND", True)
# After a bulk change a job rebuilds the index and stores a snapshot in VAR_DIR/index/ that web
# processes load instead of building; a stale process waits this long for that job at most.
MATCHING_SNAPSHOT_WAIT_SECONDS = env_int("MATCHING_SNAPSHOT_WAIT_SECONDS", 120)
# A snapshot's matrices are mapped from its file (shared by the processes, read only as
# needed); off for snapshots on shared storage, where another machine may remove the file
# under a mapping (docs/deploy.md).
MATCHING_SNAPSHOT_MAPPED = env_bool("MATCHING_SNAPSHOT_MAPPED", True)
MATCHING_SNAPSHOT_DIR = env_str("MATCHING_SNAPSHOT_DIR", "")
# Imports of more actors than this run as background jobs (checking and writing alike).
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 300)

# The JSON API (docs/api.md): JSON only, token or session authentication, throttled.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token first: a request without credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/min"),
        "user": env_str("API_USER_RATE", "600/min"),
    },
    # Throttling counts by client address: trust X-Forwarded-For only behind our own proxy.
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Match API",
    "DESCRIPTION": "Read-only JSON API of the Cluster Match directory, partner rankings and "
    "matchmaking events. Guide: docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "displayOperationId": False},
    "ENUM_NAME_OVERRIDES": {
        "ActorStatusEnum": "directory.models.Status",
        "ParticipantStatusEnum": "events.models.ParticipantStatus",
    },
}
