"""Demo registers: the contract's three residences, the real Normandy digital places as third
places, and generated hostings, labelling decisions, datalab projects and training paths.

Real (cited): the residences' names and towns (the contract), the 168
digital-inclusion sites (``data/places/``, ANCT, Licence Ouverte 2.0).
Generated (``is_demo``): who is hosted, the labelling decisions, the datalab's
projects and the training paths.
"""

import json
import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from filiere.accounts.models import Organisation
from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.programme.figures import figures_changed
from filiere.projects.enums import Market
from filiere.registers.enums import (
    DatalabStatus,
    DatasetRole,
    HostingOutcome,
    ThirdPlaceStatus,
    TrainingFormat,
)
from filiere.registers.models import (
    Cohort,
    DatalabProject,
    Dataset,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)
from filiere.registers.services import departement_of_postcode
from filiere.territory.models import Commune, Region
from filiere.territory.selectors import site_region_code

SEED = 2020
PLACES_FILE = settings.DATA_DIR / "places" / "digital_inclusion_sites_normandie_2022.json"
PLACES_SOURCE = "ANCT, lieux d'inclusion numérique de Normandie (2022), Licence Ouverte 2.0"

RESIDENCES = [
    ("Agri up", Market.AGRICULTURE, "Colombelles", "14167", "14", 8),
    ("Tourism up", Market.TOURISM, "Deauville", "14220", "14", 6),
    ("Smart port", Market.PORT_LOGISTICS, "Le Havre", "76351", "76", 8),
]
DATALAB = [
    (
        "Observatoire ouvert des entreprises du numérique",
        "Base SIRENE (INSEE)",
        "Établissements du numérique en Normandie",
    ),
    (
        "Commande publique numérique en Normandie",
        "Données essentielles de la commande publique",
        "Marchés numériques normands",
    ),
    (
        "Carte des lieux de médiation numérique",
        "Lieux d'inclusion numérique (ANCT)",
        "Lieux de médiation numérique normands",
    ),
    (
        "Fréquentation touristique du littoral",
        "Comptages de fréquentation des sites",
        "Indicateurs de fréquentation",
    ),
    (
        "Trafic portuaire et logistique",
        "Statistiques portuaires HAROPA",
        "Flux logistiques agrégés",
    ),
    (
        "Qualité de l'air et mobilités",
        "Mesures de qualité de l'air (Atmo Normandie)",
        "Indice croisé air et trafic",
    ),
    (
        "Parcelles et pratiques agricoles",
        "Registre parcellaire graphique (IGN)",
        "Cartes de pratiques culturales",
    ),
    (
        "Énergie des bâtiments publics",
        "Consommations énergétiques des bâtiments",
        "Tableau de bord énergétique",
    ),
    ("Offre de soins de proximité", "Annuaire santé (FINESS)", "Carte de l'offre de soins"),
    ("Couverture très haut débit", "Déploiements THD (ARCEP)", "Avancement du THD par commune"),
    (
        "Transports scolaires ouverts",
        "Horaires des transports (GTFS)",
        "Arrêts et dessertes scolaires",
    ),
]
TRAINING_TOPICS = [
    "Développement web",
    "Cybersécurité des TPE",
    "Données et tableaux de bord",
    "Commerce en ligne",
    "Bureautique avancée",
    "Médiation numérique",
    "Cloud et collaboration",
    "Réseaux sociaux pour l'entreprise",
]
TRAINING_PATHS = 700


def demo_is_loaded() -> bool:
    return Residence.objects.exists()


@transaction.atomic
def demo_clear(summary: Summary) -> None:
    summary.add("hébergements démo supprimés", Hosting.objects.filter(is_demo=True).delete()[0])
    summary.add(
        "projets datalab démo supprimés", DatalabProject.objects.filter(is_demo=True).delete()[0]
    )
    summary.add("parcours démo supprimés", TrainingPath.objects.filter(is_demo=True).delete()[0])
    summary.add(
        "décisions démo annulées",
        ThirdPlace.objects.filter(is_demo=True).update(
            status=ThirdPlaceStatus.REFERENCED,
            applied_on=None,
            decided_on=None,
            decision_note="",
            is_demo=False,
        ),
    )
    Cohort.objects.filter(hostings__isnull=True).delete()
    Residence.objects.filter(cohorts__isnull=True).delete()
    figures_changed()


@transaction.atomic
def demo_load(summary: Summary) -> None:
    rng = random.Random(SEED)
    region = Region.objects.filter(code=site_region_code()).first()
    operator = Organisation.objects.filter(slug="pole-tes").first()
    if region is None or operator is None:
        summary.add("région ou pôle TES absent : chargez d'abord le scénario")
        return
    firms = list(LegalUnit.objects.filter(is_demo=True).order_by("pk")[:200])
    _residences(rng, operator, firms, summary)
    _third_places(rng, summary)
    _datalab(rng, region, firms, summary)
    _training(rng, region, firms, summary)


