"""``/healthz``, for the load balancer and the monitoring: can this process reach its database
and its broker? 200 when both answer, 503 naming the part that does not and why.

It reads no session and no user, so it answers the same whoever asks; it is exempt from the
HTTPS redirect (SECURE_REDIRECT_EXEMPT) and from any rate limit.
"""

import logging
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
# The folders of kombu's filesystem transport (the embedded broker), which must be writable.
FILESYSTEM_FOLDERS = ("data_folder_in", "data_folder_out", "control_folder")


class Unhealthy(Exception):
    """A part does not answer; the message says why, in words fit to be shown."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        raise Unhealthy("no broker configured (CELERY_BROKER_URL)")
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for name in FILESYSTEM_FOLDERS:
        folder = options.get(name)
        if folder and not os.access(folder, os.W_OK):
            raise Unhealthy(f"the broker's folder {name} is not writable")
    with Connection(
        url, transport_options=options, connect_timeout=BROKER_TIMEOUT_SECONDS
    ) as broker:
        broker.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
        )


def _secrets() -> list[str]:
    """What a failure's message must not show: the passwords of the database and the broker."""
    broker_url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    found = [connection.settings_dict.get("PASSWORD") or "", urlsplit(broker_url).password or ""]
    return [secret for secret in found if secret]


def _why(exc: Exception) -> str:
    if isinstance(exc, Unhealthy):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    for secret in _secrets():
        text = text.replace(secret, "***")
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


CHECKS = {"database": check_database, "broker": check_broker}


@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    answer = {"status": "ok"}
    for part, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            # Whatever the failure, the answer is a 503 that names it, never a 500.
            why = _why(exc)
            logger.error(
                "Health check: the %s does not answer: %s",
                part,
                why,
                exc_info=not isinstance(exc, Unhealthy),
            )
            answer[part] = f"error: {why}"
            answer["status"] = "error"
        else:
            answer[part] = "ok"
    return JsonResponse(answer, status=200 if answer["status"] == "ok" else 503)
