"""Demo offers and needs (generated, fixed seed, flagged ``is_demo``).

Offers are written for digital firms of the demo register, one in four of which publishes a
contact address of the demo's own domain (the others, with no member, are reached through
the advisers of their territory); needs are posted by
fictitious businesses in real Normandy communes over the contract's years, and
go through the real services (suggestions come from the matching engine).
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.notifications import notifications_muted
from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.directory.search import directory_changed
from filiere.needs import services
from filiere.needs.enums import BudgetBand, Domain, MatchStatus, NeedStatus, Outcome
from filiere.needs.models import Match, Need, OfferReference, ProviderOffer
from filiere.territory.selectors import region_communes, region_departements

SEED = 2017
OFFERS = 400
# One demo provider in CONTACT_EVERY publishes a contact address (``demo_contact_email``).
CONTACT_EVERY = 4
DEMO_DOMAIN = "demo.filiere.fr"

# What firms of each NAF code offer, and the phrases their offers are made of.
NAF_DOMAINS = {
    "62.01Z": [Domain.WEB, Domain.MANAGEMENT, Domain.DATA],
    "62.02A": [Domain.MANAGEMENT, Domain.CYBERSECURITY, Domain.CLOUD],
    "62.02B": [Domain.CLOUD, Domain.CYBERSECURITY],
    "62.03Z": [Domain.CLOUD, Domain.CYBERSECURITY],
    "62.09Z": [Domain.MANAGEMENT, Domain.CLOUD],
    "63.11Z": [Domain.CLOUD, Domain.DATA],
    "63.12Z": [Domain.WEB, Domain.MARKETING],
    "58.29C": [Domain.MANAGEMENT, Domain.DATA],
    "73.11Z": [Domain.MARKETING, Domain.WEB],
    "85.59A": [Domain.TRAINING],
}
PHRASES = {
    Domain.WEB: [
        "Création de sites internet vitrines et de boutiques en ligne (WordPress, Prestashop)",
        "Refonte de sites web responsive, référencement naturel et hébergement",
        "Développement d'applications web et mobiles sur mesure",
    ],
    Domain.MANAGEMENT: [
        "Intégration de logiciels de gestion (ERP) : devis, facturation, stocks, comptabilité",
        "Mise en place d'un CRM et dématérialisation des factures",
        "Logiciel de caisse et de gestion commerciale pour artisans et commerçants",
    ],
    Domain.CYBERSECURITY: [
        "Audit de cybersécurité, tests d'intrusion et sensibilisation des salariés",
        "Sauvegardes externalisées, plan de reprise d'activité, "
        "protection contre les rançongiciels",
    ],
    Domain.DATA: [
        "Tableaux de bord, entrepôt de données et analyse des ventes",
        "Intelligence artificielle appliquée : prévision de la demande, traitement de documents",
    ],
    Domain.CLOUD: [
        "Hébergement cloud, migration de serveurs et messagerie collaborative",
        "Infogérance du parc informatique, réseau et téléphonie sur IP",
    ],
    Domain.MARKETING: [
        "Stratégie de communication digitale, réseaux sociaux et campagnes en ligne",
        "Photographie, vidéo et contenus pour le web",
    ],
    Domain.TRAINING: [
        "Formations aux outils numériques pour dirigeants et salariés de TPE",
        "Formation à la bureautique, aux réseaux sociaux et à la cybersécurité",
    ],
}
CLIENTS = [
    "une fromagerie du Pays d'Auge",
    "un hôtel de la côte fleurie",
    "une menuiserie de l'Orne",
    "un cabinet d'expertise comptable caennais",
    "une coopérative agricole de la Manche",
    "un transporteur havrais",
    "une boulangerie rouennaise",
    "une cidrerie du Cotentin",
]
NEEDS = [
    (
        Domain.WEB,
        "Nous voulons vendre nos produits en ligne : une boutique avec paiement et "
        "livraison, reliée à notre stock.",
    ),
    (
        Domain.WEB,
        "Notre site internet a dix ans, il ne s'affiche pas sur téléphone : refonte et "
        "meilleur référencement.",
    ),
    (
        Domain.MANAGEMENT,
        "Nous faisons nos devis et factures sur tableur : nous cherchons un "
        "logiciel de gestion simple pour l'atelier.",
    ),
    (
        Domain.MANAGEMENT,
        "Suivre nos clients et nos relances commerciales : mise en place d'un CRM.",
    ),
    (
        Domain.CYBERSECURITY,
        "Après une tentative de rançongiciel, nous voulons un audit de "
        "sécurité et des sauvegardes fiables.",
    ),
    (Domain.DATA, "Comprendre nos ventes par produit et par saison avec des tableaux de bord."),
    (
        Domain.CLOUD,
        "Passer notre messagerie et nos fichiers dans le cloud, et faire gérer notre "
        "petit parc informatique.",
    ),
    (
        Domain.MARKETING,
        "Être plus visible sur les réseaux sociaux pour attirer des clients au restaurant.",
    ),
    (
        Domain.TRAINING,
        "Former nos cinq salariés aux outils numériques et aux bons réflexes de sécurité.",
    ),
]
BUSINESSES = [
    "Boulangerie Lemoine",
    "Cidrerie du Bocage",
    "Hôtel des Falaises",
    "Menuiserie Varin",
    "Garage Lecoq",
    "Fromagerie Sainte-Mère",
    "Transports Hébert",
    "Pharmacie du Port",
    "Atelier Céramique Leroux",
    "Ferme des Trois Chênes",
    "Camping de la Baie",
    "Imprimerie Guérin",
]
# The demo's needs come from the platform's région's most populous communes.
TOWNS = 9


def demo_is_loaded() -> bool:
    return ProviderOffer.objects.filter(is_demo=True).exists()


def demo_contact_email(unit: LegalUnit) -> str:
    """A demo firm's contact address, on the demo's domain: clearly nobody's."""
    return f"contact@{slugify(unit.name)[:50]}.{DEMO_DOMAIN}"


