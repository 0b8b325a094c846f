"""JSON endpoints of the needs: the providers the platform suggests for a described need, and
the needs partners post from their sites with an API key (``needs:write``)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StrictBool, field_validator

from filiere.common.api import REFUSALS
from filiere.common.refusals import Refused
from filiere.common.validators import validate_siret
from filiere.directory.adapters import explanation_dict
from filiere.directory.models import LegalUnit
from filiere.needs import services
from filiere.needs.adapters import rank_for_text
from filiere.needs.enums import BudgetBand, Domain, NeedStatus
from filiere.needs.models import CAMPAIGN_MAX_LENGTH, Need, validate_campaign
from filiere.partners.auth import key_auth
from filiere.partners.enums import Scope
from filiere.partners.idempotency import OPENAPI as IDEMPOTENT
from filiere.partners.idempotency import idempotent
from filiere.partners.schemas import KEY_ERRORS
from filiere.territory.models import Commune

router = Router()


class NeedIn(Schema):
    text: str = Field(min_length=3, max_length=5000)
    domain: Domain | None = None
    commune: str | None = Field(default=None, description="Code INSEE de la commune")
    top: int = Field(default=10, ge=1, le=50)


class SuggestionOut(Schema):
    siren: str
    name: str
    score: float
    explanation: dict


@router.post("/suggestions", response=list[SuggestionOut])
def suggestions(request, need: NeedIn):
    """Providers ranked for a need, each with why (words, domains, place, reference)."""
    place = None
    if need.commune:
        place = (
            Commune.objects.current()
            .select_related("departement")
            .filter(code=need.commune)
            .first()
        )
        if place is None:
            raise HttpError(422, f"commune : code inconnu {need.commune!r}")
    ranked = rank_for_text(need.text, domain=need.domain, commune=place, top=need.top)
    units = LegalUnit.objects.in_bulk([int(s.provider_id) for s in ranked])
    return [
        {
            "siren": units[int(s.provider_id)].siren,
            "name": units[int(s.provider_id)].name,
            "score": round(s.score, 4),
            "explanation": explanation_dict(s.explanation),
        }
        for s in ranked
        if int(s.provider_id) in units
    ]


def _checked(validator, value: str) -> str:
    """A Django validator's refusal as pydantic's, so that the 422 names the field."""
    if value:
        try:
            validator(value)
        except ValidationError as error:
            raise ValueError(" ".join(str(m) for m in error.messages)) from None
    return value


class NeedPostIn(Schema):
    """A business's need, as a partner's site collected it (the public form's fields)."""

    text: str = Field(min_length=3, max_length=5000, description="Le besoin, en clair")
    domain: Domain
    budget: BudgetBand = BudgetBand.UNKNOWN
    deadline: date | None = None
    commune: str = Field(
        min_length=5, max_length=5, description="Code INSEE de la commune de l'entreprise"
    )
    company_name: str = Field(min_length=1, max_length=200)
    is_creator: StrictBool = Field(default=False, description="Entreprise en création (sans SIRET)")
    siret: str = Field(default="", max_length=14)
    contact_name: str = Field(min_length=1, max_length=120)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field(default="", max_length=20)
    campaign: str = Field(
        default="",
        max_length=CAMPAIGN_MAX_LENGTH,
        description="Campagne du partenaire (minuscules, chiffres, tirets), ex. salon-2018",
    )

    @field_validator("text", "company_name", "contact_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Ce champ ne peut pas être vide.")
        return value.strip()

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str) -> str:
        return _checked(validate_siret, value)

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not value:
            raise ValueError("Indiquez l'adresse e-mail du contact.")
        return _checked(validate_email, value)

    @field_validator("campaign")
    @classmethod
    def _campaign(cls, value: str) -> str:
        return _checked(validate_campaign, value)


class NeedPostedOut(Schema):
    id: int
    status: NeedStatus
    domain: Domain
    departement_code: str
    campaign: str
    created_at: datetime


@router.post(
    "/",
    response={201: NeedPostedOut, **REFUSALS, **KEY_ERRORS},
    auth=key_auth(Scope.NEEDS_WRITE),
    url_name="need_post",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def post_need(request, need: NeedPostIn):
    """Post a business's need (droit ``needs:write``). It is routed and matched as one from
    the public form, without the e-mail confirmation: the partner answers for it, and the
    business receives the link to its page. ``Idempotency-Key`` honoured."""
    if not need.is_creator and not need.siret:
        raise Refused(
            "need.siret_required",
            "Indiquez le SIRET de l'entreprise, ou is_creator pour une entreprise en création.",
            field="siret",
        )
    data = need.dict()
    commune = (
        Commune.objects.current()
        .select_related("departement")
        .filter(code=data.pop("commune"))
        .first()
    )
    if commune is None:
        raise Refused(
            "need.unknown_commune", f"Code INSEE inconnu : {need.commune!r}.", field="commune"
        )
    posted: Need = services.need_post(commune=commune, trusted=True, **data)
    return Status(201, NeedPostedOut.from_orm(posted).model_dump(mode="json"))
