"""Demo events of the Normandy contract (fixed seed, ``is_demo``).

The shows are the contract's own (CES Las Vegas 9–12 January 2018, Vivatech
Paris 24–26 May 2018, prospecting missions to San Francisco and New York); the
firms, people, dates of the missions and of the matchmaking meeting are
generated. The matchmaking meeting goes through the real services: requests,
the scheduler, publication.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from filiere.accounts.enums import PARTNER_ROLES
from filiere.accounts.models import Membership, Organisation, User
from filiere.accounts.notifications import notifications_muted
from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.events.enums import EventKind, RegistrationStatus
from filiere.events.models import Event
from filiere.events.services import events, registrations, requests, scheduling
from filiere.programme.models import Action

SEED = 2019
CONTRACT = "normandie-numerique-2017"

SHOWS = [
    (
        "ces-las-vegas-2018",
        "CES Las Vegas 2018 — pavillon Normandie",
        EventKind.TRADE_SHOW,
        "nwx",
        "3.1",
        datetime(2018, 1, 9, 9),
        datetime(2018, 1, 12, 18),
        "Las Vegas (États-Unis)",
    ),
    (
        "vivatech-2018",
        "Vivatech 2018 — stand régional",
        EventKind.TRADE_SHOW,
        "nwx",
        "3.1",
        datetime(2018, 5, 24, 9),
        datetime(2018, 5, 26, 18),
        "Paris, Porte de Versailles",
    ),
    (
        "mission-san-francisco-2018",
        "Mission de prospection à San Francisco",
        EventKind.MISSION,
        "nwx",
        "3.2",
        datetime(2018, 10, 15, 9),
        datetime(2018, 10, 19, 18),
        "San Francisco (États-Unis)",
    ),
    (
        "mission-new-york-2019",
        "Mission de prospection à New York",
        EventKind.MISSION,
        "nwx",
        "3.2",
        datetime(2019, 4, 8, 9),
        datetime(2019, 4, 12, 18),
        "New York (États-Unis)",
    ),
]


def demo_is_loaded() -> bool:
    return Event.objects.filter(is_demo=True).exists()


def demo_clear(summary: Summary) -> None:
    summary.add("événements démo supprimés", Event.objects.filter(is_demo=True).delete()[0])


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def _organiser(organisation: Organisation) -> User | None:
    """A partner of the organisation, who runs its events through the pages' services."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role__in=PARTNER_ROLES)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _while_open(event: Event):
    """The demo's events took place years ago: firms registered a month before each one,
    while it was open."""
    return event.starts_at - timedelta(days=30)


def _people(units) -> list[User]:
    people = []
    for i, _unit in enumerate(units):
        user, created = User.objects.get_or_create(
            email=f"participant{i}@exemple.demo.filiere.fr",
            defaults={"first_name": "Participant", "last_name": f"démo {i}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people


@transaction.atomic
def demo_load(summary: Summary) -> None:
    with notifications_muted():
        _generate(summary)


def _generate(summary: Summary) -> None:
    rng = random.Random(SEED)
    actions = {a.code: a for a in Action.objects.filter(axis__contract__slug=CONTRACT)}
    organisers = {
        o.slug: (o, _organiser(o))
        for o in Organisation.objects.filter(slug__in={"nwx", "cci-normandie"})
    }
    if len(organisers) < 2 or not all(user for _o, user in organisers.values()):
        return
    units = list(
        LegalUnit.objects.filter(is_demo=True, offer__isnull=False)
        .select_related("offer")
        .order_by("siren")[:24]
    )
    people = _people(units)
    for slug, title, kind, organiser_slug, action, starts, ends, place in SHOWS:
        organiser, organiser_user = organisers[organiser_slug]
        event = Event.objects.create(
            slug=slug,
            title=title,
            kind=kind,
            organiser=organiser,
            action=actions.get(action),
            starts_at=_aware(starts),
            ends_at=_aware(ends),
            place=place,
            capacity=8,
            is_demo=True,
            selection_criteria="Produit ou service prêt pour l'international, capacité à "
            "suivre les contacts après le salon.",
        )
        for unit, user in rng.sample(list(zip(units, people, strict=True)), 10):
            registration = registrations.register(
                event=event,
                user=user,
                company=unit.name,
                motivation=f"Rencontrer des distributeurs pour : {unit.offer.summary}",
                legal_unit=unit,
                now=_while_open(event),
            )
            registrations.registration_decide(
                user=organiser_user,
                registration=registration,
                approve=rng.random() < 0.8,
                cost_share_eur=Decimal(rng.choice([1500, 2500, 3500])),
            )
    _matchmaking(rng, actions, organisers, units, people)
    summary.add("événements démo", len(SHOWS) + 1)


def _matchmaking(rng, actions, organisers, units, people) -> None:
    start = _aware(datetime(2019, 3, 21, 9))
    organiser, organiser_user = organisers["cci-normandie"]
    event = Event.objects.create(
        slug="rencontres-numerique-caen-2019",
        title="Rencontres du numérique — entreprises et prestataires (Caen)",
        kind=EventKind.MATCHMAKING,
        organiser=organiser,
        action=actions.get("1.1"),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="CCI Caen Normandie",
        requires_approval=False,
        auto_accept_requests=True,
        max_meetings=6,
        is_demo=True,
    )
    events.slots_generate(
        user=organiser_user, event=event, first=start, count=8, minutes=20, tables=6
    )
    registered = [
        registrations.register(
            event=event,
            user=user,
            company=unit.name,
            offer=unit.offer.summary,
            seek=rng.choice(
                [
                    "site web et boutique en ligne",
                    "logiciel de gestion",
                    "cybersécurité",
                    "hébergement cloud",
                ]
            ),
            legal_unit=unit,
            now=_while_open(event),
        )
        for unit, user in zip(units, people, strict=True)
    ]
    approved = [r for r in registered if r.status == RegistrationStatus.APPROVED]
    for registration in approved:
        for target in rng.sample(approved, 4):
            if target.pk != registration.pk:
                requests.request_meeting(
                    user=registration.user,
                    requester=registration,
                    target=target,
                    priority=rng.choice([3, 2, 2, 1]),
                )
    scheduling.schedule_start(user=organiser_user, event=event, seconds=5, background=False)
    scheduling.schedule_publish(user=organiser_user, event=event)
