"""Settings shared by every environment; production is configured only by environment variables.

Outside debug the defaults are the secure ones: a secret key must be given,
cookies are secure, HSTS is on and hosts must be listed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from filiere.accounts.proconnect import config as proconnect
from filiere.common import logs
from filiere.common.reporting import error_reporting_init

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("FILIERE_DATA_DIR", PROJECT_DIR / "data"))
VAR_DIR = Path(os.environ.get("FILIERE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Django's own deployment check asks for 50 characters; a shorter key is refused outright.
SECRET_KEY_MIN_LENGTH = 50
if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH and not DEBUG:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY must be set, at least {SECRET_KEY_MIN_LENGTH} characters, "
        "when DEBUG is off (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    # The API documentation's Swagger UI, served from ninja's own static files (no CDN).
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "axes",
    # Every correction keeps the earlier values, who made it, when and why (common.history).
    "simple_history",
    "filiere.common",
    "filiere.territory",
    "filiere.accounts",
    "filiere.accounts.proconnect",
    "filiere.webhooks",
    "filiere.partners",
    "filiere.directory",
    "filiere.observatory",
    "filiere.programme",
    "filiere.needs",
    "filiere.support",
    "filiere.activity",
    "filiere.events",
    "filiere.projects",
    "filiere.registers",
    "filiere.showcase",
    "filiere.opendata",
    "filiere.casefile",
]

MIDDLEWARE = [
    # First, so that every answer, a redirect or a refusal too, is logged with its request id.
    "filiere.common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "filiere.common.middleware.NoNulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "filiere.common.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The history of a record names the person whose request changed it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "filiere.common.idempotency.OncePerFormMiddleware",
    "filiere.common.refusals.RefusalMiddleware",
    # Every call made with a partner's API key is logged (filiere.partners).
    "filiere.partners.middleware.ApiCallLogMiddleware",
    # A form sent too often answers with a 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it answers for the sign-in attempts it locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "filiere.urls"
WSGI_APPLICATION = "filiere.wsgi.application"

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
                "filiere.menu.menu",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers and the writer work together; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers wait instead of failing. A page
            # cache of up to 256 MB halves the time of bulk register imports (indexes).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'filiere.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): sign-up with a verified address, sign-in by e-mail, password
# reset, e-mail change with re-verification; nothing says whether an address has an account.
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses the attempts of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The e-mail is the username: the user model copies it there itself.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# Confirmation keys kept in the database, so that each link is used once.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Filière] "
# Its mails go through the platform's outbox, sent by a worker.
ACCOUNT_ADAPTER = "filiere.accounts.account_adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "filiere.accounts.forms.LoginForm",
    "signup": "filiere.accounts.forms.SignupForm",
    "reset_password": "filiere.accounts.forms.ResetPasswordForm",
}
# Per client address (ip) and per e-mail (key), counted in the cache every process shares.
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("FILIERE_LIMIT_SIGNUP", "10/h/ip"),
    "reset_password": os.environ.get("FILIERE_LIMIT_PASSWORD_RESET", "10/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "login": "30/m/ip",
    # Wrong passwords are counted by django-axes below, per account and per address.
    "login_failed": None,
}

# Sign-in attempts (django-axes, counted in the database): FILIERE_LOGIN_FAILURES wrong
# passwords in a row are answered as such, the next one locks the account, and the address
# it came from, for FILIERE_LOGIN_LOCKOUT_HOURS or until the password is reset from the mail.
FILIERE_LOGIN_FAILURES = int(os.environ.get("FILIERE_LOGIN_FAILURES", "10"))
AXES_FAILURE_LIMIT = FILIERE_LOGIN_FAILURES + 1
AXES_COOLOFF_TIME = timedelta(hours=float(os.environ.get("FILIERE_LOGIN_LOCKOUT_HOURS", "1")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "filiere.accounts.limits.attempted_address"
AXES_LOCKOUT_CALLABLE = "filiere.accounts.limits.locked_out"

AXES_CLIENT_IP_CALLABLE = "filiere.accounts.limits.axes_client_ip"
# Only the failures are kept, until the cool-off: no log of every sign-in (personal data).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# The public need form, per client address (django-ratelimit).
FILIERE_LIMIT_NEED_FORM = os.environ.get("FILIERE_LIMIT_NEED_FORM", "20/h")
# Requests to join a team and invitations each send mails: per signed-in account.
FILIERE_LIMIT_TEAM_MAILS = os.environ.get("FILIERE_LIMIT_TEAM_MAILS", "30/h")
# Messages written to firms from their pages (« Contacter »): per signed-in account.
FILIERE_LIMIT_FIRM_MESSAGES = os.environ.get("FILIERE_LIMIT_FIRM_MESSAGES", "20/h")
# The firm suggestions of the forms (« /annuaire/suggestions/ »), per client address.
FILIERE_LIMIT_FIRM_LOOKUP = os.environ.get("FILIERE_LIMIT_FIRM_LOOKUP", "120/m")
# Calls made with one partner's API key (filiere.partners): django-ratelimit's rate syntax.
FILIERE_LIMIT_API_KEY = os.environ.get("FILIERE_LIMIT_API_KEY", "600/m")
RATELIMIT_VIEW = "filiere.accounts.limits.too_many"

# Behind a reverse proxy, the client's address is the one this many proxies away in
# X-Forwarded-For; every limit above reads it the same way (django-allauth's reading).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("FILIERE_TRUSTED_PROXY_COUNT", "0"))

# ProConnect, the State's identity federation (OpenID Connect), beside passwords when its
# issuer, client id and secret are given. An account with the same verified address is
# linked; another is created.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {}
if PROCONNECT_ISSUER and PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS = proconnect.providers(
        issuer=PROCONNECT_ISSUER, client_id=PROCONNECT_CLIENT_ID, secret=PROCONNECT_CLIENT_SECRET
    )

# The cache every process shares (rate limits, the figures kept per version of their data:
# programme.figures, the observatory): Redis when REDIS_URL is given, else a table of the
# database (``createcachetable``), which holds up to 5,000 entries (Django's default, 300,
# would cull the observatory's precomputed figures). The table's counts are read then
# written, not incremented in place: a burst of simultaneous requests may pass a limit by
# the number of workers serving it, which django-ratelimit's check says as an error; Redis
# counts exactly.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "filiere_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}

# django-ratelimit knows Django's own Redis backend only by the name of django-redis's.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"].endswith(".db.DatabaseCache"):
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Background work (Celery, filiere/celery.py). The broker is Redis when REDIS_URL (or
# CELERY_BROKER_URL) is given: workers may then run on any number of machines. Otherwise the
# embedded default keeps the queue in files under var/queue, shared by the web process, the
# worker and beat of one machine (`make run` starts the three), with nothing to install.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _QUEUE_DIR = VAR_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_QUEUE_DIR / "messages"),
        "data_folder_out": str(_QUEUE_DIR / "messages"),
        "control_folder": str(_QUEUE_DIR / "control"),
        # A worker looks for its next task this often once it has room for one: at kombu's
        # default (1 s) it ran one task a second, and a schedule's publication mailed its
        # participants one a second.
        "polling_interval": 0.1,
    }
    for _folder in ("messages", "control"):
        (_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A task whose worker died is handed to another after this long (Redis); the scheduler's
    # runs have their own, shorter watch (events.tasks.watch_schedule_runs).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task's outcome is written where its page reads it (a run, a mail, an import), never in a
# result backend.
CELERY_TASK_IGNORE_RESULT = True
# A message is acknowledged once its task has run: a worker killed mid-task leaves it to
# another worker instead of losing it; each worker takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic duties beat enqueues (`python -m filiere beat`); each is also a command, for
# scripts and cron users. The daily ones are idempotent: running one twice sends nothing more.
FILIERE_WATCH_SECONDS = int(os.environ.get("FILIERE_WATCH_SECONDS", "15"))
CELERY_BEAT_SCHEDULE = {
    # Each office's managers receive the last quarter's activity on its next quarter's first day.
    "send-quarterly-activity": {
        "task": "filiere.activity.tasks.send_quarterly_activity",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=7, minute=30),
    },
    "escalate-support-needs": {
        "task": "filiere.support.tasks.escalate_support_needs",
        "schedule": crontab(hour=7, minute=0),
    },
    "escalate-needs": {
        "task": "filiere.needs.tasks.escalate_needs",
        "schedule": crontab(hour=7, minute=5),
    },
    "ask-event-feedback": {
        "task": "filiere.events.tasks.ask_event_feedback",
        "schedule": crontab(hour=9, minute=0),
    },
    "send-aid-alerts": {
        "task": "filiere.projects.tasks.send_aid_alerts",
        "schedule": crontab(hour=8, minute=0),
    },
    # Before the alerts, so that they announce the schemes imported in the night.
    "import-aides-territoires": {
        "task": "filiere.projects.tasks.import_aides_territoires",
        "schedule": crontab(hour=6, minute=30),
    },
    # The watches: a scheduler run or a register import whose worker stopped, mails no
    # worker took.
    "watch-schedule-runs": {
        "task": "filiere.events.tasks.watch_schedule_runs",
        "schedule": FILIERE_WATCH_SECONDS,
    },
    "watch-register-imports": {
        "task": "filiere.observatory.tasks.watch_register_imports",
        "schedule": FILIERE_WATCH_SECONDS,
    },
    "resend-waiting-mails": {
        "task": "filiere.accounts.tasks.resend_waiting_mails",
        "schedule": 300,
    },
    # The digests of the notifications people chose to receive once a day or once a week.
    "send-daily-digests": {
        "task": "filiere.accounts.tasks.send_daily_digests",
        "schedule": crontab(hour=17, minute=0),
    },
    "send-weekly-digests": {
        "task": "filiere.accounts.tasks.send_weekly_digests",
        "schedule": crontab(hour=17, minute=10, day_of_week="fri"),
    },
    "purge-sent-mails": {
        "task": "filiere.accounts.tasks.purge_sent_mails",
        "schedule": crontab(hour=3, minute=30),
    },
    # Webhook deliveries whose task was lost (a broker outage, a worker stopped mid-attempt).
    "resend-lost-webhook-deliveries": {
        "task": "filiere.webhooks.tasks.resend_lost_deliveries",
        "schedule": 300,
    },
    "purge-old-webhook-deliveries": {
        "task": "filiere.webhooks.tasks.purge_old_deliveries",
        "schedule": crontab(hour=3, minute=40),
    },
    "purge-api-calls": {
        "task": "filiere.partners.tasks.purge_api_calls",
        "schedule": crontab(hour=3, minute=40),
    },
    # The partners' follow-up reminders, mailed on their day.
    "send-reminders": {
        "task": "filiere.casefile.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # The directory's search index built again each night: the firms changed during the day
    # leave the delta, and a build asked for while the broker was down is made.
    "rebuild-directory-index": {
        "task": "filiere.directory.tasks.rebuild_directory_index",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Organisations' webhooks: an endpoint whose deliveries failed this many times in a row (each
# after its retries) is switched off and its admins are mailed. Addresses of private, loopback
# or link-local networks, and plain http to them, are refused unless allowed (development).
FILIERE_WEBHOOK_FAILURES = int(os.environ.get("FILIERE_WEBHOOK_FAILURES", "10"))
FILIERE_WEBHOOK_ALLOW_PRIVATE = env_bool("FILIERE_WEBHOOK_ALLOW_PRIVATE", DEBUG)
# The meeting scheduler's time limit for a run started from the organiser's page (seconds):
# it stops earlier when it proves its schedule the best.
FILIERE_SCHEDULE_SECONDS = int(os.environ.get("FILIERE_SCHEDULE_SECONDS", "20"))
# A scheduler run whose worker wrote no heartbeat for this long is taken as stopped: run
# again on another worker, or failed with the reason (events.models.RUN_SILENT).
FILIERE_RUN_SILENT_SECONDS = int(os.environ.get("FILIERE_RUN_SILENT_SECONDS", "30"))

# The search and matching indexes are built by the workers and kept in the default storage
# (common.indexes); each machine reads them from its copy here, fetched once per build.
FILIERE_INDEX_DIR = Path(os.environ.get("FILIERE_INDEX_DIR", VAR_DIR / "indexes"))

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# An upload is cut off once it passes the largest file a form takes (a project's document),
# before it fills memory or disk; each form then says its own limit.
FILIERE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# The register's stock files, imported from the observatory's page (/observatoire/imports/),
# are larger: INSEE's national establishment stock is about 2 GB zipped. A larger file goes
# through the import_sirene command. The web server in front must take such a body too.
FILIERE_REGISTER_UPLOAD_MAX_BYTES = int(
    os.environ.get("FILIERE_REGISTER_UPLOAD_MAX_BYTES", 3 * 1024 * 1024 * 1024)
)
FILE_UPLOAD_HANDLERS = [
    "filiere.common.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Uploaded project documents. They are never served from here directly: the
# project pages check access and send them as attachments.
MEDIA_ROOT = Path(os.environ.get("FILIERE_MEDIA_ROOT", VAR_DIR / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Or in a bucket of any S3-compatible store (django-storages), so that every machine of the
# platform reads the same documents. Objects get no ACL of their own: they stay as private as
# the bucket, which must not be public. No address of a document is ever given out (signed or
# not): the pages read it through the storage and send it after their access check.
FILIERE_S3_BUCKET = os.environ.get("FILIERE_S3_BUCKET", "")
if FILIERE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FILIERE_S3_BUCKET,
            "endpoint_url": os.environ.get("FILIERE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FILIERE_S3_REGION") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
            "default_acl": None,
            # A second document of the same name is stored beside the first, as on disk.
            "file_overwrite": False,
        },
    }

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP server the default backend sends through.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "filiere@localhost")
# The address of the platform as users reach it, for the links in e-mails.
SITE_URL = os.environ.get("FILIERE_SITE_URL", "http://127.0.0.1:8000")

# The API Recherche d'entreprises (public, no key) behind the firm suggestions of the forms
# (filiere.directory.firm_lookup); empty switches it off: the imported register answers alone.
SIRENE_API_URL = os.environ.get(
    "FILIERE_SIRENE_API_URL", "https://recherche-entreprises.api.gouv.fr"
).rstrip("/")
# A suggestion is wanted while one types: past this many seconds the register answers.
SIRENE_API_TIMEOUT = 2.0

# A notification given no address is logged as an error; with this set, it raises (the tests).
FILIERE_NOTIFICATIONS_STRICT = False
# The région the platform serves (INSEE code) where a page is not about one contract: the
# départements offered by the need, offer and routing forms, the observatory's first view.
FILIERE_REGION = os.environ.get("FILIERE_REGION", "28")
# The aid import (projects.aides_territoires): the API, the account's API token (none: the
# import is not configured, and says so), the région's perimeter as Aides-territoires names
# it (an id of its /api/perimeters/, like « 70973-auvergne-rhone-alpes ») and other filters,
# as a query string.
AIDES_TERRITOIRES_URL = os.environ.get(
    "AIDES_TERRITOIRES_URL", "https://aides-territoires.beta.gouv.fr"
)
AIDES_TERRITOIRES_TOKEN = os.environ.get("AIDES_TERRITOIRES_TOKEN", "")
AIDES_TERRITOIRES_PERIMETER = os.environ.get("AIDES_TERRITOIRES_PERIMETER", "")
AIDES_TERRITOIRES_FILTERS = os.environ.get(
    "AIDES_TERRITOIRES_FILTERS", "targeted_audiences=private_sector"
)

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's health check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Every page's scripts and styles come from the platform itself; nothing inline runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"]
        + ([proconnect.form_action(PROCONNECT_ISSUER)] if SOCIALACCOUNT_PROVIDERS else []),
        "frame-ancestors": ["'none'"],
    }
}

# JSON lines on stdout, one per request and each with the request's (or task's) id; `text`
# reads better in a terminal (the default of settings.dev).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
try:
    LOGGING = logs.logging_config(log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

# Errors reported to Sentry when SENTRY_DSN is given, without personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
error_reporting_init(
    dsn=SENTRY_DSN,
    environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    release=os.environ.get("SENTRY_RELEASE", ""),
)

NINJA_PAGINATION_PER_PAGE = 50

# In debug (and the tests) WhiteNoise serves straight from the apps' static folders;
# in production it serves what `collectstatic` gathered in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
