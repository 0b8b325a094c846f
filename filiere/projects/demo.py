"""Demo innovation pipeline: the real Normandy i-Lab winners at realistic stages, and an aid
catalogue named after the contract's schemes.

Real (cited): each project's title, summary, firm (SIREN, name), research unit
and year, from ``data/innovation/ilab_winners_normandie.csv`` (Ministry open
data, Licence Ouverte 2.0). Generated (``is_demo``): when each project entered the
cluster's pipeline, the stage it has reached, budgets, the pilot end user of the projects
that name no research unit, reviews, fundings and the catalogue's conditions.

Each project meets what the workflow's moves need (``projects.moves``) at each step it
takes, as if the lead and the cluster had made them: a demo that broke a rule would fail
to load rather than show a project the platform would have refused.
"""

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation, User
from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.programme.demo import DEMO_PASSWORD
from filiere.projects.enums import (
    LABELLED_STATES,
    AidForm,
    AidLevel,
    Market,
    Opinion,
    PartnerKind,
    ProjectState,
)
from filiere.projects.models import (
    SHOWCASE_SUMMARY_MAX_LENGTH,
    AidScheme,
    Funding,
    Partner,
    Project,
    Review,
    Transition,
)
from filiere.projects.moves import MOVES

SEED = 2018
ILAB_FILE = settings.DATA_DIR / "innovation" / "ilab_winners_normandie.csv"
ILAB_SOURCE = "Lauréats du concours i-Lab (MESR, Licence Ouverte 2.0)"
REVIEWER_EMAIL = "expertise@tes.demo.filiere.fr"
NORMANDY = ["14", "27", "50", "61", "76"]
# The reference contract's years, in which most demo projects go through the pipeline.
CONTRACT_START = date(2017, 1, 1)
CONTRACT_LAST_ENTRY = date(2019, 6, 30)

S = ProjectState
# The labelled winners their leads show on the sector's showcase.
SHOWCASED = 2
# The path of a project through the workflow, with the months each step takes.
PATH = [
    (S.SUBMITTED, 1),
    (S.UNDER_REVIEW, 1),
    (S.LABELLED, 2),
    (S.FUNDING_SOUGHT, 1),
    (S.FUNDED, 4),
    (S.IN_PROGRESS, 1),
    (S.CLOSED, 30),
]


@dataclass(frozen=True)
class DemoScheme:
    title: str
    promise: str
    funder: str
    form: str
    level: str
    rate: str
    ceiling: int | None
    sizes: tuple[str, ...] = ()
    trl: tuple[int | None, int | None] = (None, None)
    themes: tuple[str, ...] = ()
    regional: bool = False
    call_days: int | None = None  # an open call closing in so many days


