"""The JSON API (OpenAPI at /api/docs): one router per app, mounted here."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.parser import Parser

from filiere.api.openapi import complete
from filiere.common.refusals import Refused
from filiere.events.api import router as events_router
from filiere.needs.api import router as needs_router
from filiere.observatory.api import router as observatory_router
from filiere.partners.auth import KeyRefused, key_refused_response, read_auth
from filiere.programme.api import router as programme_router
from filiere.projects.api import router as projects_router
from filiere.registers.api import router as registers_router
from filiere.support.api import router as support_router


class ObjectBodies(Parser):
    """Every operation's body is a JSON object: another value (a list, a number) is a body
    the API cannot read (400), never taken for an empty object."""

    def parse_body(self, request):
        body = super().parse_body(request)
        if not isinstance(body, dict):
            raise ValueError("le corps doit être un objet JSON")
        return body


class FiliereAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return complete(super().get_openapi_schema(**kwargs))


api = FiliereAPI(
    title="Filière API",
    version="1",
    description=(
        "API de la plateforme Filière : contrats de filière, indicateurs, budget, "
        "observatoire, mises en relation, catalogue des aides, tiers-lieux. "
        "Les partenaires appellent l'API avec une clé de leur organisation "
        "(Authorization: Bearer …) ; chaque opération dit le droit qu'elle demande."
    ),
    urls_namespace="api",
    parser=ObjectBodies(),
    # A key with the « read » scope, or the session as before (each operation that needs
    # another scope or a session says so).
    auth=read_auth(),
)
api.add_router("/contracts", programme_router, tags=["programme"])
api.add_router("/observatory", observatory_router, tags=["observatory"])
api.add_router("/needs", needs_router, tags=["needs"])
api.add_router("/projects", projects_router, tags=["projects"])
api.add_router("/registers", registers_router, tags=["registers"])
api.add_router("/support", support_router, tags=["support"])
api.add_router("/events", events_router, tags=["events"])


@api.exception_handler(KeyRefused)
def key_refused(request, refused: KeyRefused):
    return key_refused_response(api, request, refused)


@api.exception_handler(Refused)
def refused(request, refusal: Refused):
    return api.create_response(request, refusal.as_dict(), status=refusal.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": "Votre compte ne permet pas cette action."}, status=403
    )
