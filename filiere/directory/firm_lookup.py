"""Firms suggested while one types a name, a SIREN or a SIRET in a form: from the public API
Recherche d'entreprises (no key; answers cached), else from the imported register, which also
answers when the API is switched off, unreachable, slow, refusing or answering nonsense."""

import hashlib
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from http.client import HTTPException

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filiere.directory.enums import FirmSource, LegalUnitStatus
from filiere.directory.models import Establishment, LegalUnit
from filiere.directory.selectors import main_establishment, main_establishments_prefetch
from filiere.territory.models import Commune

logger = logging.getLogger(__name__)

SUGGESTION_LIMIT = 8
# A firm's name, size and activity change seldom; an identifier's answer changes even less.
NAME_CACHE_SECONDS = 6 * 3600
NUMBER_CACHE_SECONDS = 24 * 3600
# After a failure the API is left alone for this long (or its Retry-After, up to the cap):
# every keystroke would otherwise wait for it again.
PAUSE_SECONDS = 30
PAUSE_CAP_SECONDS = 300
PAUSE_KEY = "firm_lookup:api_paused"
# A search answer of per_page results weighs a few tens of kB; more is not an answer.
MAX_ANSWER_BYTES = 2_000_000
USER_AGENT = "Filiere (contrat de filiere; firm suggestions in forms)"


class LookupUnavailable(Exception):
    """The API gave no usable answer; the message says why, for the log."""

    def __init__(self, reason: str, *, pause: int = PAUSE_SECONDS):
        super().__init__(reason)
        self.pause = pause


@dataclass(frozen=True)
class FirmSuggestion:
    name: str
    siren: str
    siret: str = ""
    address: str = ""  # the street part, without the postcode and the commune
    postcode: str = ""
    commune: str = ""  # INSEE code
    city: str = ""
    place: str = ""  # the commune as the forms name it, « Caen (14118) », when known here
    naf: str = ""
    headcount_band: str = ""
    source: str = FirmSource.REGISTER

    def as_json(self) -> dict:
        return {**asdict(self), "source_label": str(FirmSource(self.source).label)}


def normalise(text: str) -> str:
    """The query as searched: a SIREN or SIRET without its spaces or dots, else the words."""
    words = " ".join(text.split())
    digits = re.sub(r"[\s.]", "", words)
    if digits.isdigit() and len(digits) in (9, 14):
        return digits
    return words


def _is_number(query: str) -> bool:
    return query.isdigit() and len(query) in (9, 14)


# The answer of GET /search, as the API's OpenAPI documents it (the fields read here; the
# others are ignored).
class _Establishment(BaseModel):
    model_config = ConfigDict(extra="ignore")

    siret: str = Field(pattern=r"^\d{14}$")
    adresse: str | None = None
    code_postal: str | None = None
    commune: str | None = None
    libelle_commune: str | None = None
    activite_principale: str | None = Field(default=None, max_length=6)
    tranche_effectif_salarie: str | None = Field(default=None, max_length=2)


class _Firm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    siren: str = Field(pattern=r"^\d{9}$")
    nom_complet: str | None = None
    nom_raison_sociale: str | None = None
    activite_principale: str | None = Field(default=None, max_length=6)
    tranche_effectif_salarie: str | None = Field(default=None, max_length=2)
    siege: _Establishment | None = None
    matching_etablissements: list[_Establishment] = []


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    results: list[_Firm]
    total_results: int


def _street(address: str, postcode: str) -> str:
    """The API's ``adresse`` ends with the postcode and the commune: keep what comes before."""
    if postcode and postcode in address:
        return address.split(postcode, 1)[0].strip()
    return address.strip()


def _from_api(firm: _Firm, query: str) -> FirmSuggestion:
    name = firm.nom_raison_sociale or firm.nom_complet or firm.siren
    band = firm.tranche_effectif_salarie or ""
    # A SIRET names one establishment (the API returns it alone among the matching ones);
    # otherwise the firm is where its head office is.
    establishment = next((e for e in firm.matching_etablissements if e.siret == query), firm.siege)
    if establishment is None:
        return FirmSuggestion(
            name=name,
            siren=firm.siren,
            naf=firm.activite_principale or "",
            headcount_band=band,
            source=FirmSource.API,
        )
    postcode = establishment.code_postal or ""
    return FirmSuggestion(
        name=name,
        siren=firm.siren,
        siret=establishment.siret,
        address=_street(establishment.adresse or "", postcode),
        postcode=postcode,
        commune=establishment.commune or "",
        city=establishment.libelle_commune or "",
        naf=establishment.activite_principale or firm.activite_principale or "",
        headcount_band=band or establishment.tranche_effectif_salarie or "",
        source=FirmSource.API,
    )


