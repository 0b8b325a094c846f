"""Writes of the partners' keys: create (the secret shown once), revoke, find the key a
call is made with, record the calls and purge the old ones."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.access import check_runs_team
from filiere.accounts.models import Membership
from filiere.common.refusals import Refused
from filiere.partners.enums import Scope
from filiere.partners.models import ApiCall, ApiKey, IdempotentRequest

# A key reads ``flr_`` + its prefix (8 characters, kept to find it) + its secret.
TOKEN_START = "flr_"
PREFIX_LENGTH = 8
# The call log is kept this long, then purged by the periodic task.
CALLS_KEPT = timedelta(days=180)


class InvalidKey(Exception):
    """No usable key is sent: unknown, revoked, or its creator left the organisation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    token: str  # shown once: only its hash is kept


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def key_create(*, user, organisation, name: str, scopes: list[str]) -> CreatedKey:
    check_runs_team(user, organisation)
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise Refused(
            "api_key.scopes", _("Choisissez au moins un droit parmi ceux proposés."), field="scopes"
        )
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=[scope for scope in Scope.values if scope in scopes],
        created_by=user,
    )
    return CreatedKey(key=key, token=f"{TOKEN_START}{prefix}{secret}")


@transaction.atomic
def key_revoke(*, user, key: ApiKey) -> ApiKey:
    """The key is refused from now on; it stays listed with its calls."""
    check_runs_team(user, key.organisation)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_by = user
        key.save(update_fields=["revoked_at", "revoked_by"])
    return key


def key_for_token(token: str) -> ApiKey:
    """The key a call is made with (revoked or not: ``key_refusal`` says whether it may be
    used); ``InvalidKey`` when the token names none."""
    if not token.startswith(TOKEN_START):
        raise InvalidKey(_("Clé d'API inconnue."))
    prefix = token[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    secret = token[len(TOKEN_START) + PREFIX_LENGTH :]
    key = ApiKey.objects.select_related("organisation", "created_by").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(secret)):
        raise InvalidKey(_("Clé d'API inconnue."))
    return key


def key_refusal(key: ApiKey) -> str | None:
    """Why a known key cannot be used, if it cannot."""
    if key.is_revoked:
        return _("Cette clé d'API a été révoquée.")
    creator = key.created_by
    if (
        creator is None
        or not Membership.objects.active()
        .filter(user=creator, organisation_id=key.organisation_id)
        .exists()
    ):
        return _(
            "La personne qui a créé cette clé ne fait plus partie de l'organisation : "
            "créez-en une nouvelle."
        )
    return None


def call_record(*, key: ApiKey, method: str, route: str, status: int, duration_ms: int) -> None:
    now = timezone.now()
    ApiCall.objects.create(
        key=key, method=method, route=route[:200], status=status, duration_ms=duration_ms
    )
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def calls_purge(*, now) -> int:
    """Delete the calls older than ``CALLS_KEPT`` and the idempotency answers past their
    day; returns how many calls went."""
    IdempotentRequest.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    deleted, _counts = ApiCall.objects.filter(at__lt=now - CALLS_KEPT).delete()
    return deleted
