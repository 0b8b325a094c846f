"""Abuse limits: who a sign-in attempt is for (django-axes counts per address and per client),
the answers to a locked-out sign-in and to a form sent too often, and the way out of a
lockout (a password reset from the e-mail)."""

from allauth.account.adapter import get_adapter
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def attempted_address(request, credentials) -> str:
    """The account an attempt names: the e-mail typed, in lower case (as sign-in reads it)."""
    given = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not given and request is not None:
        given = request.POST.get("login", "")
    return (given or "").strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """The sign-in refused after too many wrong passwords: how long, and the way out."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


def lift_lockout(*, email: str) -> None:
    """A password chosen from the link sent to the address lifts that account's lockout."""
    reset_attempts(username=email.strip().lower())


def too_many(request, exception=None):
    """A form sent too often from one place: said, with a 429 (django-ratelimit's view, and
    the ``handler429`` django-allauth answers its own limits with)."""
    return render(request, "accounts/too_many.html", status=429)


def client_ip(group, request) -> str:
    """The client's address, read as django-allauth reads it (behind the trusted proxies):
    the key of django-ratelimit's limits."""
    return get_adapter().get_client_ip(request)


def axes_client_ip(request) -> str | None:
    """The same address, for django-axes; none for a sign-in made without a request from a
    client (a test's ``force_login``), which django-axes then counts by account only."""
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return None


def setting_rate(name: str):
    """A django-ratelimit rate read from a setting at each request (tests may change it)."""

    def rate(group, request) -> str:
        return getattr(settings, name)

    return rate