SCHEMES = [
    DemoScheme(
        "Impulsion Innovation",
        "Financer la faisabilité puis le développement d'un produit ou service innovant",
        "AD Normandie",
        AidForm.ADVANCE,
        AidLevel.REGIONAL,
        "Avance remboursable jusqu'à 50 % des dépenses retenues",
        500_000,
        ("MIC", "PME"),
        (3, 7),
        regional=True,
    ),
    DemoScheme(
        "Impulsion Conseil",
        "Faire appel à un consultant pour structurer un projet innovant",
        "AD Normandie",
        AidForm.GRANT,
        AidLevel.REGIONAL,
        "Subvention de 50 % du coût du conseil",
        30_000,
        ("MIC", "PME"),
        regional=True,
    ),
    DemoScheme(
        "Prêt Normandie TPE",
        "Un prêt sans garantie pour le premier investissement numérique d'une TPE",
        "Région Normandie",
        AidForm.LOAN,
        AidLevel.REGIONAL,
        "Prêt à taux zéro de 3 000 à 50 000 €",
        50_000,
        ("MIC",),
        regional=True,
    ),
    DemoScheme(
        "Fonds régional de garantie",
        "Faciliter le crédit bancaire des TPE et PME normandes",
        "Région Normandie",
        AidForm.GUARANTEE,
        AidLevel.REGIONAL,
        "Garantie jusqu'à 70 % du prêt bancaire",
        None,
        ("MIC", "PME"),
        regional=True,
    ),
    DemoScheme(
        "Appel à projets Santé numérique Normandie",
        "Expérimenter une solution numérique avec des établissements de santé normands",
        "Région Normandie",
        AidForm.CALL,
        AidLevel.REGIONAL,
        "Subvention jusqu'à 45 % des dépenses",
        200_000,
        ("MIC", "PME", "ETI"),
        (4, 8),
        (Market.HEALTH,),
        regional=True,
        call_days=75,
    ),
    DemoScheme(
        "Appel à projets Tourisme connecté",
        "Des services numériques pour les sites et les visiteurs de Normandie",
        "Région Normandie",
        AidForm.CALL,
        AidLevel.REGIONAL,
        "Subvention jusqu'à 40 % des dépenses",
        100_000,
        ("MIC", "PME"),
        (5, 9),
        (Market.TOURISM,),
        regional=True,
        call_days=40,
    ),
    DemoScheme(
        "Bourse French Tech",
        "Une subvention pour les premiers pas d'une startup innovante",
        "Bpifrance",
        AidForm.GRANT,
        AidLevel.NATIONAL,
        "Subvention jusqu'à 70 % des dépenses",
        30_000,
        ("MIC",),
        (2, 5),
    ),
    DemoScheme(
        "Aide pour projet d'innovation",
        "Financer le développement et l'industrialisation d'une innovation",
        "Bpifrance",
        AidForm.ADVANCE,
        AidLevel.NATIONAL,
        "Avance remboursable ou subvention, de 30 à 60 %",
        None,
        ("MIC", "PME", "ETI"),
        (4, 8),
    ),
    DemoScheme(
        "Prêt d'amorçage",
        "Renforcer la trésorerie avant une levée de fonds",
        "Bpifrance",
        AidForm.LOAN,
        AidLevel.NATIONAL,
        "Prêt de 50 000 à 300 000 €, différé de 3 ans",
        300_000,
        ("MIC", "PME"),
        (5, 9),
    ),
    DemoScheme(
        "Concours d'innovation i-Nov",
        "Des projets de rupture portés par des startups et des PME",
        "Bpifrance pour l'État",
        AidForm.CALL,
        AidLevel.NATIONAL,
        "Subvention et avance remboursable, 45 % des dépenses",
        5_000_000,
        ("MIC", "PME"),
        (4, 8),
        (Market.HEALTH, Market.AGRICULTURE, Market.ENERGY, Market.INDUSTRY),
        call_days=120,
    ),
    DemoScheme(
        "EIC Accelerator",
        "Accélérer la mise sur le marché d'innovations de rupture en Europe",
        "Commission européenne (Conseil européen de l'innovation)",
        AidForm.CALL,
        AidLevel.EUROPEAN,
        "Subvention jusqu'à 2,5 M€ et investissement en fonds propres",
        2_500_000,
        ("MIC", "PME"),
        (5, 8),
        call_days=160,
    ),
]


def demo_is_loaded() -> bool:
    return Project.objects.filter(is_demo=True).exists()


@transaction.atomic
def _forget_history(project_ids: list[int]) -> None:
    """The demo stands as written, with no history: a correction made on it starts one
    (``common.history`` first keeps the row as it was); cleared, it leaves none behind."""
    Project.history.filter(id__in=project_ids).delete()
    for model in (Partner, Funding, Review):
        model.history.filter(project_id__in=project_ids).delete()


def demo_clear(summary: Summary) -> None:
    demo = list(Project.objects.filter(is_demo=True).values_list("pk", flat=True))
    summary.add("projets démo supprimés", Project.objects.filter(pk__in=demo).delete()[0])
    _forget_history(demo)
    summary.add("dispositifs démo supprimés", AidScheme.objects.filter(is_demo=True).delete()[0])


def _market(domain: str, text: str) -> str:
    words = f"{domain} {text}".lower()
    for market, keys in (
        (Market.HEALTH, ("santé", "pharma", "médic", "biotech", "patient", "thérap", "clinique")),
        (Market.AGRICULTURE, ("agri", "agro", "aliment", "élevage", "végétal")),
        (Market.TOURISM, ("touris", "visite", "patrimoine")),
        (Market.PORT_LOGISTICS, ("port", "logisti", "maritime", "navire", "transport")),
        (Market.ENERGY, ("énergie", "environnement", "eau ", "déchet", "recycl")),
        (Market.INDUSTRY, ("chimie", "matériau", "mécanique", "électronique", "industri")),
    ):
        if any(k in words for k in keys):
            return market
    return Market.OTHER


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _months(day: date, months: int) -> date:
    return day + timedelta(days=30 * months)


def _reviewer() -> User:
    # Made as every operator's account is, its address verified: it signs in at once.
    user = User.objects.filter(email=REVIEWER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=REVIEWER_EMAIL, password=DEMO_PASSWORD, first_name="Yann", last_name="Le Gall"
        )
    return user


