"""Aides-territoires' API as the aid import reads it: sign in, page through ``/api/aids/``,
check every answer against the aid's documented shape, and map an aid to a scheme's fields.

The shape is the one of Aides-territoires' API (MTES-MCT/aides-territoires-symfony,
``src/Controller/Api/Aid/AidController.php``; MTES-MCT/aides-territoires,
``src/aids/api/serializers.py`` for the older fields): ``POST /api/connexion/`` with the
account's API token in ``X-AUTH-TOKEN`` answers ``{"token": …}``, sent as a bearer token;
``GET /api/aids/`` answers ``{"count", "previous", "next", "results"}``, ``next`` being the
address of the following page (or null).
"""

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils.html import strip_tags
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, ValidationError

from filiere.common.command import InputErrors, LocatedError
from filiere.projects.enums import AidForm, AidLevel, Market

SOURCE = "Aides-territoires"
TIMEOUT_SECONDS = 30


class Aid(BaseModel):
    """One aid of ``/api/aids/``: the fields the import reads (the others are ignored).
    Strict: a field of the wrong type is an error, not a guess."""

    model_config = ConfigDict(strict=True, extra="ignore")

    id: StrictInt
    slug: StrictStr
    url: StrictStr
    name: StrictStr
    short_title: StrictStr | None = None
    financers: list[StrictStr]
    instructors: list[StrictStr] = []
    description: StrictStr | None = None
    eligibility: StrictStr | None = None
    perimeter: StrictStr | None = None
    perimeter_scale: StrictStr | None = None
    origin_url: StrictStr | None = None
    application_url: StrictStr | None = None
    categories: list[StrictStr] = []
    is_call_for_project: StrictBool | None = None
    targeted_audiences: list[StrictStr] = []
    aid_types: list[StrictStr] = []
    start_date: date | None = None
    submission_deadline: date | None = None
    subvention_rate_lower_bound: StrictInt | None = None
    subvention_rate_upper_bound: StrictInt | None = None
    loan_amount: StrictInt | None = None
    date_updated: datetime | None = None