def demo_clear(summary: Summary) -> None:
    summary.add("besoins démo supprimés", Need.objects.filter(is_demo=True).delete()[0])
    summary.add("offres démo supprimées", ProviderOffer.objects.filter(is_demo=True).delete()[0])
    directory_changed()  # many firms' offers gone: the directory's search is built again
    summary.add(
        "adresses de contact démo supprimées",
        LegalUnit.objects.filter(is_demo=True, contact_email__endswith=f".{DEMO_DOMAIN}").update(
            contact_email=""
        ),
    )


@transaction.atomic
def demo_load(summary: Summary) -> None:
    rng = random.Random(SEED)
    _offers(rng, summary)
    with notifications_muted():
        _needs(rng, summary)


def _offer_text(rng: random.Random, domains: list[str]) -> str:
    return ". ".join(rng.choice(PHRASES[d]) for d in domains) + "."


def _offers(rng: random.Random, summary: Summary) -> None:
    units = list(
        LegalUnit.objects.filter(
            is_demo=True, status="A", naf__in=list(NAF_DOMAINS), offer__isnull=True
        ).order_by("siren")[:OFFERS]
    )
    company = LegalUnit.objects.filter(organisation__slug=DEMO_COMPANY_SLUG).first()
    if company and company not in units:
        units.append(company)
    departements = sorted(region_departements().values_list("code", flat=True))
    contacts = 0
    for index, unit in enumerate(units):
        if unit != company and index % CONTACT_EVERY == 0:
            LegalUnit.objects.filter(pk=unit.pk).update(contact_email=demo_contact_email(unit))
            contacts += 1
        choices = NAF_DOMAINS.get(unit.naf, [Domain.WEB, Domain.MANAGEMENT])
        domains = sorted(set(rng.sample(choices, k=rng.randint(1, len(choices)))))
        if unit == company:
            domains = [Domain.WEB, Domain.MARKETING]
        offer = ProviderOffer.objects.create(
            legal_unit=unit,
            summary=_offer_text(rng, domains),
            domains=domains,
            departements_served=rng.sample(
                departements, k=min(len(departements), rng.randint(0, 2))
            ),
            is_demo=True,
        )
        OfferReference.objects.bulk_create(
            OfferReference(
                offer=offer,
                title=f"{rng.choice(PHRASES[domain]).split(',')[0]} pour {rng.choice(CLIENTS)}",
                year=rng.randint(2014, 2019),
            )
            for domain in rng.sample(domains, k=min(len(domains), 2))
        )
    summary.add("offres démo", len(units))
    # Offers written in bulk, past the services: the directory's search is built again.
    directory_changed()
    summary.add("adresses de contact démo", contacts)


def _moment(rng: random.Random) -> datetime:
    start = datetime(2018, 1, 8, 9, 0)
    return timezone.make_aware(start + timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 8)))


def _needs(rng: random.Random, summary: Summary) -> None:
    communes = list(
        region_communes().select_related("departement").order_by("-population", "code")[:TOWNS]
    )
    if not communes:
        summary.add("besoins démo (aucune commune de la région chargée)", 0)
        return
    for i in range(36):
        domain, text = rng.choice(NEEDS)
        commune = rng.choice(communes)
        need = Need(
            text=text,
            domain=domain,
            budget=rng.choice(BudgetBand.values),
            commune=commune,
            departement_code=commune.departement.code,
            company_name=f"{rng.choice(BUSINESSES)} (démo)",
            is_creator=i % 7 == 0,
            contact_name="Contact de démonstration",
            contact_email=f"besoin{i}@exemple.demo.filiere.fr",
            is_demo=True,
        )
        need.save()
        posted = _moment(rng)
        Need.objects.filter(pk=need.pk).update(
            created_at=posted, confirmed_at=posted, status=NeedStatus.NEW
        )
        need.refresh_from_db()
        matches = services.suggestions_refresh(need=need)
        if _follow_up(rng, need, matches, posted):
            # The business found its provider and closed its need.
            services.need_close(need=need)
    summary.add("besoins démo", 36)


def _follow_up(rng, need: Need, matches: list[Match], posted: datetime) -> bool:
    """Some businesses contact providers, who answer; some contracts get signed (says whether
    one was)."""
    signed = False
    for match in matches[: rng.choice([0, 1, 1, 2, 3])]:
        answered = posted + timedelta(days=rng.randint(1, 10))
        accepted = rng.random() < 0.75
        fields = {
            "status": MatchStatus.ACCEPTED if accepted else MatchStatus.DECLINED,
            "requested_at": posted + timedelta(hours=2),
            "answered_at": answered,
        }
        if accepted:
            outcome = rng.choice(
                [Outcome.CONTACT_MADE, Outcome.QUOTE, Outcome.CONTRACT_SIGNED, Outcome.NO_DEAL]
            )
            fields.update(
                business_outcome=outcome,
                outcome_at=answered + timedelta(days=rng.randint(10, 60)),
                contract_amount_eur=Decimal(rng.randrange(1500, 40000, 500))
                if outcome == Outcome.CONTRACT_SIGNED
                else None,
            )
            signed = signed or outcome == Outcome.CONTRACT_SIGNED
        Match.objects.filter(pk=match.pk).update(**fields)
    return signed