@transaction.atomic
def demo_load(summary: Summary) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    schemes = _catalogue(today, summary)
    cluster = Organisation.objects.filter(slug="pole-tes").first()
    if cluster is None:
        summary.add("pôle TES absent : chargez d'abord le scénario")
        return
    officer = User.objects.filter(email="coordination@tes.demo.filiere.fr").first()
    reviewer = _reviewer()
    with ILAB_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    for row in rows:
        siren = row["N° SIREN"].strip()
        name = row["Libellé entreprise"].strip() or row["Projet"].strip()
        title = row["Moto"].strip()
        if not (siren and name and title):
            summary.add("lauréats sans SIREN, nom ou titre (non repris)")
            continue
        lead, created = LegalUnit.objects.get_or_create(siren=siren, defaults={"name": name})
        summary.add("entreprises lauréates ajoutées à l'annuaire", int(created))
        year = int(row["Année de concours"])
        project = Project.objects.create(
            title=title[:200],
            acronym=row["Projet"].strip()[:40],
            summary=row["Résumé"].strip() or title,
            market=_market(row["Domaine technologique"], f"{title} {row['Résumé']}"),
            trl=rng.randint(3, 6)
            if row["Type de candidature"] == "en émergence"
            else rng.randint(5, 8),
            lead=lead,
            cluster=cluster,
            source=f"{ILAB_SOURCE}, lauréat {year} ({row['Domaine technologique']})",
            is_demo=True,
        )
        summary.add("projets démo (lauréats i-Lab)")
        _consortium(rng, project, lead, row)
        _history(rng, project, year, today, officer, reviewer, schemes, summary)
    _sent_back(cluster, officer, today, summary)
    _showcase(today, summary)
    _forget_history(list(Project.objects.filter(is_demo=True).values_list("pk", flat=True)))


def _catalogue(today: date, summary: Summary) -> list[AidScheme]:
    created = []
    for s in SCHEMES:
        scheme, is_new = AidScheme.objects.get_or_create(
            title=s.title,
            defaults={
                "promise": s.promise,
                "description": f"{s.promise}. {s.rate}.",
                "eligibility": (
                    "Entreprises "
                    + ", ".join(s.sizes)
                    + (" établies en Normandie" if s.regional else "")
                    if s.sizes
                    else "Toutes entreprises"
                )
                + ".",
                "form": s.form,
                "level": s.level,
                "funder": s.funder,
                "rate": s.rate,
                "ceiling": Decimal(s.ceiling) if s.ceiling else None,
                "sizes": list(s.sizes),
                "trl_min": s.trl[0],
                "trl_max": s.trl[1],
                "departements": NORMANDY if s.regional else [],
                "themes": list(s.themes),
                "opens_on": today - timedelta(days=30) if s.call_days else None,
                "closes_on": today + timedelta(days=s.call_days) if s.call_days else None,
                "is_demo": True,
            },
        )
        summary.add("dispositifs démo", int(is_new))
        created.append(scheme)
    return created


def _consortium(rng, project: Project, lead: LegalUnit, row: dict) -> None:
    budget = Decimal(rng.randrange(150, 900) * 1000)
    Partner.objects.create(
        project=project,
        legal_unit=lead,
        name=lead.name,
        kind=PartnerKind.FIRM,
        is_lead=True,
        budget=budget,
    )
    laboratory = (
        row["Unité de recherche liée au projet"].strip() or row["Structure liée au projet"].strip()
    )
    if laboratory:
        Partner.objects.create(
            project=project,
            name=laboratory[:255],
            kind=PartnerKind.LABORATORY,
            budget=(budget * Decimal("0.3")).quantize(Decimal(1)),
        )
    else:
        # A cluster labels collaborative projects (moves.has_consortium): the firms that won
        # alone pilot theirs with an end user of their market (generated).
        Partner.objects.create(
            project=project,
            name=f"Utilisateur pilote ({project.get_market_display().lower()}), démonstration",
            kind=PartnerKind.END_USER,
            budget=(budget * Decimal("0.15")).quantize(Decimal(1)),
        )


def _showcase(today: date, summary: Summary) -> None:
    """The latest labelled winners on the sector's showcase, as if their leads had published
    them a month after their label, with their i-Lab summary (public) as public summary."""
    labelled = Project.objects.filter(is_demo=True, state__in=LABELLED_STATES).order_by(
        "-decided_on", "pk"
    )
    for project in labelled[:SHOWCASED]:
        project.showcase_published = True
        project.showcase_summary = Truncator(project.summary).chars(SHOWCASE_SUMMARY_MAX_LENGTH)
        project.showcase_published_at = _aware(min(_months(project.decided_on, 1), today))
        project.save(
            update_fields=["showcase_published", "showcase_summary", "showcase_published_at"]
        )
        summary.add("projets démo publiés dans la vitrine")