class Page(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    count: StrictInt
    next: StrictStr | None
    results: list[Aid]


@dataclass(frozen=True)
class Config:
    """Where and how to read: the API's address, the account's token, the filters (the
    contract's région as Aides-territoires names its perimeter, the audiences…)."""

    base_url: str
    token: str
    perimeter: str
    filters: str

    @property
    def first_page(self) -> str:
        params = [("perimeter", self.perimeter), *parse_qsl(self.filters)]
        return f"{self.base_url}/api/aids/?{urlencode(params)}"


def configured() -> Config | None:
    """The settings' configuration, or None when the token or the perimeter is missing."""
    if not (settings.AIDES_TERRITOIRES_TOKEN and settings.AIDES_TERRITOIRES_PERIMETER):
        return None
    return Config(
        base_url=settings.AIDES_TERRITOIRES_URL.rstrip("/"),
        token=settings.AIDES_TERRITOIRES_TOKEN,
        perimeter=settings.AIDES_TERRITOIRES_PERIMETER,
        filters=settings.AIDES_TERRITOIRES_FILTERS,
    )


def _answer(request: Request) -> bytes:
    """The body of a 200 answer; anything else is an error located at the address."""
    where = request.full_url
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
            return response.read()
    except HTTPError as exc:
        raise InputErrors([LocatedError(where, f"le serveur a répondu {exc.code}")]) from exc
    except (URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputErrors([LocatedError(where, f"serveur injoignable ({reason})")]) from exc


def sign_in(config: Config) -> str:
    """The bearer token ``/api/connexion/`` gives for the account's API token."""
    url = f"{config.base_url}/api/connexion/"
    body = _answer(Request(url, method="POST", headers={"X-AUTH-TOKEN": config.token}))
    try:
        token = json.loads(body)["token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputErrors([LocatedError(url, "réponse sans jeton « token »")]) from exc
    if not isinstance(token, str) or not token:
        raise InputErrors([LocatedError(url, "réponse sans jeton « token »")])
    return token


def read_page(url: str, bearer: str) -> Page:
    """One page of aids, checked: every problem is located (``results[3].name``)."""
    body = _answer(Request(url, headers={"Authorization": f"Bearer {bearer}"}))
    try:
        return Page.model_validate_json(body)
    except ValidationError as exc:
        raise InputErrors([_located(url, error) for error in exc.errors()]) from exc


def _located(url: str, error) -> LocatedError:
    if error["type"] == "json_invalid":
        return LocatedError(url, f"JSON invalide ({error['ctx'].get('error', '')})")
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
    value = error.get("input")
    return LocatedError(
        url,
        error["msg"],
        field=where.lstrip("."),
        value=None if isinstance(value, dict | list) else str(value),
    )


def read_aids(config: Config, *, on_page=None) -> list[Aid]:
    """Every aid the filters select, page after page through ``next`` (which must stay on
    the configured server: the bearer token goes nowhere else). ``on_page(number, count)``
    follows the progress."""
    bearer = sign_in(config)
    origin = urlsplit(config.base_url)[:2]
    aids: list[Aid] = []
    url, read = config.first_page, set()
    while url:
        if urlsplit(url)[:2] != origin or url in read:
            raise InputErrors([LocatedError(url, "page suivante hors du serveur ou déjà lue")])
        read.add(url)
        page = read_page(url, bearer)
        aids.extend(page.results)
        if on_page:
            on_page(len(read), page.count)
        url = page.next
    return aids


# Mapping an aid to the catalogue's terms.

FORMS = {
    "Subvention": AidForm.GRANT,
    "Prêt": AidForm.LOAN,
    "Avance récupérable": AidForm.ADVANCE,
    "Ingénierie technique": AidForm.SUPPORT,
    "Ingénierie financière": AidForm.SUPPORT,
    "Ingénierie Juridique / administrative": AidForm.SUPPORT,
}
# Aides-territoires' perimeter scales (Perimeter::SCALES_FOR_SEARCH) and the level of a
# scheme covering one.
LEVELS = {
    "Commune": AidLevel.REGIONAL,
    "EPCI": AidLevel.REGIONAL,
    "Bassin hydrographique": AidLevel.REGIONAL,
    "Département": AidLevel.REGIONAL,
    "Région": AidLevel.REGIONAL,
    "Ad-hoc": AidLevel.REGIONAL,
    "Outre-mer": AidLevel.NATIONAL,
    "Métropole": AidLevel.NATIONAL,
    "Pays": AidLevel.NATIONAL,
    "Continent": AidLevel.EUROPEAN,
}
# The older API names the perimeter « Calvados (Département) » and gives no scale.
NAMED_SCALES = {"france": "Pays", "europe": "Continent"}
# Words of a theme or category (« Économie / Tourisme ») that name one of our markets.
MARKET_WORDS = {
    "sante": Market.HEALTH,
    "tourisme": Market.TOURISM,
    "agricult": Market.AGRICULTURE,
    "alimentation": Market.AGRICULTURE,
    "logistique": Market.PORT_LOGISTICS,
    "portuaire": Market.PORT_LOGISTICS,
    "industri": Market.INDUSTRY,
    "energ": Market.ENERGY,
    "environnement": Market.ENERGY,
    "climat": Market.ENERGY,
}


def normalised(text: str) -> str:
    """Lower case, no accents, words only: how two titles or funders are compared."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True)
class Territory:
    """The départements by normalised name, and the régions' départements, to read a
    perimeter; ``home`` is the imported région's départements."""

    departements: dict[str, str]
    regions: dict[str, list[str]]
    home: list[str]


@dataclass
class Mapped:
    fields: dict | None  # None: the aid has no form of ours, it is not imported
    unknown: list[str] = field(default_factory=list)


def _text(value: str | None) -> str:
    """Aides-territoires' HTML as plain text."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", lambda m: m.group() + "\n", value or "")
    text = html.unescape(strip_tags(text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def _scale(aid: Aid) -> tuple[str, str]:
    name = aid.perimeter or ""
    if aid.perimeter_scale:
        return name, aid.perimeter_scale
    if found := re.fullmatch(r"(.*) \(([^()–]+?)(?: – .*)?\)", name):
        return found.group(1), found.group(2)
    return name, NAMED_SCALES.get(normalised(name), "")


def _departements(name: str, scale: str, territory: Territory, unknown: list[str]) -> list[str]:
    if scale in ("Pays", "Métropole", "Outre-mer", "Continent"):
        return []
    if scale == "Région" and normalised(name) in territory.regions:
        return territory.regions[normalised(name)]
    if scale == "Département" and normalised(name) in territory.departements:
        return [territory.departements[normalised(name)]]
    # A commune, an EPCI, a basin…: somewhere in the région the import asked for.
    unknown.append(f"périmètre : {name} ({scale or '?'})")
    return territory.home


def _form(aid: Aid, unknown: list[str]) -> str | None:
    if aid.is_call_for_project:
        return AidForm.CALL
    forms = []
    for aid_type in aid.aid_types:
        if aid_type in FORMS:
            forms.append(FORMS[aid_type])
        else:
            unknown.append(f"type d'aide : {aid_type}")
    return forms[0] if forms else None


def _themes(aid: Aid, unknown: list[str]) -> list[str]:
    themes = []
    for category in aid.categories:
        words = normalised(category)
        found = [m for word, m in MARKET_WORDS.items() if word in words]
        if not found:
            unknown.append(f"thématique : {category}")
        themes += [m for m in found if m not in themes]
    return [str(m) for m in themes]


def _rate(aid: Aid) -> str:
    low, high = aid.subvention_rate_lower_bound, aid.subvention_rate_upper_bound
    if low is not None and high is not None:
        return f"{low} % à {high} %"
    if high is not None:
        return f"jusqu'à {high} %"
    return f"au moins {low} %" if low is not None else ""


def _link(value: str | None, what: str, unknown: list[str]) -> str:
    """A link kept if it fits the catalogue's field (200 characters)."""
    if value and len(value) > 200:
        unknown.append(f"{what} trop long : {value[:60]}…")
        return ""
    return value or ""


def source_url(aid: Aid, site: str) -> str:
    """The aid's page on Aides-territoires (the API gives its path, or older, its address)."""
    return urljoin(f"{site}/", aid.url)


def map_aid(aid: Aid, *, territory: Territory, site: str) -> Mapped:
    """The scheme's fields for the aid, and the values of the source with no equivalent."""
    unknown: list[str] = []
    form = _form(aid, unknown)
    perimeter, scale = _scale(aid)
    level = LEVELS.get(scale)
    if level is None:
        unknown.append(f"échelle de périmètre : {scale or '?'}")
        level = AidLevel.REGIONAL
    departements = _departements(perimeter, scale, territory, unknown)
    themes = _themes(aid, unknown)
    if form is None:
        unknown.append(f"aide non importée, sans forme connue : {aid.name}")
        return Mapped(None, unknown)
    funders = aid.financers or aid.instructors
    return Mapped(
        {
            "title": aid.name[:200],
            "promise": (aid.short_title or "")[:180],
            "description": _text(aid.description)[:5000],
            "eligibility": _text(aid.eligibility),
            "form": str(form),
            "level": str(level),
            "funder": (funders[0] if funders else SOURCE)[:200],
            "rate": _rate(aid),
            "ceiling": Decimal(aid.loan_amount)
            if form == AidForm.LOAN and aid.loan_amount
            else None,
            "departements": departements,
            "themes": themes,
            "opens_on": aid.start_date,
            "closes_on": aid.submission_deadline,
            "url": _link(aid.origin_url or aid.application_url, "lien", unknown),
            "source_url": _link(source_url(aid, site), "page à la source", unknown),
            "source_updated_at": aid.date_updated,
        },
        unknown,
    )