def _fetch(query: str, limit: int) -> bytes:
    params = {"q": query, "page": 1, "per_page": limit}
    if not _is_number(query):  # a SIREN or SIRET search ignores the filters anyway
        params["etat_administratif"] = "A"
    request = urllib.request.Request(
        f"{settings.SIRENE_API_URL}/search?{urllib.parse.urlencode(params)}",
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SIRENE_API_TIMEOUT) as response:
            return response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        pause = PAUSE_SECONDS
        if error.code == 429:
            retry_after = (error.headers.get("Retry-After") or "").strip()
            if retry_after.isdigit():
                pause = min(max(int(retry_after), 1), PAUSE_CAP_SECONDS)
        raise LookupUnavailable(f"HTTP {error.code}", pause=pause) from error
    except (OSError, HTTPException) as error:  # refused, unreachable, timed out, cut short
        raise LookupUnavailable(f"{type(error).__name__}: {error}") from error


def _with_places(suggestions: list[FirmSuggestion]) -> list[FirmSuggestion]:
    """Name each suggestion's commune as the forms do, from the territory (one query)."""
    codes = {s.commune for s in suggestions if s.commune}
    places = {c.code: str(c) for c in Commune.objects.current().filter(code__in=codes)}
    return [
        FirmSuggestion(**{**asdict(s), "place": places.get(s.commune, "")}) for s in suggestions
    ]


def api_suggestions(query: str, *, limit: int = SUGGESTION_LIMIT) -> list[FirmSuggestion]:
    """The API's firms for ``query`` (normalised), cached; raises :class:`LookupUnavailable`."""
    key = "firm_lookup:api:" + hashlib.sha256(f"{limit}|{query.casefold()}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [FirmSuggestion(**fields) for fields in cached]
    body = _fetch(query, limit)
    try:
        answer = _Answer.model_validate_json(body)
    except ValidationError as error:
        raise LookupUnavailable(f"malformed answer ({error.errors()[0]['type']})") from error
    suggestions = _with_places([_from_api(firm, query) for firm in answer.results[:limit]])
    seconds = NUMBER_CACHE_SECONDS if _is_number(query) else NAME_CACHE_SECONDS
    cache.set(key, [asdict(s) for s in suggestions], seconds)
    return suggestions


def _from_register(unit: LegalUnit, establishment: Establishment | None) -> FirmSuggestion:
    if establishment is None:
        return FirmSuggestion(
            name=unit.name, siren=unit.siren, naf=unit.naf, headcount_band=unit.headcount_band
        )
    return FirmSuggestion(
        name=unit.name,
        siren=unit.siren,
        siret=establishment.siret,
        address=establishment.street,
        postcode=establishment.postcode,
        commune=establishment.commune_code,
        city=establishment.city,
        naf=establishment.naf or unit.naf,
        headcount_band=unit.headcount_band,
    )


def register_suggestions(query: str, *, limit: int = SUGGESTION_LIMIT) -> list[FirmSuggestion]:
    """The imported register's firms for ``query`` (normalised): by SIRET, by SIREN, else by
    the start of a word of their name, or their acronym; one establishment each."""
    if query.isdigit() and len(query) == 14:
        found = Establishment.objects.select_related("legal_unit").filter(
            siret=query, legal_unit__isnull=False
        )
        return _with_places([_from_register(e.legal_unit, e) for e in found[:limit]])
    units = LegalUnit.objects.prefetch_related(main_establishments_prefetch())
    if query.isdigit() and len(query) == 9:
        units = units.filter(siren=query)
    else:
        units = units.filter(
            Q(name__istartswith=query)
            | Q(name__icontains=f" {query}")
            | Q(acronym__istartswith=query),
            status=LegalUnitStatus.ACTIVE,
        ).order_by("name", "siren")
    return _with_places([_from_register(unit, main_establishment(unit)) for unit in units[:limit]])


def suggest_firms(
    text: str, *, register_only: bool = False, limit: int = SUGGESTION_LIMIT
) -> list[FirmSuggestion]:
    """The firms a form's field suggests for ``text``: the API's when it is on and answers
    some, else the register's (also for a form that stores a firm of the register only)."""
    query = normalise(text)
    if not register_only and settings.SIRENE_API_URL and not cache.get(PAUSE_KEY):
        try:
            suggestions = api_suggestions(query, limit=limit)
        except LookupUnavailable as error:
            logger.warning("Firm suggestions: the API failed (%s), the register answers", error)
            cache.set(PAUSE_KEY, True, error.pause)
        else:
            if suggestions:
                return suggestions
    return register_suggestions(query, limit=limit)
