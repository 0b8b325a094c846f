"""Structured logs: one JSON line per request, and every line logged while a request or a
Celery task runs carries its request_id and user, or its task_id and task name.

The request's or task's context lives in a context variable that ``ContextFilter``, set on
the log handler, copies onto each record; ``logging_config`` is the settings' LOGGING.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar, Token

from celery.signals import task_postrun, task_prerun
from django.utils.functional import LazyObject, empty

logger = logging.getLogger("filiere.request")

_context: ContextVar[dict[str, object] | None] = ContextVar("filiere_log_context", default=None)
# The request itself, so that each line reads the user once the request has looked them up.
_request: ContextVar[object | None] = ContextVar("filiere_log_request", default=None)
_task_tokens: dict[str, Token] = {}

# An identifier given by the proxy or the client is kept when it cannot forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def logging_config(*, log_format: str, level: str) -> dict:
    """LOGGING for the settings: JSON lines (``json``) or readable lines (``text``) on stdout."""
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever the process's time zone (Django sets Europe/Paris).
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    }
    if log_format not in formatters:
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "filiere.common.logs.ContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["context"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
    }


def user_id(request) -> int | None:
    """The signed-in user's id once the request has looked them up, else None: logging never
    queries the session itself (a health check must not, nor a request whose database is down),
    and never writes the e-mail."""
    user = request.__dict__.get("user")
    if isinstance(user, LazyObject):
        user = user._wrapped
        if user is empty:
            return None
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class ContextFilter(logging.Filter):
    """Copies the current request's or task's fields onto every record (never over a field the
    record already has)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = dict(_context.get() or {})
        request = _request.get()
        if request is not None:
            fields["user"] = user_id(request)
        for name, value in fields.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class RequestLogMiddleware:
    """Gives each request an id (the incoming X-Request-ID when sane, else a new one), sends it
    back as X-Request-ID, and logs one line per request: method, path, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        context_token = _context.set({"request_id": request_id})
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s %s ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request.reset(request_token)
            _context.reset(context_token)


@task_prerun.connect(dispatch_uid="filiere.common.logs.task_started")
def task_started(*, task_id: str, task, **_signal) -> None:
    # Merged with the current context: a task run at once inside a request keeps its request_id.
    fields = {**(_context.get() or {}), "task_id": task_id, "task_name": task.name}
    _task_tokens[task_id] = _context.set(fields)


@task_postrun.connect(dispatch_uid="filiere.common.logs.task_finished")
def task_finished(*, task_id: str, **_signal) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _context.reset(token)