def _sent_back(cluster, officer, today: date, summary: Summary) -> None:
    """The demo firm's own project (generated), submitted and sent back for changes by the
    cluster: what its member edits and submits again."""
    lead = LegalUnit.objects.filter(organisation__slug=DEMO_COMPANY_SLUG).first()
    if lead is None:
        return
    project = Project.objects.create(
        title="Réservation en ligne des gîtes normands (démonstration)",
        acronym="GITES-NUM",
        summary="Une place de marché pour les gîtes ruraux, avec paiement et calendrier partagés.",
        market=Market.TOURISM,
        trl=4,
        lead=lead,
        cluster=cluster,
        source="Projet généré pour la démonstration",
        is_demo=True,
    )
    Partner.objects.create(
        project=project,
        legal_unit=lead,
        name=lead.name,
        kind=PartnerKind.FIRM,
        is_lead=True,
        budget=Decimal(120_000),
    )
    Partner.objects.create(
        project=project,
        name="Office de tourisme pilote (démonstration)",
        kind=PartnerKind.END_USER,
        budget=Decimal(15_000),
    )
    steps = (
        ("", S.DRAFT, None, 60, ""),
        (S.DRAFT, S.SUBMITTED, None, 30, ""),
        (
            S.SUBMITTED,
            S.DRAFT,
            officer,
            20,
            "Précisez le marché visé et ce qu'apporte l'office de tourisme pilote.",
        ),
    )
    for source, to, by, days_ago, reason in steps:
        if source:
            for condition in MOVES[(source, to)].checks:
                condition(project)
        at = _aware(today - timedelta(days=days_ago))
        Transition.objects.create(
            project=project, from_state=source, to_state=to, by=by, at=at, reason=reason
        )
    summary.add("projet démo de l'entreprise démo, renvoyé pour compléments")


def _entry(rng, year: int, today: date) -> date:
    """When the project enters the cluster's pipeline (generated): the winners of the years
    before the contract bring a collaborative project during it (2017 to mid-2019), those of
    its years in their own year, and those after it lately, so that the demo has projects at
    every stage today."""
    if year < CONTRACT_START.year:
        return CONTRACT_START + timedelta(
            days=rng.randint(0, (CONTRACT_LAST_ENTRY - CONTRACT_START).days)
        )
    if year > CONTRACT_LAST_ENTRY.year:
        return today - timedelta(days=rng.randint(20, 330))
    return date(year, rng.randint(1, 6), rng.randint(1, 28))


def _history(rng, project, year, today, officer, reviewer, schemes, summary) -> None:
    """Walk the project through the workflow from its entry, stopping where it has got to."""
    day = _entry(rng, year, today)
    Transition.objects.create(project=project, from_state="", to_state=S.DRAFT, at=_aware(day))
    not_labelled = rng.random() < 0.15
    source = S.DRAFT
    for state, months in PATH:
        to = S.NOT_LABELLED if state == S.LABELLED and not_labelled else state
        day = _months(day, months)
        if day > today:
            break
        by = officer if to not in (S.SUBMITTED, S.IN_PROGRESS) else None
        reason = ""
        if to == S.UNDER_REVIEW:
            opinion_on = _months(day, 1)
            if opinion_on > today:
                # Still with the expert, who has yet to declare any conflict of interest.
                Review.objects.create(project=project, reviewer=reviewer)
            else:
                Review.objects.create(
                    project=project,
                    reviewer=reviewer,
                    has_conflict=False,
                    declared_at=_aware(day),
                    opinion=Opinion.UNFAVOURABLE if not_labelled else Opinion.FAVOURABLE,
                    comments="Avis de démonstration.",
                    submitted_at=_aware(opinion_on),
                )
        if to in (S.LABELLED, S.NOT_LABELLED):
            project.decided_on = day
            project.committee = f"Comité de labellisation du Pôle TES, {day:%m/%Y}"
            reason = project.decision_reasons = (
                "Projet innovant, consortium solide et marché identifié."
                if to == S.LABELLED
                else "Marché insuffisamment caractérisé à ce stade."
            )
        if to == S.FUNDED:
            scheme = rng.choice(schemes)
            Funding.objects.create(
                project=project,
                scheme=scheme,
                funder=scheme.funder,
                amount=Decimal(rng.randrange(30, 400) * 1000),
                granted_on=day,
            )
            summary.add("financements démo")
        if to == S.CLOSED:
            project.results = "Produit mis sur le marché ; résultats de démonstration."
        for condition in MOVES[(source, to)].checks:
            condition(project)
        Transition.objects.create(
            project=project, from_state=source, to_state=to, by=by, at=_aware(day), reason=reason
        )
        source = to
        if to == S.NOT_LABELLED:
            break
    project.state = source
    project.save()
