"""Django settings for Knotenpunkt, read from environment variables.

With nothing set, Knotenpunkt runs on a local SQLite file under ``var/`` with safe defaults:
``DEBUG`` off, hosts limited to the loopback, a random secret key kept in ``var/secret_key``,
e-mails printed to the console. docs/operations.md lists every variable.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from knotenpunkt.config.env import Env

# Generic classes such as ModelForm[Area] at run time, for the type checker's sake.
django_stubs_ext.monkeypatch()

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env.get_str("DATA_DIR", str(PROJECT_DIR / "var")))


def _development_secret_key() -> str:
    """A random key kept beside the SQLite file, so that no secret ever sits in the repository."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


DEBUG = env.get_bool("DEBUG", default=False)
SECRET_KEY = env.secret("SECRET_KEY", default="") or _development_secret_key()
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": env.database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'knotenpunkt.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo serve reads while a write is running; a busy timeout avoids
    # "database is locked" under the development server's threads.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "knotenpunkt.core",
    "knotenpunkt.partners",
    "knotenpunkt.bodies",
    # Before meetings and outreach: their demos build on the directory demo's organisations.
    "knotenpunkt.directory",
    "knotenpunkt.meetings",
    "knotenpunkt.outreach",
    "knotenpunkt.imports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "phonenumber_field",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "knotenpunkt.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "knotenpunkt.core.middleware.TenantMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "knotenpunkt.config.urls"
WSGI_APPLICATION = "knotenpunkt.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "knotenpunkt.core.context_processors.tenancy",
            ],
        },
    },
]

# Accounts: e-mail login, argon2 first.
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Guessing passwords: after LOGIN_FAILURE_LIMIT wrong passwords for one address from one IP,
# logins for that pair pause for LOGIN_LOCKOUT_MINUTES. No log of successful logins is kept.
AXES_FAILURE_LIMIT = env.get_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Language and time: German first, English complete; stored in UTC, shown in Berlin time.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(DATA_DIR / "static")))
# WhiteNoise looks for this folder at start-up, even while it serves from the apps.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.get_bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the demo, development) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not env.get_bool("STATIC_MANIFEST", default=False)

# E-mail through Django's SMTP backend; with no host set, mails are printed to the console.
EMAIL_HOST = env.get_str("EMAIL_HOST", "")
EMAIL_PORT = env.get_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Knotenpunkt <noreply@knotenpunkt.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")

PHONENUMBER_DEFAULT_REGION = "DE"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Optional geocoder (Nominatim, via geopy) for organisations' addresses; off unless a URL is set.
GEOCODER_URL = env.get_str("GEOCODER_URL", "")
GEOCODER_USER_AGENT = env.get_str("GEOCODER_USER_AGENT", "knotenpunkt")

# Years without a current affiliation or membership and without a change, after which the data
# protection page suggests checking (and erasing) a professional's record.
PARTNERS_RETENTION_YEARS = env.get_int("PARTNERS_RETENTION_YEARS", 3, minimum=1)

# Spreadsheet imports with more rows than this run in a background thread with a progress bar.
IMPORTS_BACKGROUND_ROWS = env.get_int("IMPORTS_BACKGROUND_ROWS", 2000, minimum=1)
IMPORTS_RUN_INLINE = env.get_bool("IMPORTS_RUN_INLINE", default=False)
# Uploaded sheets (raw file and the personal values of their rows) are kept this many days; the
# daily `manage.py imports_purge` forgets older ones. What was applied stays in the register.
IMPORTS_KEEP_DAYS = env.get_int("IMPORTS_KEEP_DAYS", 30, minimum=1)

# Maps and visit tours. Without a tile server, maps show places and routes on a plain background;
# with one (e.g. https://tile.example.org/{z}/{x}/{y}.png) its host is allowed by the CSP.
MAP_TILE_URL = env.get_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env.get_str("MAP_TILE_ATTRIBUTION", "")
# Road distances for tours from an OSRM server; without one, great-circle distance times a detour
# factor at an average speed.
OSRM_URL = env.get_str("OSRM_URL", "")
TOUR_DETOUR_FACTOR = float(env.get_str("TOUR_DETOUR_FACTOR", "1.3"))
TOUR_AVERAGE_SPEED_KMH = env.get_int("TOUR_AVERAGE_SPEED_KMH", 50, minimum=5)

# The site's own address, for links in e-mails sent outside a request (directory reminders).
SITE_URL = env.get_str("SITE_URL", "http://localhost:8000")
# Reverse proxies in front of the app: the visitor's address is taken from X-Forwarded-For
# behind this many of them (used for rate limits only, never stored).
TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Rate limits (public error reports) count in the cache; several app servers need a shared one:
# CACHE_BACKEND=db (run `manage.py createcachetable` once).
CACHES = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "knotenpunkt_cache",
        }
    }
    if env.get_str("CACHE_BACKEND", "") == "db"
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
# Generate printed guides within the request instead of a background thread (tests, scripts).
GUIDE_EDITIONS_RUN_INLINE = env.get_bool("GUIDE_EDITIONS_RUN_INLINE", default=False)
# Tell coordinators by e-mail when a partner proposes a change to an offer.
DIRECTORY_NOTIFY_COORDINATORS = env.get_bool("DIRECTORY_NOTIFY_COORDINATORS", default=True)

# Answers of calendar programs to meeting invitations, read by `manage.py meetings_fetch_replies`
# (run it from cron, e.g. every 10 minutes). Without a host the command does nothing.
MEETINGS_IMAP_HOST = env.get_str("MEETINGS_IMAP_HOST", "")
MEETINGS_IMAP_PORT = env.get_int("MEETINGS_IMAP_PORT", 993, minimum=1)  # 993 TLS, 143 STARTTLS
MEETINGS_IMAP_USER = env.get_str("MEETINGS_IMAP_USER", "")
MEETINGS_IMAP_PASSWORD = env.secret("MEETINGS_IMAP_PASSWORD", default="")
MEETINGS_IMAP_FOLDER = env.get_str("MEETINGS_IMAP_FOLDER", "INBOX")

# Security headers. HTTPS=true (behind TLS) adds HSTS, the redirect and secure cookies.
HTTPS = env.get_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.get_bool("HSTS_PRELOAD", default=False)
# Joining the browsers' preload list cannot be undone quickly: the operator decides.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.get_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True

# A strict Content-Security-Policy: only our own origin; inline styles only with the per-request
# nonce (the tenant's brand colour); no inline scripts, no eval.
_IMG_SOURCES: list[str] = [SELF, "data:"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": _IMG_SOURCES,
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}
if MAP_TILE_URL:
    _tiles = urlsplit(MAP_TILE_URL)
    # A "{s}" subdomain placeholder (a., b., c.) needs a wildcard source.
    _tile_host = _tiles.netloc.replace("{s}", "*")
    _IMG_SOURCES.append(f"{_tiles.scheme}://{_tile_host}")
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "WARNING")},
}
