"""The registry of the public datasets the platform serves: the one source of the DCAT-AP
catalogue (``/catalogue.jsonld``) and of the open-data page that lists them for people.

Each dataset names its distributions by URL name; a contract's distributions are repeated for
each published contract. Its last change is read by ``selectors.last_changes``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.observatory.exports import BREAKDOWNS
from filiere.opendata import selectors
from filiere.opendata.exports import EXPORTS
from filiere.territory.selectors import site_region

LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_NAME = "Licence Ouverte 2.0 (Etalab)"
CSV, JSON, GEOJSON, HTML = "text/csv", "application/json", "application/geo+json", "text/html"
# The EU's file types (dct:format), by media type.
FORMATS = {CSV: "CSV", JSON: "JSON", GEOJSON: "GEOJSON", HTML: "HTML"}


@dataclass(frozen=True)
class Distribution:
    title: str
    url_name: str
    media_type: str
    # The official schema a file follows (an export of ``exports.EXPORTS``).
    schema: str = ""
    # The query string; ``{region}`` stands for the code of the région the data covers.
    query: str = ""
    kwargs: tuple[tuple[str, str], ...] = ()
    # Repeated for each published contract, with its slug.
    per_contract: bool = False

    def url(self, *, region: str, contract=None) -> str:
        kwargs = dict(self.kwargs)
        if self.per_contract:
            kwargs["slug"] = contract.slug
        query = self.query.format(region=region)
        return reverse(self.url_name, kwargs=kwargs) + (f"?{query}" if query else "")

    @property
    def is_download(self) -> bool:
        return self.media_type != HTML

    @property
    def conforms_to(self) -> str:
        return EXPORTS[self.schema].conforms_to if self.schema else ""


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    keywords: tuple[str, ...]
    # Data themes of the EU's vocabulary (ECON, EDUC, GOVE, REGI, TECH…).
    themes: tuple[str, ...]
    page: str  # the URL name of the page that shows it
    distributions: tuple[Distribution, ...]
    # The contract's period is its temporal coverage.
    of_contracts: bool = False


def _export(name: str, title: str) -> Distribution:
    return Distribution(title, "opendata:export", CSV, schema=name, kwargs=(("name", name),))


DATASETS = (
    Dataset(
        "annuaire",
        _("Annuaire des entreprises du numérique"),
        _(
            "Les entreprises et établissements du registre SIRENE de la région, avec leurs "
            "profils, compétences et labels accordés, sur une carte."
        ),
        ("entreprises", "SIRENE", "annuaire", "numérique"),
        ("ECON",),
        "directory:list",
        (
            Distribution(_("Recherche dans l'annuaire"), "directory:list", HTML),
            Distribution(_("Carte des établissements (GeoJSON)"), "directory:map", GEOJSON),
        ),
    ),
    Dataset(
        "observatoire",
        _("Observatoire de la filière"),
        _(
            "Établissements actifs, emplois salariés estimés, créations et fermetures de la "
            "filière, par code NAF, tranche d'effectif, département, EPCI et commune."
        ),
        ("observatoire", "emploi", "établissements", "statistiques"),
        ("ECON", "REGI"),
        "observatory:home",
        tuple(
            Distribution(breakdown.title, "observatory:csv", CSV, kwargs=(("kind", slug),))
            for slug, breakdown in BREAKDOWNS.items()
        )
        + (
            Distribution(
                _("Chiffres de l'observatoire (API JSON)"),
                "api:observatory_stats",
                JSON,
                query="territory={region}&sector=numerique",
            ),
        ),
    ),
    Dataset(
        "indicateurs",
        _("Indicateurs du contrat de filière"),
        _(
            "Chaque indicateur du contrat, sa valeur de référence, sa cible, son échéance et sa "
            "dernière valeur mesurée ou calculée depuis la plateforme."
        ),
        ("indicateurs", "contrat de filière", "pilotage"),
        ("GOVE", "ECON"),
        "home",
        (
            Distribution(
                _("Indicateurs (CSV)"),
                "programme:report_csv",
                CSV,
                kwargs=(("kind", "indicateurs"),),
                per_contract=True,
            ),
            Distribution(
                _("Indicateurs (API JSON)"), "api:list_indicators", JSON, per_contract=True
            ),
        ),
        of_contracts=True,
    ),
    Dataset(
        "budget",
        _("Budget du contrat de filière"),
        _("Par action, l'enveloppe allouée, les montants engagés et payés."),
        ("budget", "contrat de filière", "finances publiques"),
        ("GOVE", "ECON"),
        "home",
        (
            Distribution(
                _("Budget par action (CSV)"),
                "programme:report_csv",
                CSV,
                kwargs=(("kind", "budget"),),
                per_contract=True,
            ),
            Distribution(_("Budget (API JSON)"), "api:list_budget", JSON, per_contract=True),
        ),
        of_contracts=True,
    ),
    Dataset(
        "subventions",
        _("Subventions attribuées au titre du contrat"),
        _(
            "Les engagements de la Région envers chaque bénéficiaire et leurs versements, au "
            "format national SCDL des subventions."
        ),
        ("subventions", "SCDL", "finances publiques"),
        ("GOVE", "ECON"),
        "home",
        (_export("scdl-subventions", _("Subventions (SCDL)")),),
        of_contracts=True,
    ),
    Dataset(
        "dispositifs-aide",
        _("Dispositifs d'aide aux entreprises"),
        _(
            "Le catalogue des aides (Région, Bpifrance, appels nationaux et européens) avec "
            "leur éligibilité, au format national des dispositifs d'aide."
        ),
        ("aides", "financement", "innovation"),
        ("ECON",),
        "projects:catalogue",
        (
            _export("dispositif-aide", _("Dispositifs d'aide (schéma national)")),
            Distribution(_("Dispositifs d'aide (API JSON)"), "api:aid_schemes", JSON),
        ),
    ),
    Dataset(
        "tiers-lieux",
        _("Tiers-lieux"),
        _(
            "Les tiers-lieux numériques de la région et leur labellisation, au format national "
            "des lieux de médiation numérique."
        ),
        ("tiers-lieux", "médiation numérique", "inclusion numérique"),
        ("REGI", "TECH"),
        "registers:third_places",
        (
            _export(
                "lieux-mediation-numerique", _("Lieux de médiation numérique (schéma national)")
            ),
            Distribution(_("Tiers-lieux (CSV)"), "registers:third_places", CSV, query="format=csv"),
            Distribution(
                _("Carte des tiers-lieux (GeoJSON)"), "registers:third_places_map", GEOJSON
            ),
            Distribution(_("Tiers-lieux (API JSON)"), "api:third_places", JSON),
        ),
    ),
    Dataset(
        "parcours-formation",
        _("Parcours de formation multimodaux"),
        _("Les parcours de formation au numérique, leur organisme, modalité et durée."),
        ("formation", "compétences numériques"),
        ("EDUC",),
        "registers:training_paths",
        (
            Distribution(
                _("Parcours de formation (CSV)"),
                "registers:training_paths",
                CSV,
                query="format=csv",
            ),
        ),
    ),
    Dataset(
        "residences",
        _("Entreprises hébergées dans les résidences thématiques"),
        _("Les promotions des résidences Agri up, Tourism up et Smart port et leurs entreprises."),
        ("résidences", "incubation", "innovation"),
        ("ECON",),
        "registers:hostings",
        (
            Distribution(
                _("Entreprises hébergées (CSV)"), "registers:hostings", CSV, query="format=csv"
            ),
        ),
    ),
    Dataset(
        "datalab",
        _("Projets du datalab"),
        _(
            "Les projets collaboratifs de données et les jeux de données qu'ils utilisent ou "
            "publient."
        ),
        ("datalab", "données", "open data"),
        ("TECH",),
        "registers:datalab",
        (
            Distribution(
                _("Projets du datalab (CSV)"), "registers:datalab", CSV, query="format=csv"
            ),
        ),
    ),
    Dataset(
        "evenements",
        _("Événements de la filière"),
        _("Rencontres d'affaires, salons, missions et événements de promotion du contrat."),
        ("événements", "salons", "rendez-vous d'affaires"),
        ("ECON",),
        "events:list",
        (Distribution(_("Événements publiés"), "events:list", HTML),),
    ),
)


@dataclass(frozen=True)
class Link:
    """A distribution as served: its address (absolute once built into the catalogue)."""

    title: str
    url: str
    media_type: str
    format: str
    is_download: bool
    conforms_to: str = ""


@dataclass(frozen=True)
class Listed:
    """A dataset as the catalogue and the page show it."""

    dataset: Dataset
    page_url: str
    modified: datetime | None
    links: tuple[Link, ...]
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Catalogue:
    publisher: str
    # The région the data covers: its name and its code in the official geography (COG).
    region_name: str
    region_code: str
    datasets: tuple[Listed, ...]

    @property
    def modified(self) -> datetime | None:
        moments = [listed.modified for listed in self.datasets if listed.modified]
        return max(moments) if moments else None


def _links(
    dataset: Dataset, contracts: list, region: str, absolute: Callable[[str], str]
) -> tuple[Link, ...]:
    links = []
    for distribution in dataset.distributions:
        for contract in contracts if distribution.per_contract else [None]:
            title = distribution.title
            if contract is not None and len(contracts) > 1:
                title = f"{title} — {contract.title}"
            links.append(
                Link(
                    title=str(title),
                    url=absolute(distribution.url(region=region, contract=contract)),
                    media_type=distribution.media_type,
                    format=FORMATS[distribution.media_type],
                    is_download=distribution.is_download,
                    conforms_to=distribution.conforms_to,
                )
            )
    return tuple(links)


def catalogue(absolute: Callable[[str], str] = str) -> Catalogue:
    """Every dataset with its distributions and its last change: a fixed number of queries
    (the published contracts, one aggregate per dataset). ``absolute`` makes a path an
    address (the request's ``build_absolute_uri``)."""
    contracts = list(selectors.published_contracts())
    if contracts:
        publisher, region = contracts[0].owner.name, contracts[0].region
        region_code, region_name = region.code, region.name
    else:
        region_code, region_name = site_region()
        publisher = region_name
    changes = selectors.last_changes()
    start = min((c.start_date for c in contracts), default=None)
    end = max((c.end_date for c in contracts), default=None)
    listed = tuple(
        Listed(
            dataset=dataset,
            page_url=absolute(reverse(dataset.page)),
            modified=changes[dataset.slug],
            links=_links(dataset, contracts, region_code, absolute),
            start=start if dataset.of_contracts else None,
            end=end if dataset.of_contracts else None,
        )
        for dataset in DATASETS
        if contracts or not dataset.of_contracts
    )
    return Catalogue(
        publisher=publisher, region_name=region_name, region_code=region_code, datasets=listed
    )
