"""An event's life: created as a draft, published, edited (its history keeps each edit and,
once published, why), and, for a matchmaking event, its slots."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from filiere.accounts.enums import MailCategory
from filiere.accounts.models import Organisation
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.common import history
from filiere.common.refusals import Refused
from filiere.events import access
from filiere.events.enums import EventStatus, RegistrationStatus
from filiere.events.models import Event, Slot
from filiere.events.selectors import participants

# What an organiser edits; the kind and the organiser make another event, and stay.
EDITABLE = (
    "title",
    "action",
    "starts_at",
    "ends_at",
    "place",
    "description",
    "selection_criteria",
    "capacity",
    "registration_closes_on",
    "requires_approval",
    "auto_accept_requests",
    "max_meetings",
)
# The history's entry of a publication, in French like the records' other notes (a reason is
# the record's text, not the page's).
PUBLICATION = "Publication"


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
    selection_criteria: str = "",
    capacity: int | None = None,
    registration_closes_on: date | None = None,
    requires_approval: bool = True,
    auto_accept_requests: bool = False,
    max_meetings: int | None = None,
) -> Event:
    """A draft event of an organisation the user runs events for, under a free address:
    nobody else sees it until it is published."""
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
        selection_criteria=selection_criteria,
        capacity=capacity,
        registration_closes_on=registration_closes_on,
        requires_approval=requires_approval,
        auto_accept_requests=auto_accept_requests,
        max_meetings=max_meetings,
        status=EventStatus.DRAFT,
    )


@transaction.atomic
def event_publish(*, user, event: Event) -> Event:
    """The draft is listed and open to registration (until its deadline or its start)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    access.check_publish_event(user, event)
    event.status = EventStatus.PUBLISHED
    history.correct(event, reason=PUBLICATION, user=user, fields=["status"])
    return event


@transaction.atomic
def event_update(*, user, event: Event, reason: str = "", **changes) -> Event:
    """Edit the event until it is held. Once published, people have read it: each edit
    gives its reason, kept in the history with the earlier values."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    access.check_edit(user, event)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    reason = reason.strip()
    if not event.is_draft and not reason:
        raise Refused(
            "events.edit_reason",
            _("L'événement est publié : dites pourquoi il change."),
            field="reason",
        )
    before = {name: getattr(event, name) for name in ANNOUNCED}
    for name, value in changes.items():
        setattr(event, name, value)
    if event.ends_at < event.starts_at:
        raise Refused(
            "events.ends_before_start", _("La fin doit suivre le début."), field="ends_at"
        )
    approved = participants(event).count()
    if event.capacity is not None and event.capacity < approved:
        raise Refused(
            "events.capacity_below_approved",
            ngettext(
                "%(count)s participant est déjà inscrit : la capacité ne peut être moindre.",
                "%(count)s participants sont déjà inscrits : la capacité ne peut être moindre.",
                approved,
            )
            % {"count": approved},
            field="capacity",
        )
    history.correct(event, reason=reason, user=user)
    changed = [name for name in ANNOUNCED if getattr(event, name) != before[name]]
    if changed and not event.is_draft:
        _announce(event, reason)
    return event


STILL_COMING = (
    RegistrationStatus.APPROVED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
)
# What those registered must hear of when it changes: when and where.
ANNOUNCED = ("starts_at", "ends_at", "place")


def _announce(event: Event, reason: str) -> None:
    """Tell the people registered (approved, awaiting a decision or waiting for a seat) that
    the event's date or place changed, and why. An event nobody is registered to, or whose
    registrants all erased their accounts, has nobody to tell."""
    addresses = sorted(
        {
            registration.user.email
            for registration in event.registrations.filter(
                status__in=STILL_COMING, user__isnull=False
            ).select_related("user")
        }
    )
    if addresses:
        send_on_commit(
            addresses,
            subject=f"{event.title} : la date ou le lieu change",
            template="events/email/changed.txt",
            context={
                "event": event,
                "reason": reason,
                "link": absolute_url(reverse("events:detail", args=[event.slug])),
            },
            category=MailCategory.TRANSACTIONAL,
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
