"""The settings of the processes the runtime tests start (web, worker, beat): the test
suite's, with tasks sent to the broker instead of run at once, and mails written to files
the tests read."""

import os

from filiere.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FILIERE_TEST_MAIL_DIR"]
