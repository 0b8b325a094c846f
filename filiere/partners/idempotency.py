"""The ``Idempotency-Key`` of the API's POSTs: the same key sent again with the same body gets
the first answer again and creates nothing; with another body, a 422 that says so.

The answers are kept per API key for a day, as the forms' tokens are
(``common.idempotency``). The key is claimed in the transaction of the request that sends it
first: a second request with the same key while the first runs is answered 409, and a first
request that failed frees it.
"""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from filiere.common.idempotency import KEPT
from filiere.common.refusals import Refused
from filiere.partners.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_LENGTH = 200
# What the OpenAPI says of an operation decorated with ``idempotent`` (its ``openapi_extra``).
OPENAPI = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "description": (
                "Une clé par envoi : renvoyée avec le même corps dans la journée, la requête "
                "reçoit la première réponse et ne crée rien de plus."
            ),
            "schema": {"type": "string", "maxLength": MAX_LENGTH},
        }
    ]
}


def _body_hash(request) -> str:
    try:
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True)
    except ValueError:
        body = request.body.decode("utf-8", "replace")
    return hashlib.sha256(body.encode()).hexdigest()


def _earlier(key, given: str, route: str, body_hash: str):
    earlier = IdempotentRequest.objects.filter(
        key=key, idempotency_key=given, created_at__gte=timezone.now() - KEPT
    ).first()
    if earlier is None:
        return None
    if earlier.route != route or earlier.body_hash != body_hash:
        raise Refused(
            "idempotency.other_request",
            _(
                "Cette clé d'idempotence a déjà servi pour une autre requête : "
                "choisissez-en une nouvelle pour chaque nouvel envoi."
            ),
            field=HEADER,
        )
    return Status(earlier.status, earlier.response)


def idempotent(view):
    """A POST operation that honours ``Idempotency-Key``. ``view`` returns a ninja ``Status``
    with a JSON body (what is kept and answered again)."""

    @wraps(view)
    def operation(request, *args, **kwargs):
        given = request.headers.get(HEADER, "").strip()
        key = getattr(request, "api_key", None)
        if not given or key is None:
            return view(request, *args, **kwargs)
        if len(given) > MAX_LENGTH:
            raise Refused(
                "idempotency.too_long",
                _("La clé d'idempotence fait au plus %(n)d caractères.") % {"n": MAX_LENGTH},
                field=HEADER,
            )
        route = request.path
        body_hash = _body_hash(request)
        IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
        answered = _earlier(key, given, route, body_hash)
        if answered is not None:
            return answered
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claimed = IdempotentRequest.objects.create(
                        key=key, idempotency_key=given, route=route, body_hash=body_hash
                    )
            except IntegrityError:
                raise Refused(
                    "idempotency.in_progress",
                    _(
                        "Une requête avec cette clé d'idempotence est en cours : renvoyez-la "
                        "dans un instant."
                    ),
                ) from None
            answer = view(request, *args, **kwargs)
            claimed.status, claimed.response = answer.status_code, answer.value
            claimed.save(update_fields=["status", "response"])
        return answer

    return operation
