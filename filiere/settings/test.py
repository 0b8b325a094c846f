"""The test suite: fast hashing, in-memory mail, plain static storage."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-not-secret-filiere-never-use-this-key-in-production-012"
)

from filiere.settings.base import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A notification with no address fails the test that sent it.
FILIERE_NOTIFICATIONS_STRICT = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="filiere-test-media-"))
FILIERE_INDEX_DIR = Path(tempfile.mkdtemp(prefix="filiere-test-indexes-"))

# Tasks run at once, in the test's process (the integration tests of tests/runtime start real
# workers with their own settings).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Webhooks go to the tests' receivers on 127.0.0.1.
FILIERE_WEBHOOK_ALLOW_PRIVATE = True

# A test database on disk rather than in memory: requests that run at the same moment (the
# concurrency tests, the live server of the browser tests) then wait for SQLite's write lock
# as they do in production, instead of failing with « table is locked ».
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="filiere-test-db-")) / "test.sqlite3")
    }

# Rate-limit counts in the test process's memory, emptied before each test (tests/conftest.py):
# the live servers of the browser tests run in this process. The test of limits across two
# processes starts its own servers, on the default shared cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Never the network: the firm suggestions' tests point this at their own replay server.
SIRENE_API_URL = ""
