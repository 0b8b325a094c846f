"""The observatory's tables, each written once for the page and its CSV download."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from engine.register.jobs import HEADCOUNT_BANDS
from filiere.common.exports import Column
from filiere.observatory.enums import ImportStatus
from filiere.observatory.selectors import SectorStats

ESTABLISHMENTS = Column("etablissements_actifs", _("Établissements"), itemgetter(-1))


@dataclass(frozen=True)
class Breakdown:
    """A table of the figures: ``slug`` names its download, ``rows(stats)`` gives every row
    (the CSV's); the page shows the first ``shown`` of them."""

    slug: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: Callable[[SectorStats], list[tuple]]
    shown: int | None = None


DEPARTEMENTS = Breakdown(
    "departements",
    _("Par département"),
    _("Établissements actifs par département"),
    (Column("departement", _("Département"), itemgetter(0)), ESTABLISHMENTS),
    lambda stats: list(stats.by_departement.items()),
)
BANDS = Breakdown(
    "tranches",
    _("Par tranche d'effectifs"),
    _("Établissements actifs par tranche d'effectifs"),
    (
        Column("tranche", _("Code"), itemgetter(0), on_page=False),
        Column("libelle", _("Tranche"), itemgetter(1)),
        ESTABLISHMENTS,
    ),
    lambda stats: [(c, HEADCOUNT_BANDS[c][0], n) for c, n in sorted(stats.by_band.items())],
)
NAF = Breakdown(
    "naf",
    _("Par activité (NAF)"),
    _("Établissements actifs par code NAF"),
    (
        Column("naf", _("Code"), itemgetter(0)),
        Column("libelle", _("Activité"), itemgetter(1)),
        ESTABLISHMENTS,
    ),
    lambda stats: stats.by_naf,
    shown=25,
)
EPCI = Breakdown(
    "epci",
    _("Par intercommunalité"),
    _("Établissements actifs par EPCI"),
    (
        Column("epci", _("SIREN"), itemgetter(0), on_page=False),
        Column("nom", _("EPCI"), itemgetter(1)),
        ESTABLISHMENTS,
    ),
    lambda stats: stats.by_epci,
    shown=25,
)
COMMUNES = Breakdown(
    "communes",
    _("Par commune"),
    _("Établissements actifs par commune"),
    (
        Column("commune", _("Code"), itemgetter(0)),
        Column("nom", _("Commune"), itemgetter(1)),
        ESTABLISHMENTS,
    ),
    lambda stats: stats.by_commune,
)
YEARS = Breakdown(
    "creations-fermetures",
    _("Créations et fermetures"),
    _("Créations et fermetures par année"),
    (
        Column("annee", _("Année"), lambda row: str(row[0])),
        Column("creations", _("Créations"), itemgetter(1)),
        Column("fermetures", _("Fermetures"), itemgetter(2)),
        Column("solde", _("Solde"), lambda row: row[1] - row[2]),
    ),
    lambda stats: list(stats.years),
)

BREAKDOWNS = {b.slug: b for b in (DEPARTEMENTS, BANDS, NAF, EPCI, COMMUNES, YEARS)}


# The register's imports started from the page.
REGISTER_IMPORTS = (
    Column(
        "demande_le",
        _("Demandé le"),
        lambda i: i.created_at,
        link=lambda i: reverse("observatory:import", args=[i.pk]),
    ),
    Column("territoire", _("Territoire"), lambda i: i.territory_label),
    Column("filiere", _("Filière"), lambda i: i.sector),
    Column("fichier", _("Fichier des établissements"), lambda i: i.establishments_name),
    Column("etat", _("État"), lambda i: i.status, choices=ImportStatus),
    Column("crees", _("Établissements créés"), lambda i: i.establishments_created),
    Column("mis_a_jour", _("Mis à jour"), lambda i: i.establishments_updated),
    Column("rejetees", _("Lignes rejetées"), lambda i: i.rows_rejected),
    Column("lance_par", _("Lancé par"), lambda i: i.started_by.email if i.started_by else None),
)
