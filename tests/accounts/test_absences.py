"""Absences and stand-ins: an adviser away names a colleague of the same office, who receives
the needs routed to the adviser meanwhile; the need's history says so."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import Role
from filiere.accounts.models import Absence
from filiere.accounts.selectors import present_or_standing_in
from filiere.needs.services import escalate
from filiere.support.enums import Subject, TradeRegister
from filiere.support.models import SupportNeed
from tests.factories import member
from tests.needs.test_needs import post_and_confirm

pytestmark = pytest.mark.django_db


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', page).group(1)


def record_absence(client, world, *, starts_on, ends_on, stand_in):
    page = client.get(reverse("accounts:absences")).content.decode()
    return client.post(
        reverse("accounts:absences"),
        {
            "form_token": form_token(page),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "stand_in": f"{world.cci.pk}-{stand_in.pk}",
        },
    )


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_an_absent_advisers_new_need_goes_to_the_stand_in_and_the_history_says_so(client, world):
    today = timezone.localdate()
    client.force_login(world.cci_adviser)
    assert "Mes absences" in client.get(reverse("accounts:account")).content.decode()
    response = record_absence(
        client,
        world,
        starts_on=today,
        ends_on=today + timedelta(days=4),
        stand_in=world.cci_manager,
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:absences")).content.decode()
    assert "remplacé·e par" in page
    client.logout()

    need = post_and_confirm(client)
    assert to("conseil@cci.test") == []
    [told] = to("direction@cci.test")
    assert "Nouveau besoin numérique : Cidrerie du Bocage" in told.subject

    client.force_login(world.cci_manager)
    page = client.get(reverse("needs:adviser_detail", args=[need.pk])).content.decode()
    assert f"{world.cci_adviser} absent·e jusqu&#x27;au" in page
    assert f"remplacé·e par {world.cci_manager}" in page


def test_a_routed_support_need_goes_to_the_stand_in_and_its_history_says_so(client, world):
    today = timezone.localdate()
    Absence.objects.create(
        user=world.cci_adviser,
        organisation=world.cci,
        stand_in=world.cci_manager,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
    )
    client.force_login(world.coordinator)
    response = client.post(
        "/accompagnement/nouveau/",
        {
            "siren": world.pixel.siren,
            "subject": Subject.FINANCE,
            "description": "Levée de fonds",
            "register": TradeRegister.TRADE,
            "contact_name": "Léa Martin",
            "contact_email": "lea@pixel.test",
            "contact_phone": "02 31 00 00 00",
        },
        follow=True,
    )
    assert SupportNeed.objects.get().offices.get() == world.cci
    assert to("conseil@cci.test") == []
    assert len(to("direction@cci.test")) == 1
    page = response.content.decode()
    assert "remplacé·e par" in page
    assert str(world.cci_adviser) in page


def test_an_absence_over_or_to_come_changes_nothing(client, world):
    today = timezone.localdate()
    Absence.objects.create(
        user=world.cci_adviser,
        organisation=world.cci,
        stand_in=world.cci_manager,
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=6),
    )
    post_and_confirm(client)
    assert len(to("conseil@cci.test")) == 1
    assert to("direction@cci.test") == []


def test_a_stand_in_away_too_hands_on_to_their_own_and_a_loop_stops(world):
    today = timezone.localdate()
    second = member(world.cci, Role.ADVISER, email="second@cci.test")
    for away, stand_in in [(world.cci_adviser, second), (second, world.cci_manager)]:
        Absence.objects.create(
            user=away, organisation=world.cci, stand_in=stand_in, starts_on=today, ends_on=today
        )
    present = present_or_standing_in([world.cci_adviser, second], today)
    assert present.emails == ["direction@cci.test"]
    Absence.objects.create(
        user=world.cci_manager,
        organisation=world.cci,
        stand_in=world.cci_adviser,
        starts_on=today,
        ends_on=today,
    )
    # Everybody away for each other: the last of the chain receives it all the same.
    assert len(present_or_standing_in([world.cci_adviser], today).emails) == 1


def test_the_stand_in_is_a_colleague_of_the_same_office_and_absences_do_not_overlap(client, world):
    today = timezone.localdate()
    client.force_login(world.cci_adviser)
    page = client.get(reverse("accounts:absences")).content.decode()
    assert str(world.cci_manager) in page
    assert str(world.cma_adviser) not in page
    response = client.post(
        reverse("accounts:absences"),
        {
            "form_token": form_token(page),
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "stand_in": f"{world.cma.pk}-{world.cma_adviser.pk}",
        },
    )
    assert response.status_code == 422
    response = record_absence(
        client,
        world,
        starts_on=today,
        ends_on=today - timedelta(days=1),
        stand_in=world.cci_manager,
    )
    assert response.status_code == 422
    assert "finir après son début" in response.content.decode()
    assert not Absence.objects.exists()

    record_absence(client, world, starts_on=today, ends_on=today, stand_in=world.cci_manager)
    response = record_absence(
        client, world, starts_on=today, ends_on=today + timedelta(1), stand_in=world.cci_manager
    )
    assert response.status_code == 422
    assert Absence.objects.count() == 1

    absence = Absence.objects.get()
    client.force_login(world.cci_manager)
    assert client.post(reverse("accounts:absence_delete", args=[absence.pk])).status_code == 404
    client.force_login(world.cci_adviser)
    client.post(reverse("accounts:absence_delete", args=[absence.pk]))
    assert not Absence.objects.exists()


def test_a_firms_member_has_no_absences_to_record(client, world):
    client.force_login(world.pixel_member)
    assert client.get(reverse("accounts:absences")).status_code == 403
    assert "Mes absences" not in client.get(reverse("accounts:account")).content.decode()


def test_reminders_of_a_need_go_to_the_stand_in_of_the_day(client, world):
    post_and_confirm(client)
    assert len(to("conseil@cci.test")) == 1
    in_a_week = timezone.now() + timedelta(days=7, hours=1)
    Absence.objects.create(
        user=world.cci_adviser,
        organisation=world.cci,
        stand_in=world.cci_manager,
        starts_on=timezone.localdate(in_a_week),
        ends_on=timezone.localdate(in_a_week),
    )
    escalate(now=in_a_week)
    [reminder] = to("direction@cci.test")
    assert reminder.subject.startswith("[Filière] Relance (7 jours")
    assert len(to("conseil@cci.test")) == 1
