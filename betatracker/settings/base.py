"""Settings shared by every environment, read from the environment with django-environ."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from betatracker.static_headers import add_security_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # Django's widget templates for FORM_RENDERER, ahead of the dsfr app's overrides
    "simple_history",
    "dsfr",
    "core",
    "products",
    "investigations",
    "committees",
    "portfolio",
    "public",
    "reminders",
    "betatracker",
    "loadtest",
    # Background tasks: Django's tasks framework on a database queue (worker: `manage.py db_worker`), and the
    # scheduler that enqueues the periodic ones declared with @cron in each app's tasks.py (`manage.py crontask`).
    "django_tasks_db",
    "crontask",
]

MIDDLEWARE = [
    "betatracker.middleware.RequestIdMiddleware",
    "betatracker.middleware.RefuseNulMiddleware",
    # HTML compressed by the app (Scalingo's router passes responses through as they are): before every
    # middleware that reads or writes the body. BREACH: see docs/deploy.md, "Compression des pages".
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "betatracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One form stack: every form's fields and error summary in templates/forms/ (DSFR markup), see core/forms.py.
FORM_RENDERER = "core.forms.DsfrFormRenderer"

WSGI_APPLICATION = "betatracker.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# PostgreSQL: persistent connections (10 minutes), checked before each request's first query, so that a request
# does not pay for opening one (a connection per gunicorn worker thread; a restarted server is reconnected to).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600 if _POSTGRESQL else 0))
if _POSTGRESQL:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: on the dashboard's queries it costs seconds to save milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every instance of the app (gunicorn workers, several servers): the database's by
# default — its table is created by a migration (betatracker 0004), so nothing more to set up — or Redis when
# REDIS_URL is set. Never the per-process memory cache, which each worker would fill and invalidate alone.
CACHE_TABLE = "betatracker_cache"
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Room for the version tokens of every startup and their cached reads (core.versions): Django's default of 300
    # entries would evict them all the time. Django's database cache with one statement per write (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=200_000), "CULL_EVERY": 100},
        }
    }

AUTH_USER_MODEL = "products.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Numbers in templates follow the language: 1 234 in French, 1,234 in English. Never print an id
# with {{ }} (use {% url %} or |unlocalize): tests/betatracker/test_i18n.py checks the templates.
USE_THOUSAND_SEPARATOR = True
# One short and one long way to write a date (and a date-time) per language, named in templates as
# |date:"SHORT_DATE_FORMAT" / "DATE_FORMAT" and in Python through core/durations.py: never a literal pattern
# (tests/core/test_wording.py scans for them).
FORMAT_MODULE_PATH = ["betatracker.formats"]
# The header's language switch (Django's set_language) keeps the choice a year in this cookie.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files carry the security headers too (WhiteNoise answers them before Django's middleware).
WHITENOISE_ADD_HEADERS_FUNCTION = add_security_headers
# Uploaded files (committee documents) go through the "default" storage: files under MEDIA_ROOT here, an object
# store in production if STORAGES says so (docs/deploy.md). Never served from MEDIA_URL: a view checks who
# reads them (committees.views.document_download).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {"BACKEND": env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")},
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="betatracker@beta.gouv.fr")
# The address of the site, for the links in the e-mails (no request there to build them from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Background tasks (django.tasks): stored in the database, run by `manage.py db_worker` (Procfile: worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Uploads (CSV of interviews): refuse anything above 5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A document attached to a committee review (PDF, image, office document, CSV/TXT): at most this many bytes (the
# upload page says so with core.uploads.accepts_uploads_up_to, which betatracker.middleware reads).
COMMITTEE_DOCUMENT_MAX_BYTES = env.int("COMMITTEE_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# The client address the sign-in throttle counts by (betatracker/throttle.py): REMOTE_ADDR by default; behind
# N proxies that each append to X-Forwarded-For (Scalingo's router: 1), the address the outermost one saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")
# API tokens expire after this many days unless their creator picks a shorter life.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

# An interview CSV uploaded from the page is imported within the request: at most this many rows (about
# 10 s on one core), so that no accepted file meets gunicorn's timeout. `manage.py import_interviews` has
# no row limit.
INTERVIEW_IMPORT_MAX_ROWS = env.int("INTERVIEW_IMPORT_MAX_ROWS", default=20_000)

# --- ProConnect (OIDC) -------------------------------------------------------------------------
# Sign-in with ProConnect (mozilla-django-oidc, glue in betatracker/oidc.py). Off unless the client id,
# the secret and either the issuer (endpoints from its discovery document, e.g.
# https://auth.agentconnect.gouv.fr/api/v2) or the four endpoint URLs are set. Signing out of Betatracker
# also ends the ProConnect session, through the provider's end_session_endpoint (discovery document, or
# PROCONNECT_END_SESSION_ENDPOINT).
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_ISSUER = env("PROCONNECT_ISSUER", default="")
PROCONNECT_AUTHORIZATION_ENDPOINT = env("PROCONNECT_AUTHORIZATION_ENDPOINT", default="")
PROCONNECT_TOKEN_ENDPOINT = env("PROCONNECT_TOKEN_ENDPOINT", default="")
PROCONNECT_USERINFO_ENDPOINT = env("PROCONNECT_USERINFO_ENDPOINT", default="")
PROCONNECT_JWKS_ENDPOINT = env("PROCONNECT_JWKS_ENDPOINT", default="")
PROCONNECT_END_SESSION_ENDPOINT = env("PROCONNECT_END_SESSION_ENDPOINT", default="")
PROCONNECT_SIGN_ALGO = env("PROCONNECT_SIGN_ALGO", default="RS256")
if PROCONNECT_SIGN_ALGO not in ("RS256", "ES256"):
    raise ImproperlyConfigured("PROCONNECT_SIGN_ALGO must be RS256 or ES256 (the algorithms ProConnect signs with).")
# The sign-out form ends on ProConnect's end-session page: browsers hold redirects after a form to form-action.
PROCONNECT_ORIGINS = sorted(
    {
        f"{parts.scheme}://{parts.netloc}"
        for parts in map(urlsplit, [PROCONNECT_ISSUER, PROCONNECT_END_SESSION_ENDPOINT])
        if parts.scheme == "https" and parts.netloc
    }
)

# Content Security Policy (Django's built-in): no inline script, assets served by the app itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, *PROCONNECT_ORIGINS],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "betatracker.logging.RefusalWithoutTraceback"}},
    "formatters": {
        "plain": {"format": "{levelname} {name} {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # 403, 404 and other refusals: one line each, no traceback (betatracker/logging.py)
        "django.request": {"filters": ["refusals"]},
    },
}

# --- ProConnect, continued
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "betatracker.oidc.ProConnectBackend",
]
OIDC_RP_SCOPES = "openid email given_name usual_name"
OIDC_TIMEOUT = env.int("PROCONNECT_TIMEOUT", default=10)
OIDC_STORE_ID_TOKEN = True  # needed to end the ProConnect session at logout (id_token_hint)
# --- end ProConnect

# --- API ---------------------------------------------------------------------------------------
# Read API under /api/v1/ (betatracker/api/): personal tokens (Authorization: Bearer) or the session.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = 100
# --- end API
