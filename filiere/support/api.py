"""The support needs through the API, for partners' CRMs: record a need (routed by the rules as
from the form), list the needs of the key's office and update them (take, close, hand back,
add a note), each through ``support.services`` so that history and rules hold."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, StrictBool

from filiere.common.api import REFUSALS, Paging
from filiere.common.refusals import Refused
from filiere.directory.models import LegalUnit
from filiere.partners.auth import key_auth
from filiere.partners.enums import Scope
from filiere.partners.idempotency import OPENAPI as IDEMPOTENT
from filiere.partners.idempotency import idempotent
from filiere.partners.schemas import KEY_ERRORS
from filiere.support import services
from filiere.support.enums import Subject, SupportStatus, TradeRegister
from filiere.support.models import SupportNeed

router = Router()


class SupportNeedIn(Schema):
    siren: str = Field(pattern=r"^\d{9}$", description="SIREN de l'entreprise (annuaire)")
    subject: Subject
    description: str = Field(min_length=3, max_length=5000)
    trade_register: TradeRegister | None = Field(
        default=None, description="Registre de l'entreprise : commerce (CCI) ou métiers (CMA)"
    )
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=20)


class SupportNeedOut(Schema):
    # Read from the need (aliases) or from its JSON kept for an Idempotency-Key (names).
    model_config = ConfigDict(populate_by_name=True)

    id: int
    siren: str = Field(alias="legal_unit.siren")
    company: str = Field(alias="legal_unit.name")
    subject: Subject
    description: str
    departement_code: str
    status: SupportStatus
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    taken_office: str | None = Field(default=None, alias="taken_office.slug")


class SupportFilters(Schema):
    status: SupportStatus | None = None
    subject: Subject | None = None


class SupportNeedPatch(Schema):
    """What the office changes: take the need, close it (or hand it back: ``not_for_us``)
    with a note, or add a note to a need it holds."""

    take: StrictBool = False
    status: SupportStatus | None = None
    note: str = Field(default="", max_length=5000)


def _office_needs(request):
    office = request.api_key.organisation
    return (
        SupportNeed.objects.filter(offices=office)
        .select_related("legal_unit", "taken_office")
        .order_by("-created_at", "-id")
        .distinct()
    )


def _out(need: SupportNeed) -> dict:
    return SupportNeedOut.from_orm(need).model_dump(mode="json")


@router.post(
    "/needs",
    response={201: SupportNeedOut, **REFUSALS, **KEY_ERRORS},
    auth=key_auth(Scope.SUPPORT_WRITE),
    url_name="support_need_post",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def post_support_need(request, need: SupportNeedIn):
    """Record a firm's support need (droit ``support:write``), routed to the offices whose
    rules take it, as from the form; recorded as by the key's creator. ``Idempotency-Key``
    honoured."""
    unit = LegalUnit.objects.filter(siren=need.siren).first()
    if unit is None:
        raise Refused("support.unknown_firm", "SIREN absent de l'annuaire.", field="siren")
    data = need.dict(exclude={"siren", "trade_register"})
    data["register"] = need.trade_register or ""
    recorded = services.support_need_record(unit=unit, user=request.user, **data)
    recorded = SupportNeed.objects.select_related("legal_unit", "taken_office").get(pk=recorded.pk)
    return Status(201, _out(recorded))


@router.get(
    "/needs",
    response={200: list[SupportNeedOut], **KEY_ERRORS},
    auth=key_auth(Scope.SUPPORT_READ),
)
@paginate(Paging)
def list_support_needs(request, filters: Query[SupportFilters]):
    """The needs routed to the key's office (droit ``support:read``), latest first."""
    needs = _office_needs(request)
    if filters.status:
        needs = needs.filter(status=filters.status)
    if filters.subject:
        needs = needs.filter(subject=filters.subject)
    return needs


@router.patch(
    "/needs/{need_id}",
    response={200: SupportNeedOut, 404: KEY_ERRORS[401], **REFUSALS, **KEY_ERRORS},
    auth=key_auth(Scope.SUPPORT_WRITE),
)
def update_support_need(request, need_id: int, change: SupportNeedPatch):
    """Take, close, hand back or annotate a need of the key's office (droit
    ``support:write``), as the key's creator, who must be an adviser of the office."""
    need = get_object_or_404(_office_needs(request), pk=need_id)
    user = request.user
    if change.take:
        need = services.support_need_take(need=need, user=user)
    if change.status:
        need = services.support_need_move_on(
            need=need, user=user, status=change.status, note=change.note
        )
    elif change.note:
        services.support_note_add(need=need, user=user, text=change.note)
    return Status(200, _out(_office_needs(request).get(pk=need.pk)))
