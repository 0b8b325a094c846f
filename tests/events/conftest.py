from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from filiere.events.models import Event
from filiere.events.services import events

# The day of the events' tests: a month ahead, so that their registrations are open (they
# close by the clock, at the deadline or the start).
DAY = timezone.localdate() + timedelta(days=30)


def moment(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """A time of the morning of the events' tests (``days`` after it)."""
    day = DAY + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def event(world):
    """The CCI's matchmaking morning: two seats, three slots of one table."""
    event = Event.objects.create(
        slug="rdv-caen",
        title="Rendez-vous du numérique",
        kind="matchmaking",
        organiser=world.cci,
        starts_at=moment(9),
        ends_at=moment(12),
        place="Caen",
        capacity=2,
        requires_approval=False,
    )
    events.slots_generate(
        user=world.cci_adviser, event=event, first=moment(9), count=3, minutes=20, tables=1
    )
    return event
