"""Settings for Planuppföljning, read from the environment.

With no environment set, the application runs as the embedded demo: an SQLite file beside the code,
DEBUG on and a fixed development secret. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and
DEBUG=0 (README.md, "Production settings").
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name, demo_default):
    """A value from the environment; the demo default is accepted only in the embedded demo setup."""
    value = os.environ.get(name)
    if value:
        return value
    if EMBEDDED_DEMO:
        return demo_default
    raise ImproperlyConfigured(f"{name} must be set outside the embedded demo (DATABASE_URL set or DEBUG=0)")


# The embedded demo is the setup without DATABASE_URL and with DEBUG on: SQLite beside the code, the demo
# secret key and the demo accounts allowed. Anything else is production and must set SECRET_KEY.
DEBUG = env_bool("DEBUG", not os.environ.get("DATABASE_URL"))
EMBEDDED_DEMO = DEBUG and not os.environ.get("DATABASE_URL")
SECRET_KEY = env_required("SECRET_KEY", "demo-only-insecure-key-for-the-embedded-sqlite-setup")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that does not answer fails the request after this many seconds rather than holding it:
    # the user gets the page saying the service is unavailable (plan/health.py), and a load balancer's check fails.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process's memory: rendered PDFs and public pages in "default", the staff's pages (plan/caching.py) in
# "pages", so many pages cannot push out PDFs that are costly to render again. Each keeps at most 300 entries and
# drops a third of them when full.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

INSTALLED_APPS = [
    "plan",
    "strategies",
    "activities",
    "revisions",
    "plandata",
    "followup",
    "meetings",
    "sso",
    "publicsite",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_tables2",
    "django_filters",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (below, "Headers").
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plan.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires login unless a view is explicitly marked as public (only the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A user who came through single sign-on and has no role yet sees only the page that says so.
    "sso.middleware.AccessPendingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses logins after too many failures.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves the collected static files itself (runserver and the tests use the finders).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "plan.urls"
WSGI_APPLICATION = "plan.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# The reason of a change is the user's own comment, which may be longer than simple-history's default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

AUTH_USER_MODEL = "plan.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are throttled per user name and address: after AXES_FAILURE_LIMIT failures the pair is
# locked out for AXES_COOLOFF_MINUTES. Attempts are stored in the database, shared by every app server.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # registered in plan/admin.py, for plan administrators
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A local arena or recommended activity with no update for this many days is flagged as stale.
LOCAL_ARENA_STALE_DAYS = env_int("LOCAL_ARENA_STALE_DAYS", 183)

# E-mail goes out through an SMTP server. The embedded demo writes each message to a file in
# EMAIL_FILE_PATH instead (README.md, "E-mail"), so nothing needs a mail server.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMBEDDED_DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Planuppföljning <planuppfoljning@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the application as its users reach it, for the links in e-mail (sent without a request).
SITE_URL = env_required("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The forum's members get the link to the meeting pack this many days before the meeting.
MEETING_PACK_DAYS = env_int("MEETING_PACK_DAYS", 2)
# A password reset link is valid this long (Django's PASSWORD_RESET_TIMEOUT, in seconds): one hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)


# Logging in through the organisations' own identity providers over OpenID Connect (README.md, "Single
# sign-on"): OIDC_PROVIDERS names them, and OIDC_<NAME>_… configures each.
def oidc_provider(provider_id):
    if not re.fullmatch(r"[a-z][a-z0-9-]*", provider_id):
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: {provider_id!r} must be lower-case letters, digits and hyphens")
    prefix = f"OIDC_{provider_id.upper().replace('-', '_')}_"
    required = ["DISCOVERY_URL", "CLIENT_ID", "CLIENT_SECRET", "ORGANISATION_CLAIM"]
    missing = [prefix + name for name in required if not os.environ.get(prefix + name)]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on through {provider_id} needs {', '.join(missing)}")
    role_map = {}
    for pair in env_list(prefix + "ROLE_MAP", []):
        value, _sep, role = pair.partition("=")
        role_map[value.strip()] = role.strip()
    return {
        "id": provider_id,
        "name": os.environ.get(prefix + "NAME", provider_id),
        "discovery_url": os.environ[prefix + "DISCOVERY_URL"],
        "client_id": os.environ[prefix + "CLIENT_ID"],
        "client_secret": os.environ[prefix + "CLIENT_SECRET"],
        "scopes": os.environ.get(prefix + "SCOPES", "openid profile email"),
        "organisation_claim": os.environ[prefix + "ORGANISATION_CLAIM"],
        "role_claim": os.environ.get(prefix + "ROLE_CLAIM", ""),
        "role_map": role_map,
        "logout": env_bool(prefix + "LOGOUT", True),
    }


OIDC_PROVIDERS = [oidc_provider(provider_id) for provider_id in env_list("OIDC_PROVIDERS", [])]
# Seconds to wait for an identity provider before the login is refused.
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Local passwords; off, the login page offers only the identity providers.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)

# Open data sources of effect-measure values (manage.py fetch_measure_values; README.md, "Effect measures").
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3")
FOLKHALSODATA_BASE_URL = os.environ.get(
    "FOLKHALSODATA_BASE_URL", "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv"
)
SOURCE_TIMEOUT = env_int("SOURCE_TIMEOUT", 30)

# The accessibility statement (tillgänglighetsredogörelse, /tillganglighet/): who publishes the service, how to
# reach them, how compliant it is, and when it was assessed and last updated. The organisation defaults to the
# plan's region.
ACCESSIBILITY_ORGANISATION = os.environ.get("ACCESSIBILITY_ORGANISATION", "")
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
ACCESSIBILITY_COMPLIANCE = os.environ.get("ACCESSIBILITY_COMPLIANCE", "partly")
if ACCESSIBILITY_COMPLIANCE not in ("fully", "partly", "not"):
    raise ImproperlyConfigured("ACCESSIBILITY_COMPLIANCE must be fully, partly or not")
ACCESSIBILITY_ASSESSED_ON = os.environ.get("ACCESSIBILITY_ASSESSED_ON", "2026-11-30")
ACCESSIBILITY_UPDATED_ON = os.environ.get("ACCESSIBILITY_UPDATED_ON", "2026-11-30")

# The staff's pages that read much (the plan, strategies, activities, my activities, the dashboard, the table and
# its exports, recent changes, effect measures, local arenas, the comparison, a follow-up) are kept in the cache per
# readers' roles until the data changes (plan/caching.py), and at most PAGE_CACHE_SECONDS; 0 turns this off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 10 * 60)

# The public pages (/offentlig/): the plan in force and how it goes, without logging in, and the same as open
# data under OPEN_DATA_LICENCE. Off in production unless turned on; on in the embedded demo. Pages are cached
# until the data they show changes, and at most PUBLIC_CACHE_SECONDS.
PUBLIC_PAGES = env_bool("PUBLIC_PAGES", EMBEDDED_DEMO)
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60 * 60)
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "CC0 1.0")
OPEN_DATA_LICENCE_URL = os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/publicdomain/zero/1.0/")

# Uploaded sheets (the exports, edited and uploaded back): a file over these is refused before it is read.
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
SPREADSHEET_MAX_ROWS = env_int("SPREADSHEET_MAX_ROWS", 10000)
SPREADSHEET_MAX_CELL_CHARACTERS = env_int("SPREADSHEET_MAX_CELL_CHARACTERS", 5000)
# Django refuses a request body larger than this (the upload plus the form).
DATA_UPLOAD_MAX_MEMORY_SIZE = SPREADSHEET_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SPREADSHEET_MAX_BYTES + 1024 * 1024

# Rendering a PDF report costs a second or two of CPU (plan/pdf.py): at most PDF_RENDER_CONCURRENCY renders run at
# a time in each process, a request waits at most PDF_RENDER_WAIT seconds for a free slot and then gets 503 with
# Retry-After, and a rendered PDF is kept in the cache for PDF_CACHE_SECONDS under a hash of its content.
PDF_RENDER_CONCURRENCY = env_int("PDF_RENDER_CONCURRENCY", 2)
PDF_RENDER_WAIT = env_int("PDF_RENDER_WAIT", 10)
PDF_CACHE_SECONDS = env_int("PDF_CACHE_SECONDS", 24 * 60 * 60)
if PDF_RENDER_CONCURRENCY < 1 or PDF_CACHE_SECONDS < 1:
    raise ImproperlyConfigured("PDF_RENDER_CONCURRENCY and PDF_CACHE_SECONDS must be 1 or more")
if PDF_RENDER_WAIT < 0:
    raise ImproperlyConfigured("PDF_RENDER_WAIT must be 0 or more")

# Headers. Scripts, styles, images and fonts only from the application's own origin, nothing inline (a nonce
# or a hash is never needed: every script and style is a file), and no framing. Bootstrap's form controls draw
# their arrows and ticks as data: images. The browser's powerful features are all turned off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Every cookie the application sets is HttpOnly and SameSite=Lax, and Secure in production (below).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer checks /healthz over plain HTTP on the application server itself (README.md, "Health check").
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # The client's address for login throttling comes from the proxy's X-Forwarded-For, not the proxy.
        AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1)
        AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per record on standard error, which systemd's journal keeps (docs/DEPLOYMENT.md, "Logs").
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
