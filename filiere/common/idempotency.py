"""Forms that create are taken once: a double click, a second tab or a retried request that
sends the same form again records nothing more and says so.

A create form carries a one-time token (``{% form_token %}``). The middleware claims it in
the transaction of the request that sent it: the same token sent again, even at the same
moment, finds it taken and is refused (``Refused``), with nothing written. A request answered
with an error (a form sent back with its errors) writes nothing, so that its token is free
for the corrected form.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.common.models import FormSubmission
from filiere.common.refusals import Refused, refusal_response

FIELD = "form_token"
# How long a token is kept: a form sent again after a day is a new one.
KEPT = timedelta(days=1)


def new_token() -> str:
    return uuid.uuid4().hex


def posted_token(request) -> uuid.UUID | None:
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def claim(token: uuid.UUID) -> None:
    """Take the token for the current transaction; refused when another request has it."""
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        raise Refused(
            "form.already_sent",
            _("Ce formulaire a déjà été envoyé : il n'est enregistré qu'une fois."),
        ) from None


class OncePerFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = posted_token(request)
        if token is None:
            return self.get_response(request)
        with transaction.atomic():
            try:
                claim(token)
            except Refused as refusal:
                return refusal_response(request, refusal)
            response = self.get_response(request)
            # Nothing was taken (the form came back with its errors, a rule refused it):
            # the token stays free for the form sent again.
            if response.status_code >= 400 or getattr(request, "refused", None):
                transaction.set_rollback(True)
        return response
