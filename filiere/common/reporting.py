"""Error reporting to Sentry (or a compatible service), on only when SENTRY_DSN is given.

Personal data is not sent (``send_default_pii=False``): an event names the user by id alone.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def error_reporting_init(*, dsn: str, environment: str, release: str) -> bool:
    """Start reporting the errors of this process to ``dsn``; False, and nothing started, when
    no DSN is given."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
    )
    return True
