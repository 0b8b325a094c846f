"""The JSON API (OpenAPI at /api/docs): one router per app, mounted here."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from filiere.common.refusals import Refused
from filiere.needs.api import router as needs_router
from filiere.observatory.api import router as observatory_router
from filiere.programme.api import router as programme_router
from filiere.projects.api import router as projects_router
from filiere.registers.api import router as registers_router

api = NinjaAPI(
    title="Filière API",
    version="1",
    description=(
        "API de la plateforme Filière : contrats de filière, indicateurs, budget, "
        "observatoire, mises en relation, catalogue des aides, tiers-lieux."
    ),
    urls_namespace="api",
)
api.add_router("/contracts", programme_router, tags=["programme"])
api.add_router("/observatory", observatory_router, tags=["observatory"])
api.add_router("/needs", needs_router, tags=["needs"])
api.add_router("/projects", projects_router, tags=["projects"])
api.add_router("/registers", registers_router, tags=["registers"])


@api.exception_handler(Refused)
def refused(request, refusal: Refused):
    return api.create_response(request, refusal.as_dict(), status=refusal.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": "Votre compte ne permet pas cette action."}, status=403
    )
