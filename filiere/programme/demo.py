"""Deterministic demo data for a loaded scenario: budget, measurements, accounts.

Everything made here is generated (fixed seed), carries ``is_demo = True`` and
is shown with a « Démo » badge. It goes through the same services as user
input, so it obeys the same budget rules. It never touches the scenario's facts.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership, Organisation, User
from filiere.common.command import Summary
from filiere.programme import services
from filiere.programme.models import (
    Action,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Indicator,
    Measurement,
    Payment,
)

SEED = 2017
DEMO_PASSWORD = "filiere-demo-2017"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "officier@demo.filiere.fr",
        "Camille",
        "Lefèvre",
        "region-normandie",
        Role.PROGRAMME_OFFICER,
        is_superuser=True,
    ),
    DemoAccount("coordination@nwx.demo.filiere.fr", "Hugo", "Marchand", "nwx", Role.COORDINATOR),
    DemoAccount(
        "coordination@tes.demo.filiere.fr", "Inès", "Roussel", "pole-tes", Role.COORDINATOR
    ),
    DemoAccount(
        "coordination@frenchtech.demo.filiere.fr",
        "Chloé",
        "Vasseur",
        "normandy-french-tech",
        Role.COORDINATOR,
    ),
    DemoAccount("conseil@cci.demo.filiere.fr", "Louis", "Caron", "cci-normandie", Role.ADVISER),
    DemoAccount("conseil@cma.demo.filiere.fr", "Nora", "Benali", "cma-normandie", Role.ADVISER),
    DemoAccount("conseil@adn.demo.filiere.fr", "Paul", "Girard", "ad-normandie", Role.ADVISER),
    DemoAccount(
        "contact@atelier-pixel.demo.filiere.fr",
        "Léa",
        "Dumont",
        DEMO_COMPANY_SLUG,
        Role.COMPANY_MEMBER,
    ),
]

# Share of the contract budget per action, and of each action's envelope per year.
ACTION_SHARES = {
    "1.1": "0.14",
    "1.2": "0.12",
    "2.1": "0.14",
    "2.2": "0.14",
    "2.3": "0.10",
    "3.1": "0.12",
    "3.2": "0.08",
    "4.1": "0.08",
    "4.2": "0.08",
}
YEAR_SHARES = {2017: "0.2", 2018: "0.4", 2019: "0.4"}

# Action indicators with invented targets: demo only.
ACTION_INDICATORS = [
    ("1.1", "rencontres-offre-demande", "Rencontres offre / demande organisées", "rencontres", 24),
    ("1.2", "projets-collaboratifs-emerges", "Projets collaboratifs émergés", "projets", 15),
    (
        "2.1",
        "entreprises-accompagnees",
        "Entreprises du numérique accompagnées",
        "entreprises",
        120,
    ),
    ("3.1", "entreprises-salons", "Entreprises mobilisées sur les salons", "entreprises", 40),
    ("3.2", "pme-missions", "PME parties en mission de prospection", "PME", 20),
    ("4.1", "evenements-regionaux", "Événements régionaux organisés", "événements", 12),
    ("4.2", "innovations-valorisees", "Innovations valorisées", "innovations", 18),
]

# Demo trajectories of the strategy's commitments: (code, values at each half-year end).
# The closing figures (31 December 2019) are left for the users to record.
STRATEGY_MEASUREMENTS = {
    "couverture-thd": [38, 44, 51, 57],
    "lycees-fibre": [72, 96, 100, 100],
    "membres-communotic": [410, 480, 560, 650],
}
HALF_YEARS = [date(2017, 12, 31), date(2018, 6, 30), date(2018, 12, 31), date(2019, 6, 30)]


def demo_is_loaded(contract: Contract) -> bool:
    return BudgetAllocation.objects.filter(action__axis__contract=contract, is_demo=True).exists()


@transaction.atomic
def demo_clear(*, contract: Contract, summary: Summary) -> None:
    summary.add(
        "paiements démo supprimés",
        Payment.objects.filter(commitment__action__axis__contract=contract, is_demo=True).delete()[
            0
        ],
    )
    summary.add(
        "engagements démo supprimés",
        BudgetCommitment.objects.filter(action__axis__contract=contract, is_demo=True).delete()[0],
    )
    BudgetAllocation.objects.filter(action__axis__contract=contract, is_demo=True).delete()
    Measurement.objects.filter(indicator__contract=contract, is_demo=True).delete()
    Indicator.objects.filter(contract=contract, is_demo=True).delete()


def _money(value: Decimal) -> Decimal:
    return (value / 100).quantize(Decimal("1"), rounding=ROUND_DOWN) * 100


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


@transaction.atomic
def demo_load(*, contract: Contract, summary: Summary) -> None:
    rng = random.Random(SEED)
    _accounts(summary)
    actions = {
        a.code: a
        for a in Action.objects.filter(axis__contract=contract).select_related(
            "axis", "coordinator"
        )
    }
    _budget(rng, contract, actions, summary)
    _indicators(rng, contract, actions, summary)


def _accounts(summary: Summary) -> None:
    Organisation.objects.get_or_create(
        slug=DEMO_COMPANY_SLUG,
        defaults={
            "name": "Atelier Pixel (démo)",
            "kind": OrganisationKind.COMPANY,
            "is_demo": True,
            "description": "Entreprise fictive de démonstration.",
        },
    )
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                is_staff=account.is_superuser,
                is_superuser=account.is_superuser,
            )
            summary.add("comptes démo créés")
        # Each demo account runs its organisation's team: it shows the invitations.
        Membership.objects.update_or_create(
            user=user,
            organisation=Organisation.objects.get(slug=account.organisation),
            role=account.role,
            defaults={"is_admin": True},
        )


def _budget(rng, contract: Contract, actions: dict[str, Action], summary: Summary) -> None:
    planned = {
        (code, year): _money(contract.budget_eur * Decimal(share) * Decimal(year_share))
        for code, share in ACTION_SHARES.items()
        for year, year_share in YEAR_SHARES.items()
    }
    # Rounding leaves a few hundred euros: the last envelope takes them.
    last = max(planned)
    planned[last] += contract.budget_eur - sum(planned.values())
    for (code, year), amount in sorted(planned.items()):
        services.allocation_set(action=actions[code], year=year, amount_eur=amount, is_demo=True)
        summary.add("enveloppes démo")

    beneficiaries = {o.slug: o for o in Organisation.objects.filter(is_demo=False)}
    for (code, year), allocated in sorted(planned.items()):
        action = actions[code]
        beneficiary = action.coordinator or beneficiaries["normandy-french-tech"]
        share = Decimal(str(rng.uniform(0.7, 0.97)))
        remaining = _money(allocated * share)
        start = max(date(year, 1, 15), contract.signed_on + timedelta(days=1))
        parts = rng.randint(1, 3)
        for part in range(parts):
            amount = remaining if part == parts - 1 else _money(remaining / (parts - part))
            if amount <= 0:
                continue
            remaining -= amount
            committed_on = _day_in(rng, start, date(year, 11, 30))
            commitment = services.commitment_create(
                action=action,
                year=year,
                beneficiary=beneficiary,
                label=f"Convention {year} — {action.title[:60]} (tranche {part + 1})",
                amount_eur=amount,
                committed_on=committed_on,
                is_demo=True,
            )
            summary.add("engagements démo")
            _payments(rng, commitment, summary)


def _payments(rng, commitment: BudgetCommitment, summary: Summary) -> None:
    # Older commitments are mostly paid; the 2019 ones partly, as at the contract's close.
    paid_share = Decimal("1") if commitment.year < 2019 else Decimal(str(rng.uniform(0.3, 0.8)))
    first = _money(commitment.amount_eur * paid_share * Decimal("0.5"))
    second = _money(commitment.amount_eur * paid_share) - first
    paid_on = commitment.committed_on
    for amount in (first, second):
        if amount <= 0:
            continue
        paid_on = min(paid_on + timedelta(days=rng.randint(30, 150)), date(2020, 6, 30))
        services.payment_create(
            commitment=commitment, paid_on=paid_on, amount_eur=amount, is_demo=True
        )
        summary.add("paiements démo")


def _indicators(rng, contract: Contract, actions: dict[str, Action], summary: Summary) -> None:
    for code, slug, name, unit, target in ACTION_INDICATORS:
        indicator = Indicator.objects.create(
            contract=contract,
            code=slug,
            name=name,
            unit=unit,
            action=actions[code],
            baseline_value=Decimal("0"),
            baseline_date=contract.signed_on,
            target_value=Decimal(target),
            deadline=contract.end_date,
            is_demo=True,
            description="Indicateur de démonstration : cible et mesures générées.",
        )
        summary.add("indicateurs démo")
        # Some actions reach their target, some fall short: a realistic spread.
        pace = rng.uniform(0.55, 1.1)
        for position, on in enumerate(HALF_YEARS, start=1):
            value = round(target * pace * position / (len(HALF_YEARS) + 1))
            _measure(indicator, on, Decimal(value), summary)

    indicators = {i.code: i for i in Indicator.objects.filter(contract=contract, is_demo=False)}
    for code, values in STRATEGY_MEASUREMENTS.items():
        for on, value in zip(HALF_YEARS, values, strict=True):
            _measure(indicators[code], on, Decimal(value), summary)


def _measure(indicator: Indicator, on: date, value: Decimal, summary: Summary) -> None:
    services.measurement_record(
        indicator=indicator,
        measured_on=on,
        value=value,
        comment="Mesure de démonstration",
        is_demo=True,
    )
    summary.add("mesures démo")
