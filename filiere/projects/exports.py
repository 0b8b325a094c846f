"""The projects list's columns (its page and its CSV export), and the aid catalogue in the
official « dispositif d'aide » schema (professionnels variant, schema.data.gouv.fr)."""

import json
from datetime import UTC, date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column, schema_csv_lines
from filiere.projects.enums import (
    AidForm,
    AidImportStatus,
    AidImportTrigger,
    AidLevel,
    Market,
    ProjectState,
)
from filiere.projects.selectors import departements_by_region
from filiere.territory.selectors import site_region

PROJECTS = (
    Column(
        "titre",
        _("Projet"),
        lambda p: p.title,
        link=lambda p: reverse("projects:detail", args=[p.pk]),
    ),
    Column("acronyme", _("Acronyme"), lambda p: p.acronym, on_page=False),
    Column("porteur", _("Porteur"), lambda p: p.lead.name),
    Column("siren", _("SIREN"), lambda p: p.lead.siren, on_page=False),
    Column("pole", _("Pôle"), lambda p: p.cluster.name, on_page=False),
    Column("marche", _("Marché"), lambda p: p.market, choices=Market),
    Column("trl", _("TRL"), lambda p: p.trl),
    Column("partenaires", _("Partenaires"), lambda p: p.partner_count),
    Column("budget_eur", _("Budget"), lambda p: p.budget, suffix=" €"),
    Column("etat", _("État"), lambda p: p.state, choices=ProjectState),
    Column("decision_le", _("Décision le"), lambda p: p.decided_on, on_page=False),
    Column("source", _("Source"), lambda p: p.source, on_page=False),
    Column("demonstration", _("Démonstration"), lambda p: p.is_demo, on_page=False),
)


# The aid catalogue's export.

# The runs of the import from Aides-territoires, as the programme officers read them.
AID_IMPORT_RUNS = (
    Column("lance_le", _("Lancé le"), lambda r: r.started_at),
    Column("lance_par", _("Lancé par"), lambda r: r.trigger, choices=AidImportTrigger),
    Column("etat", _("État"), lambda r: r.status, choices=AidImportStatus),
    Column("depuis", _("Depuis"), lambda r: r.since),
    Column(
        "decompte", _("Décompte"), lambda r: ", ".join(f"{k} : {v}" for k, v in r.counts.items())
    ),
    Column("gardes", _("Gardés, modifiés ici"), lambda r: " ; ".join(r.kept_edited)),
    Column("inconnues", _("Valeurs inconnues"), lambda r: " ; ".join(r.unknown_values)),
    Column("erreur", _("Erreur"), lambda r: r.error),
)

AID_SCHEME_FIELDS = [
    "id",
    "titre",
    "promesse",
    "description",
    "eligibilite",
    "types_aides",
    "porteurs",
    "programmes_parents",
    "url_source",
    "cibles",
    "eligibilite_geographique",
    "eligibilite_geographique_exclusions",
    "date_ouverture",
    "date_cloture",
    "date_mise_a_jour",
    "base_juridique",
    "eligibilite_effectif_minimal",
    "eligibilite_effectif_maximal",
    "eligibilite_categorie_taille_entreprise",
    "eligibilite_annees_existence_minimal",
    "eligibilite_forme_juridique",
    "eligibilite_forme_juridique_exclusions",
    "ciblage_secteur_activite",
    "ciblage_naf",
    "ciblage_naf_exclusions",
    "chainage_paiement",
]
FRANCE = "PAYS-99100"
SUPPORT_FORMS = {AidForm.SUPPORT}
# The parent programme of a scheme by its level; a regional one's is the platform's Region.
LEVEL_PROGRAMMES = {
    AidLevel.NATIONAL: "France 2030",
    AidLevel.EUROPEAN: "Union européenne",
}


def _geography(departements: list[str], regions: dict[str, frozenset[str]]) -> str:
    if not departements:
        return FRANCE
    chosen = set(departements)
    codes = []
    for region_code, region_departements in sorted(regions.items()):
        if region_departements and region_departements <= chosen:
            codes.append(f"REG-{region_code}")
            chosen -= region_departements
    # The schema's COG codes are digits: a département such as 2A is written as its région.
    region_of = {d: r for r, ds in regions.items() for d in ds}
    for code in sorted(chosen):
        codes.append(f"DEP-{code}" if code.isdigit() else f"REG-{region_of.get(code, '94')}")
    return "|".join(dict.fromkeys(codes))


def _moment(day: date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else ""


def aid_scheme_rows(schemes) -> list[dict[str, str]]:
    regions = departements_by_region()
    programmes = {**LEVEL_PROGRAMMES, AidLevel.REGIONAL: f"Région {site_region()[1]}"}
    rows = []
    for s in schemes:
        porteur = {"nom": s.funder, "roles": ["financeur", "instructeur"]}
        if s.funder_siren:
            porteur["siren"] = s.funder_siren
        themes = [str(Market(t).label) for t in s.themes if t in Market.values]
        rows.append(
            {
                "id": str(s.uid),
                "titre": s.title,
                "promesse": s.promise,
                "description": s.description,
                "eligibilite": s.eligibility,
                "types_aides": "accompagnement" if s.form in SUPPORT_FORMS else "financement",
                "porteurs": json.dumps([porteur], ensure_ascii=False),
                "programmes_parents": programmes.get(s.level, ""),
                "url_source": s.url,
                "cibles": "professionnels",
                "eligibilite_geographique": _geography(s.departements, regions),
                "eligibilite_geographique_exclusions": "",
                "date_ouverture": _moment(s.opens_on),
                "date_cloture": _moment(s.closes_on),
                "date_mise_a_jour": s.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "base_juridique": "",
                "eligibilite_effectif_minimal": "",
                "eligibilite_effectif_maximal": "",
                "eligibilite_categorie_taille_entreprise": "|".join(s.sizes),
                "eligibilite_annees_existence_minimal": "",
                "eligibilite_forme_juridique": "",
                "eligibilite_forme_juridique_exclusions": "",
                "ciblage_secteur_activite": "|".join(themes) or "tous secteurs d'activité",
                "ciblage_naf": "",
                "ciblage_naf_exclusions": "",
                "chainage_paiement": "",
            }
        )
    return rows


def aid_schemes_csv(schemes) -> str:
    """The schemes as the schema's CSV, one line per scheme."""
    return "".join(schema_csv_lines(AID_SCHEME_FIELDS, aid_scheme_rows(schemes)))