def _residences(rng, operator, firms, summary) -> None:
    pool = list(firms)
    rng.shuffle(pool)
    for name, theme, city, code, departement, capacity in RESIDENCES:
        residence = Residence.objects.create(
            name=name,
            theme=theme,
            operator=operator,
            commune=Commune.objects.filter(code=code).first(),
            city=city,
            departement_code=departement,
            capacity=capacity,
            description=f"Résidence thématique du Pôle TES à {city}.",
        )
        summary.add("résidences")
        for year in (2018, 2019):
            cohort = Cohort.objects.create(
                residence=residence, name=f"Promotion {year}", starts_on=date(year, 1, 15)
            )
            for _ in range(rng.randint(capacity // 2, capacity)):
                if not pool:
                    break
                firm = pool.pop()
                entered = cohort.starts_on + timedelta(days=rng.randint(0, 60))
                left = entered + timedelta(days=rng.randint(300, 700))
                still = year == 2019 and rng.random() < 0.3
                Hosting.objects.create(
                    cohort=cohort,
                    legal_unit=firm,
                    firm_name=firm.name,
                    entered_on=entered,
                    left_on=None if still else left,
                    outcome=HostingOutcome.HOSTED
                    if still
                    else rng.choice(
                        [HostingOutcome.OWN_PREMISES, HostingOutcome.GROWN, HostingOutcome.CEASED]
                    ),
                    is_demo=True,
                )
                summary.add("entreprises hébergées démo")


def _third_places(rng, summary) -> None:
    sites = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    created = []
    for site in sites:
        postcode = (site.get("code_postal") or "").strip()
        place, is_new = ThirdPlace.objects.get_or_create(
            source=PLACES_SOURCE,
            source_id=site["id"],
            defaults={
                "name": site["nom"][:200],
                "address": (site.get("adresse") or "")[:255],
                "postcode": postcode[:5],
                "city": (site.get("commune") or "").title()[:100],
                "departement_code": departement_of_postcode(postcode) if postcode else "",
                "latitude": site.get("latitude"),
                "longitude": site.get("longitude"),
                "services": site.get("services") or "",
                "website": (site.get("site_web") or "")[:300],
                "pivot": site.get("pivot") or "",
            },
        )
        if site.get("pivot") and not place.pivot:
            # A place loaded before the pivot was kept gets it from its source.
            place.pivot = site["pivot"]
            place.save(update_fields=["pivot"])
        summary.add("tiers-lieux référencés (ANCT)", int(is_new))
        created.append(place)
    # Generated: a labelling campaign each year, a few refusals.
    candidates = [p for p in created if p.status == ThirdPlaceStatus.REFERENCED]
    rng.shuffle(candidates)
    for year, count in ((2018, 12), (2019, 16)):
        for place in candidates[:count]:
            applied = date(year, rng.randint(1, 9), rng.randint(1, 28))
            labelled = rng.random() < 0.85
            place.status = ThirdPlaceStatus.LABELLED if labelled else ThirdPlaceStatus.REFUSED
            place.applied_on = applied
            place.decided_on = applied + timedelta(days=rng.randint(20, 80))
            place.decision_note = (
                "Décision de démonstration : lieu ouvert, animé, services numériques."
                if labelled
                else "Décision de démonstration : animation insuffisante."
            )
            place.is_demo = True
            place.save()
            summary.add("décisions de label démo")
        candidates = candidates[count:]


def _datalab(rng, region, firms, summary) -> None:
    for i, (title, used, published) in enumerate(DATALAB):
        project = DatalabProject.objects.create(
            title=title,
            summary=f"Projet collaboratif du datalab normand : {title.lower()}.",
            region=region,
            status=DatalabStatus.DONE if i < 5 else DatalabStatus.ONGOING,
            started_on=date(2018, 1, 1) + timedelta(days=60 * i),
            other_partners="Région Normandie",
            is_demo=True,
        )
        project.partners.set(rng.sample(firms, min(2, len(firms))))
        Dataset.objects.create(project=project, name=used, role=DatasetRole.USES)
        Dataset.objects.create(
            project=project,
            name=published,
            role=DatasetRole.PUBLISHES,
            licence="Licence Ouverte 2.0",
        )
        summary.add("projets datalab démo")


def _training(rng, region, firms, summary) -> None:
    start = date(2017, 11, 1)
    paths = []
    for i in range(TRAINING_PATHS):
        provider = rng.choice(firms) if firms else None
        paths.append(
            TrainingPath(
                title=f"{rng.choice(TRAINING_TOPICS)} — parcours {i + 1}",
                region=region,
                provider=provider,
                provider_name=provider.name if provider else "Organisme de démonstration",
                format=rng.choice(list(TrainingFormat.values)),
                hours=rng.choice([7, 14, 21, 35, 70]),
                created_on=start + timedelta(days=int(790 * (i / TRAINING_PATHS) ** 1.3)),
                is_demo=True,
            )
        )
    # With their history, as the import writes it: their first entry says when they were added.
    bulk_create_with_history(paths, TrainingPath, batch_size=500, default_change_reason="")
    figures_changed()
    summary.add("parcours de formation démo", len(paths))
