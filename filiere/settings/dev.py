"""Local development and `make run`: debug on, console e-mail, a fixed dev-only secret."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "dev-only-not-secret-filiere-never-use-this-key-in-production-0123"
)

from filiere.settings.base import *  # noqa: E402,F403
from filiere.settings.base import env_list  # noqa: E402

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
