"""Requests at the same moment: four registrations of one person, one form sent four times,
give one row and answers that say so, never a 500."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from filiere.accounts.enums import Role
from filiere.events.models import Event
from tests.factories import OrganisationFactory, member


@pytest.fixture
def open_event(transactional_db):
    organiser = OrganisationFactory(slug="cci", name="CCI")
    member(organiser, Role.ADVISER)
    return Event.objects.create(
        slug="rdv",
        title="Rendez-vous",
        kind="promotion",
        organiser=organiser,
        starts_at=timezone.make_aware(datetime(2030, 1, 10, 9)),
        ends_at=timezone.make_aware(datetime(2030, 1, 10, 12)),
        place="Caen",
        requires_approval=False,
    )


def at_once(posts: list[dict], user) -> list[int]:
    def send(data):
        client = Client()
        client.force_login(user)
        try:
            return client.post("/evenements/rdv/inscription/", data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(send, posts))


@pytest.mark.parametrize("same_form", [True, False], ids=["one form four times", "four tabs"])
def test_four_registrations_at_once_give_one(open_event, same_form):
    person = member(OrganisationFactory(), Role.COMPANY_MEMBER)
    token = uuid.uuid4().hex
    posts = [
        {"company": "Atelier", "form_token": token if same_form else uuid.uuid4().hex}
        for _ in range(4)
    ]
    statuses = at_once(posts, person)
    assert open_event.registrations.count() == 1
    assert 500 not in statuses
    assert sorted(statuses)[0] == 302
