"""One signed POST of a delivery's body, and what came back.

The signature, as partners check it (README, « Webhooks »): ``X-Filiere-Signature:
t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>``."""

import hashlib
import hmac
import http.client
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from filiere.webhooks.targets import UnknownHost, UnsafeTarget, check_target

# Seconds to connect, and between two reads of the answer.
TIMEOUT = 10
EXCERPT_CHARS = 500
USER_AGENT = "Filiere-Webhooks/1"


def signature(secret: str, timestamp: int, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str
    error: str
    duration_ms: int
    # Not sent at all: the address may not be sent to (targets.check_target).
    refused: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def worth_retrying(self) -> bool:
        """No answer (network, timeout), the receiver's own failure or a request to slow down;
        any other answer (a redirect, a 4xx) would be the same next time."""
        if self.status_code is None:
            return not self.refused
        return self.status_code >= 500 or self.status_code == 429


def post(url: str, body: str, headers: dict[str, str]) -> Answer:
    """POST the body once, following no redirect; never raises for what the network does."""
    started = time.monotonic()
    try:
        check_target(url)
    except UnknownHost as unknown:  # tried again, as any network failure
        return Answer(None, "", str(unknown)[:300], 0)
    except UnsafeTarget as refused:
        return Answer(None, "", str(refused)[:300], 0, refused=True)
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    data = body.encode()
    try:
        connection.request(
            "POST",
            path,
            body=data,
            headers={
                **headers,
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")
        # PostgreSQL keeps no NUL character in a text.
        excerpt = excerpt.replace("\x00", "")[:EXCERPT_CHARS]
        status = response.status
        error = ""
    except (OSError, http.client.HTTPException) as exc:
        status, excerpt, error = None, "", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.close()
    return Answer(status, excerpt, error, int((time.monotonic() - started) * 1000))
