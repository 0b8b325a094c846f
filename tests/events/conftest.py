from datetime import datetime

import pytest
from django.utils import timezone

from filiere.events.models import Event
from filiere.events.services import events


@pytest.fixture(autouse=True)
def _mails(on_commit_at_once):
    """Mails are sent on commit; a test's transaction never commits."""


def moment(hour: int, minute: int = 0) -> datetime:
    """A time of the morning of the events' tests."""
    return timezone.make_aware(datetime(2026, 12, 10, hour, minute))


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
