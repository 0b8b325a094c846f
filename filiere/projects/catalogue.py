"""The funding catalogue: search, the schemes a project is eligible for, alerts, export.

The catalogue holds tens to a few hundred schemes: filters on their list
fields (sizes, markets, départements) run in Python over one query, and the
words are ranked with the same French BM25 as the rest of the platform.
"""

import csv
import io
import json
from datetime import UTC, date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from engine.funding import Applicant, Fit, Scheme, eligible_schemes, size_category
from engine.search import TextIndex
from filiere.accounts.notifications import absolute_url, send_mail_to
from filiere.directory.selectors import main_establishment
from filiere.projects.enums import AidForm, AidLevel, Market
from filiere.projects.models import AidScheme, Project, SavedSearch
from filiere.territory.models import Region

CRITERIA = ("q", "market", "size", "form", "level", "open_only")


def _matches(scheme: AidScheme, criteria: dict, today: date) -> bool:
    market, size = criteria.get("market"), criteria.get("size")
    if market and scheme.themes and market not in scheme.themes:
        return False
    if size and scheme.sizes and size not in scheme.sizes:
        return False
    if criteria.get("form") and scheme.form != criteria["form"]:
        return False
    if criteria.get("level") and scheme.level != criteria["level"]:
        return False
    return not (criteria.get("open_only") and scheme.closes_on and scheme.closes_on < today)


def search_schemes(criteria: dict, *, today: date, schemes=None) -> list[AidScheme]:
    """Published schemes matching the criteria: by relevance when words are given, else by
    nearest deadline (schemes without one last)."""
    if schemes is None:
        schemes = AidScheme.objects.filter(is_published=True)
    kept = [s for s in schemes if _matches(s, criteria, today)]
    words = (criteria.get("q") or "").strip()
    if words:
        index = TextIndex(
            [s.pk for s in kept],
            [" ".join((s.title, s.promise, s.description, s.eligibility, s.funder)) for s in kept],
        )
        by_pk = {s.pk: s for s in kept}
        return [by_pk[pk] for pk, _score in index.search(words, k=len(kept))]
    return sorted(kept, key=lambda s: (s.closes_on is None, s.closes_on or date.max, s.title))


def _engine_scheme(scheme: AidScheme) -> Scheme:
    return Scheme(
        id=str(scheme.pk),
        sizes=frozenset(scheme.sizes),
        trl_min=scheme.trl_min,
        trl_max=scheme.trl_max,
        departements=frozenset(scheme.departements),
        themes=frozenset(scheme.themes),
        closes_on=scheme.closes_on,
    )


def project_applicant(project: Project) -> Applicant:
    head = main_establishment(project.lead)
    return Applicant(
        size=size_category(project.lead.headcount_band),
        trl=project.trl,
        departement=(head.departement_code if head else "") or None,
        themes=frozenset({project.market}),
    )


def eligible_for(project: Project, *, today: date) -> list[tuple[AidScheme, Fit]]:
    """The published schemes the project is eligible for, best fit then nearest deadline first."""
    schemes = {str(s.pk): s for s in AidScheme.objects.filter(is_published=True)}
    fits = eligible_schemes(
        [_engine_scheme(s) for s in schemes.values()], project_applicant(project), today
    )
    return [(schemes[f.scheme_id], f) for f in fits]


def search_save(*, user, name: str, criteria: dict, now=None) -> SavedSearch:
    kept = {k: criteria[k] for k in CRITERIA if criteria.get(k)}
    return SavedSearch.objects.create(
        user=user, name=name, criteria=kept, alerted_until=now or timezone.now()
    )


def send_alerts(*, now=None) -> dict[str, int]:
    """Mail each saved search's owner the schemes published since its last alert (once each)."""
    now = now or timezone.now()
    counts = {"recherches enregistrées": 0, "alertes envoyées": 0}
    for search in SavedSearch.objects.select_related("user"):
        counts["recherches enregistrées"] += 1
        with transaction.atomic():
            locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
            fresh = AidScheme.objects.filter(
                is_published=True, published_at__gt=locked.alerted_until, published_at__lte=now
            )
            found = search_schemes(locked.criteria, today=timezone.localdate(now), schemes=fresh)
            locked.alerted_until = now
            locked.save(update_fields=["alerted_until"])
            if found:
                counts["alertes envoyées"] += send_mail_to(
                    [search.user.email],
                    subject=f"Nouveaux dispositifs d'aide : {locked.name}",
                    template="projects/email/aid_alert.txt",
                    context={
                        "search": locked,
                        "schemes": found,
                        "link": absolute_url(reverse("projects:catalogue")),
                    },
                )
    return counts


# The export, in the official « dispositif d'aide » schema (professionnels variant).

EXPORT_FIELDS = [
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
LEVEL_PROGRAMMES = {
    AidLevel.REGIONAL: "Région Normandie",
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


def export_rows(schemes) -> list[dict[str, str]]:
    regions = {
        r.code: frozenset(d.code for d in r.departements.all())
        for r in Region.objects.prefetch_related("departements")
    }
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
                "programmes_parents": LEVEL_PROGRAMMES.get(s.level, ""),
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


def export_csv(schemes) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(schemes))
    return out.getvalue()
