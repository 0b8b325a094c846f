"""Default routing rules and demo support needs.

The rules follow the contract's division of work (NWX identifies the digital
firms' needs and brings in the partners; AD Normandie and the Region finance;
the chambers support trade and craft firms; Pôle TES funds innovation and
hosts firms in its residences). They are a starting point that programme
officers edit on the rules page. The needs are generated (fixed seed, ``is_demo``).
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, Organisation, User
from filiere.accounts.notifications import notifications_muted
from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.support import services
from filiere.support.enums import CLOSING_STATUSES, Subject, SupportStatus, TradeRegister
from filiere.support.models import RoutingRule, SupportNeed

SEED = 2018

DEFAULT_RULES = [
    (Subject.FINANCE, "", "ad-normandie"),
    (Subject.FINANCE, TradeRegister.TRADE, "cci-normandie"),
    (Subject.FINANCE, TradeRegister.CRAFT, "cma-normandie"),
    (Subject.EXPORT, TradeRegister.TRADE, "cci-normandie"),
    (Subject.EXPORT, TradeRegister.CRAFT, "cma-normandie"),
    (Subject.EXPORT, "", "nwx"),
    (Subject.SKILLS, "", "nwx"),
    (Subject.SKILLS, TradeRegister.CRAFT, "cma-normandie"),
    (Subject.INNOVATION_FUNDING, "", "ad-normandie"),
    (Subject.INNOVATION_FUNDING, "", "pole-tes"),
    (Subject.PREMISES, "", "pole-tes"),
]

DESCRIPTIONS = {
    Subject.FINANCE: "Levée de fonds de 300 k€ pour recruter deux développeurs ; besoin d'aide "
    "pour le plan de financement et les prêts d'honneur.",
    Subject.EXPORT: "Premier salon à l'étranger envisagé : cibler un pays, trouver des "
    "distributeurs, financer le déplacement.",
    Subject.SKILLS: "Difficultés à recruter des profils DevOps ; réfléchir aux compétences à "
    "trois ans et aux formations.",
    Subject.INNOVATION_FUNDING: "Projet de plateforme de télésurveillance agricole : quelles "
    "aides à l'innovation et quel montage ?",
    Subject.PREMISES: "Recherche de bureaux pour six personnes près d'un tiers-lieu ou dans une "
    "résidence thématique.",
}


@transaction.atomic
def rules_install(summary: Summary) -> None:
    offices = {
        o.slug: o for o in Organisation.objects.filter(slug__in={r[2] for r in DEFAULT_RULES})
    }
    for subject, register, slug in DEFAULT_RULES:
        if slug not in offices:
            continue
        _rule, created = RoutingRule.objects.get_or_create(
            subject=subject,
            register=register,
            departement="",
            size="",
            naf_prefix="",
            office=offices[slug],
        )
        summary.add("règles d'orientation créées", int(created))


def demo_is_loaded() -> bool:
    return SupportNeed.objects.filter(is_demo=True).exists()


def demo_clear(summary: Summary) -> None:
    summary.add("besoins démo supprimés", SupportNeed.objects.filter(is_demo=True).delete()[0])


@transaction.atomic
def demo_load(summary: Summary) -> None:
    with notifications_muted():
        _generate(summary)


def _generate(summary: Summary) -> None:
    rng = random.Random(SEED)
    coordinator = User.objects.filter(email="coordination@nwx.demo.filiere.fr").first()
    units = list(
        LegalUnit.objects.filter(is_demo=True, status="A", offer__isnull=False).order_by("siren")[
            :20
        ]
    )
    for unit in units:
        subject = rng.choice(Subject.values)
        created = timezone.make_aware(
            datetime(2018, 2, 1, 10) + timedelta(days=rng.randint(0, 650))
        )
        need = services.support_need_record(
            unit=unit,
            subject=subject,
            description=DESCRIPTIONS[subject],
            register=TradeRegister.TRADE,
            user=coordinator,
            now=created,
        )
        need.is_demo = True
        need.save(update_fields=["is_demo"])
        adviser = (
            Membership.objects.active()
            .filter(role=Role.ADVISER, organisation__in=need.offices.all())
            .select_related("user")
            .order_by("organisation__name", "pk")
            .first()
        )
        if adviser is None or rng.random() < 0.2:
            continue
        taken = created + timedelta(days=rng.randint(1, 6))
        services.support_need_take(need=need, user=adviser.user, now=taken)
        if rng.random() < 0.7:
            status = rng.choice([*CLOSING_STATUSES, SupportStatus.DONE, SupportStatus.DONE])
            services.support_need_move_on(
                need=need,
                user=adviser.user,
                status=status,
                now=taken + timedelta(days=rng.randint(5, 60)),
            )
            need.refresh_from_db()
            if rng.random() < 0.6:
                services.satisfaction_record(
                    need=need, rating=rng.choice([3, 4, 4, 5, 5]), comment="", now=need.closed_at
                )
    summary.add("besoins d'accompagnement démo", len(units))
