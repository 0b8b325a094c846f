"""How API calls are authenticated: ``Authorization: Bearer <key>``, checked for its scope
and its rate. Every app's router asks for the scope its operations need
(``auth=key_auth(Scope.NEEDS_WRITE)``); the read endpoints keep the session (or no sign-in
for what is public) and also take a key with the ``read`` scope (``read_auth``).

The key found is put on the request (``request.api_key``) for the call log
(``middleware.ApiCallLogMiddleware``); the call then runs with the rights of the person who
created the key (``request.user``).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from ninja.security import HttpBearer
from ninja.security.base import AuthBase

from filiere.partners import services
from filiere.partners.enums import Scope

RATE_GROUP = "partners.api_key"


class KeyRefused(Exception):
    """The call cannot go on with this key: ``status`` and what to tell the client."""

    def __init__(self, status: int, detail: str, *, scope: str | None = None, retry_after=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scope = scope
        self.retry_after = retry_after

    def as_dict(self) -> dict:
        body = {"detail": self.detail}
        if self.scope:
            body["scope"] = self.scope
        return body


def _rate_key(group, request) -> str:
    return request.api_key.prefix


class KeyAuth(HttpBearer):
    """An organisation's API key with ``scope`` (OpenAPI: the bearer scheme ``KeyAuth``)."""

    openapi_description = (
        "Clé d'API d'une organisation, créée par son administrateur·rice "
        "(Authorization: Bearer flr_…). Chaque opération demande un droit (scope)."
    )

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        try:
            key = services.key_for_token(token)
        except services.InvalidKey as invalid:
            raise KeyRefused(401, invalid.reason) from None
        request.api_key = key
        refusal = services.key_refusal(key)
        if refusal:
            raise KeyRefused(401, refusal)
        usage = get_usage(
            request,
            group=RATE_GROUP,
            key=_rate_key,
            rate=settings.FILIERE_LIMIT_API_KEY,
            method=ALL,
            increment=True,
        )
        if usage and usage["should_limit"]:
            raise KeyRefused(
                429,
                _("Trop d'appels avec cette clé : réessayez dans %(seconds)s s.")
                % {"seconds": usage["time_left"]},
                retry_after=usage["time_left"],
            )
        if self.scope not in key.scopes:
            raise KeyRefused(
                403,
                _("Cette clé n'a pas le droit « %(scope)s » que demande cette opération.")
                % {"scope": self.scope},
                scope=self.scope,
            )
        request.user = key.created_by
        return key


def key_auth(scope: str) -> list:
    """A key with ``scope``, and nothing else (the write endpoints and the partners' reads)."""
    return [KeyAuth(scope)]


class SessionOrPublic(AuthBase):
    """No key sent: the call goes on as before keys, signed in by the session or not at all
    (each operation shows what its access rules let the person see). In the OpenAPI, the
    empty requirement ``{}``: no credential is needed (``filiere.api.api``)."""

    openapi_type = "http"
    openapi_scheme = "none"

    def __call__(self, request):
        return True


def read_auth() -> list:
    """The read endpoints: a key with ``read``, or the session as before."""
    return [KeyAuth(Scope.READ), SessionOrPublic()]


def key_refused_response(api, request, refused: KeyRefused):
    response = api.create_response(request, refused.as_dict(), status=refused.status)
    if refused.retry_after is not None:
        response["Retry-After"] = str(refused.retry_after)
    if refused.status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response
