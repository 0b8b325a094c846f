"""Each event is emitted by the real service path, to the organisations it concerns: a need
received, taken and closed (both kinds), to the offices it goes to; a registration approved,
to the organiser and the registrant's firm; a schedule published, to the organiser and the
participants' firms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.events.enums import RegistrationStatus
from filiere.events.models import Event
from filiere.events.services import events, requests, scheduling
from filiere.events.services.registrations import register, registration_decide
from filiere.needs.enums import NeedStatus
from filiere.needs.services import need_confirm, need_move_on, need_post, need_take
from filiere.support.enums import Subject, SupportStatus, TradeRegister
from filiere.support.services import (
    support_need_move_on,
    support_need_record,
    support_need_take,
)
from filiere.webhooks.enums import SUBSCRIBABLE
from filiere.webhooks.services import endpoint_create
from tests.factories import UserFactory


@pytest.fixture
def hooks(world, receiver):
    """Every event, to an endpoint of the CCI (covers everywhere), of the CMA (covers the
    Seine-Maritime only) and of the firm Atelier Pixel."""
    admin = UserFactory(is_superuser=True)
    for organisation in (world.cci, world.cma, world.pixel.organisation):
        endpoint_create(
            user=admin,
            organisation=organisation,
            url=f"{receiver.url}/{organisation.slug}",
            events=list(SUBSCRIBABLE),
        )
    return receiver


def told(receiver) -> list[tuple[str, str, dict]]:
    """(who, event, data) of each delivery received, in order."""
    return [
        (r.path.rsplit("/", 1)[1], r.headers["X-Filiere-Event"], r.json["data"])
        for r in receiver.received
    ]


def test_a_digitalisation_need_received_taken_and_closed(world, hooks):
    need = need_post(
        commune=world.caen,
        text="Une boutique en ligne pour nos fromages",
        domain="web",
        company_name="Fromagerie du Bessin",
        siret="",
        contact_name="Jeanne Lemoine",
        contact_email="jeanne@fromagerie.test",
    )
    assert hooks.received == []  # not received before its address is confirmed
    need_confirm(need=need)
    need_take(need=need, user=world.cci_adviser)
    need_move_on(need=need, user=world.cci_adviser, status=NeedStatus.DONE, note="Site lancé")

    sent = told(hooks)
    assert [(who, event) for who, event, _data in sent] == [
        ("cci", "need.received"),
        ("cci", "need.taken"),
        ("cci", "need.closed"),
    ]
    received, taken, closed = (data["need"] for _who, _event, data in sent)
    assert received["kind"] == "digitalisation"
    assert received["id"] == need.pk
    assert received["status"] == "new"
    assert received["topic"] == "web"
    assert received["departement"] == "14"
    assert received["link"].endswith(reverse("needs:adviser_detail", args=[need.pk]))
    assert (taken["status"], taken["taken_office"]) == ("taken", "cci")
    assert (closed["status"], closed["closed_at"] is not None) == ("done", True)
    # No person's details: only what the office's pages show of the business.
    body = " ".join(r.body for r in hooks.received)
    assert "Jeanne" not in body
    assert "jeanne@fromagerie.test" not in body


def test_a_support_need_received_taken_and_closed(world, hooks):
    need = support_need_record(
        unit=world.pixel,
        subject=Subject.FINANCE,
        description="Plan de financement pour recruter",
        register=TradeRegister.TRADE,
        user=world.coordinator,
        contact_name="Léa Dumont",
        contact_email="lea@pixel.test",
    )
    support_need_take(need=need, user=world.cci_adviser)
    support_need_move_on(need=need, user=world.cci_adviser, status=SupportStatus.DONE)

    sent = told(hooks)
    assert [(who, event) for who, event, _data in sent] == [
        ("cci", "need.received"),
        ("cci", "need.taken"),
        ("cci", "need.closed"),
    ]
    received, taken, closed = (data["need"] for _who, _event, data in sent)
    assert (received["kind"], received["id"], received["topic"]) == ("support", need.pk, "finance")
    assert (received["company"], received["siren"]) == ("Atelier Pixel", world.pixel.siren)
    assert received["link"].endswith(reverse("support:detail", args=[need.pk]))
    assert (taken["status"], taken["taken_office"]) == ("taken", "cci")
    assert closed["status"] == "done"
    assert "lea@pixel.test" not in " ".join(r.body for r in hooks.received)


def _event(world, **fields) -> Event:
    start = timezone.now() + timedelta(days=30)
    return Event.objects.create(
        **{
            "slug": "rdv-caen",
            "title": "Rendez-vous du numérique",
            "kind": "matchmaking",
            "organiser": world.cci,
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "place": "Caen",
            **fields,
        }
    )


def test_a_registration_approved_goes_to_the_organiser_and_the_firm(world, hooks):
    event = _event(world, requires_approval=True)
    registration = register(
        event=event, user=world.pixel_member, company="Atelier Pixel", legal_unit=world.pixel
    )
    assert hooks.received == []  # an application: nothing approved yet
    registration_decide(user=world.cci_adviser, registration=registration, approve=True)

    sent = told(hooks)
    assert sorted((who, event) for who, event, _data in sent) == [
        ("cci", "registration.approved"),
        ("pixel", "registration.approved"),
    ]
    data = sent[0][2]
    assert data["registration"] == {
        "id": registration.pk,
        "status": RegistrationStatus.APPROVED,
        "company": "Atelier Pixel",
        "siren": world.pixel.siren,
    }
    assert data["event"]["slug"] == "rdv-caen"
    assert data["event"]["link"].endswith("/evenements/rdv-caen/")


def test_a_schedule_published_goes_to_the_organiser_and_the_participants_firms(world, hooks):
    event = _event(world, requires_approval=False, auto_accept_requests=True)
    events.slots_generate(
        user=world.cci_adviser, event=event, first=event.starts_at, count=2, minutes=20, tables=1
    )
    pixel = register(
        event=event, user=world.pixel_member, company="Atelier Pixel", legal_unit=world.pixel
    )
    other = register(event=event, user=UserFactory(), company="Cidrerie du Pays d'Auge")
    requests.request_meeting(user=pixel.user, requester=pixel, target=other, priority=2)
    hooks.received.clear()  # the registrations approved at once
    scheduling.schedule_start(user=world.cci_adviser, event=event, seconds=5)
    published = scheduling.schedule_publish(user=world.cci_adviser, event=event)

    sent = told(hooks)
    assert sorted((who, event) for who, event, _data in sent) == [
        ("cci", "schedule.published"),
        ("pixel", "schedule.published"),
    ]
    data = sent[0][2]
    assert data["meetings_published"] == published == 1
    assert data["event"]["id"] == event.pk
    assert data["meetings_link"].endswith(reverse("events:meetings", args=["rdv-caen"]))
