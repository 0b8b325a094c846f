from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify

from filiere.directory.enums import LabelKind, LabelRequestStatus
from filiere.directory.models import Label, LabelRequest
from filiere.events.enums import EventKind
from filiere.events.models import Event

# The browser's fixtures, for the showcase's browser tests (test_browser.py).
from tests.browser.conftest import login, open_page, page, scenario  # noqa: F401
from tests.worlds import innovation_world


@pytest.fixture
def iw(db, on_commit_at_once):
    return innovation_world()


@pytest.fixture
def grant(iw):
    """A label granted to a firm, as its granting body decides it."""

    def granted(unit, *, name="Membre du Pôle TES", slug="membre-pole-tes", days_ago=10):
        label, _ = Label.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": LabelKind.CLUSTER, "granted_by": iw.tes}
        )
        now = timezone.now()
        return LabelRequest.objects.create(
            legal_unit=unit,
            label=label,
            status=LabelRequestStatus.GRANTED,
            requested_at=now - timedelta(days=days_ago + 5),
            decided_at=now - timedelta(days=days_ago),
        )

    return granted


@pytest.fixture
def event(iw):
    """A published event of the contract, ``days`` from now (negative: held)."""

    def made(title: str, *, days: int, slug: str | None = None):
        starts = timezone.now() + timedelta(days=days)
        return Event.objects.create(
            slug=slug or slugify(title),
            title=title,
            kind=EventKind.MATCHMAKING,
            organiser=iw.tes,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="Caen",
        )

    return made
