"""An event's creation and, for a matchmaking event, its slots."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.text import slugify

from filiere.accounts.models import Organisation
from filiere.events import access
from filiere.events.models import Event, Slot


def _free_slug(title: str) -> str:
    """The title as an identifier for the address, numbered after those already taken."""
    base = slugify(title)[:70] or "evenement"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def event_create(
    *,
    user,
    title: str,
    kind: str,
    organiser: Organisation,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    action=None,
    description: str = "",
    capacity: int | None = None,
    registration_closes_on=None,
    requires_approval: bool = True,
    auto_accept_requests: bool = False,
    max_meetings: int | None = None,
) -> Event:
    """An event of an organisation the user runs events for, under a free address."""
    access.check_create_event(user, organiser)
    return Event.objects.create(
        slug=_free_slug(title),
        title=title,
        kind=kind,
        organiser=organiser,
        action=action,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description,
        capacity=capacity,
        registration_closes_on=registration_closes_on,
        requires_approval=requires_approval,
        auto_accept_requests=auto_accept_requests,
        max_meetings=max_meetings,
    )


def slots_generate(
    *, user, event: Event, first: datetime, count: int, minutes: int, tables: int
) -> list[Slot]:
    """``count`` slots of ``minutes`` each from ``first``, with ``tables`` tables."""
    access.check_plan(user, event)
    made = []
    for k in range(count):
        start = first + timedelta(minutes=minutes * k)
        made.append(
            Slot(
                event=event,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                tables=tables,
            )
        )
    return Slot.objects.bulk_create(made)
