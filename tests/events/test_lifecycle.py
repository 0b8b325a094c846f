"""An event's life: a draft only its organisers see, published, closed to registration by the
clock (its deadline, its start), held once over; edited until then, each edit after its
publication kept in its history with its reason."""

import html
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from filiere.common.refusals import Refused
from filiere.events.enums import EventPhase, EventStatus, RegistrationStatus
from filiere.events.models import Event
from filiere.events.services import events, registrations
from tests.events.conftest import DAY, moment
from tests.factories import UserFactory


def new_event(**changes) -> dict:
    return {
        "title": "Webinaire cybersécurité",
        "kind": "webinar",
        "starts_at": f"{DAY:%Y-%m-%d}T09:00",
        "ends_at": f"{DAY:%Y-%m-%d}T10:00",
        "place": "En ligne",
        "requires_approval": "on",
        **changes,
    }


def page(client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def test_an_organisers_new_event_is_a_draft_until_they_publish_it(client, world):
    client.force_login(world.cci_adviser)
    client.post("/evenements/nouveau/", new_event(organiser=world.cci.pk))
    event = Event.objects.get()
    assert event.status == EventStatus.DRAFT
    url = f"/evenements/{event.slug}/"
    # Its organisers see it, in the list too, as a draft.
    assert "Webinaire cybersécurité" in page(client, "/evenements/")
    assert "Publier l'événement" in page(client, url)
    # The organisation page, where the organiser lands once it is created, publishes it too.
    assert f'action="/evenements/{event.slug}/publier/"' in page(client, f"{url}organisation/")
    # Nobody else: not listed, not shown, not open to registration.
    client.logout()
    assert "Webinaire cybersécurité" not in page(client, "/evenements/")
    assert client.get(url).status_code == 404
    client.force_login(world.pixel_member)
    assert "Webinaire cybersécurité" not in page(client, "/evenements/")
    assert client.get(url).status_code == 404
    assert client.post(f"{url}inscription/", {"company": "Atelier Pixel"}).status_code == 404
    with pytest.raises(Refused) as refused:
        registrations.register(event=event, user=world.pixel_member, company="Atelier Pixel")
    assert refused.value.rule == "events.registration_draft"
    # Another office's partner does not publish it.
    client.force_login(world.cma_adviser)
    assert client.post(f"{url}publier/").status_code == 404

    client.force_login(world.cci_adviser)
    client.post(f"{url}publier/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert "Publier l'événement" not in page(client, url)
    client.force_login(world.pixel_member)
    assert "Webinaire cybersécurité" in page(client, "/evenements/")
    client.post(f"{url}inscription/", {"company": "Atelier Pixel"})
    assert event.registrations.get().status == RegistrationStatus.PENDING


def test_registrations_close_by_the_clock_at_the_deadline_and_at_the_start(client, event, world):
    event.registration_closes_on = DAY - timedelta(days=10)
    event.save()
    deadline = timezone.make_aware(
        datetime.combine(event.registration_closes_on, datetime.min.time())
    )
    # Open through the deadline's day, closed the day after; closed once begun; held after.
    assert event.phase(deadline + timedelta(hours=23)) == EventPhase.OPEN
    assert event.phase(deadline + timedelta(days=1)) == EventPhase.CLOSED
    event.registration_closes_on = None
    assert event.phase(moment(8, 59)) == EventPhase.OPEN
    assert event.phase(moment(9)) == EventPhase.CLOSED
    assert event.phase(moment(12)) == EventPhase.HELD
    # The registration service reads the same rule.
    with pytest.raises(Refused) as refused:
        registrations.register(
            event=event, user=world.pixel_member, company="Atelier Pixel", now=moment(10)
        )
    assert refused.value.rule == "events.registration_closed"

    # Today's clock: the deadline passed yesterday, and nothing had to close it.
    Event.objects.filter(pk=event.pk).update(
        registration_closes_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(world.pixel_member)
    shown = page(client, "/evenements/rdv-caen/")
    assert "M'inscrire" not in shown
    assert "Inscriptions closes" in shown
    response = client.post("/evenements/rdv-caen/inscription/", {"company": "Atelier Pixel"})
    assert response.status_code == 409
    assert not event.registrations.exists()

    # An event under way: no deadline, but it has begun.
    Event.objects.filter(pk=event.pk).update(
        registration_closes_on=None,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    assert client.post("/evenements/rdv-caen/inscription/", {"company": "A"}).status_code == 409
    assert not event.registrations.exists()


def test_a_past_event_of_2019_refuses_registrations(client, world):
    Event.objects.create(
        slug="mission-new-york-2019",
        title="Mission de prospection à New York",
        kind="mission",
        organiser=world.nwx,
        starts_at=timezone.make_aware(datetime(2019, 4, 8, 9)),
        ends_at=timezone.make_aware(datetime(2019, 4, 12, 18)),
        place="New York (États-Unis)",
        is_demo=True,
    )
    client.force_login(world.pixel_member)
    shown = page(client, "/evenements/mission-new-york-2019/")
    assert "Terminé" in shown
    assert "M'inscrire" not in shown
    response = client.post(
        "/evenements/mission-new-york-2019/inscription/",
        {"company": "Atelier Pixel", "motivation": "Trouver un distributeur"},
    )
    assert response.status_code == 409
    assert not Event.objects.get().registrations.exists()
    assert "Terminé" in page(client, "/evenements/")


def test_the_organiser_edits_the_event_and_its_history_keeps_why(client, world):
    client.force_login(world.cci_adviser)
    client.post("/evenements/nouveau/", new_event(organiser=world.cci.pk))
    event = Event.objects.get()
    edit = f"/evenements/{event.slug}/modifier/"
    # A draft is edited freely: nobody has read it yet.
    assert "Motif de la modification" not in page(client, edit)
    client.post(edit, new_event(place="Visioconférence"))
    event.refresh_from_db()
    assert event.place == "Visioconférence"
    client.post(f"/evenements/{event.slug}/publier/")

    # Published: the edit says why, or is not made.
    response = client.post(edit, new_event(place="CCI Caen Normandie", capacity="30"))
    assert response.status_code == 422
    assert "Motif de la modification" in response.content.decode()
    event.refresh_from_db()
    assert event.place == "Visioconférence"
    with pytest.raises(Refused) as refused:
        events.event_update(user=world.cci_adviser, event=event, place="Ailleurs", reason=" ")
    assert (refused.value.rule, refused.value.field) == ("events.edit_reason", "reason")
    client.post(
        edit,
        new_event(
            place="CCI Caen Normandie",
            capacity="30",
            registration_closes_on=f"{DAY - timedelta(days=2):%Y-%m-%d}",
            reason="Le webinaire devient une matinée sur place",
        ),
    )
    event.refresh_from_db()
    assert (event.place, event.capacity) == ("CCI Caen Normandie", 30)
    assert event.kind == "webinar"  # the kind and the organiser stay

    url = f"/evenements/{event.slug}/"
    shown = page(client, url)
    assert "« Le webinaire devient une matinée sur place »" in shown
    assert "Visioconférence</del> → <ins>CCI Caen Normandie" in shown
    assert "« Publication »" in shown
    # Those registered read it too; the public reads the event as it is now.
    registrations.register(event=event, user=world.pixel_member, company="Atelier Pixel")
    client.force_login(world.pixel_member)
    assert "Le webinaire devient une matinée sur place" in page(client, url)
    client.force_login(world.rempart_member)
    assert "Le webinaire devient une matinée sur place" not in page(client, url)
    assert "Modifier l'événement" not in page(client, url)
    assert client.get(edit).status_code == 403

    # Once held, it is what took place.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(world.cci_adviser)
    assert "Modifier l'événement" not in page(client, url)
    assert client.get(edit).status_code == 409
    with pytest.raises(Refused, match="a eu lieu"):
        events.event_update(user=world.cci_adviser, event=event, place="Ailleurs", reason="x")


def test_the_trade_show_form_takes_its_selection_criteria(client, world):
    client.force_login(world.coordinator)
    client.post(
        "/evenements/nouveau/",
        new_event(
            title="CES Las Vegas",
            kind="trade_show",
            organiser=world.nwx.pk,
            place="Las Vegas",
            selection_criteria="Un produit prêt pour le marché américain",
        ),
    )
    show = Event.objects.get()
    assert show.selection_criteria == "Un produit prêt pour le marché américain"
    events.event_publish(user=world.coordinator, event=show)
    client.force_login(world.pixel_member)
    shown = page(client, "/evenements/ces-las-vegas/")
    assert "Critères de sélection" in shown
    assert "Un produit prêt pour le marché américain" in shown
    assert "Candidature : motivation et objectifs" in shown


@pytest.mark.django_db(transaction=True)
def test_the_events_there_before_drafts_stay_published(client):
    before, after = (
        [("events", "0006_invitation_delivered_to")],
        [("events", "0007_lifecycle_history")],
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        organiser = old.get_model("accounts", "Organisation").objects.create(
            slug="cci", name="CCI Normandie"
        )
        old.get_model("events", "Event").objects.create(
            slug="rencontres-2030",
            title="Rencontres du numérique",
            kind="matchmaking",
            organiser=organiser,
            starts_at=timezone.now() + timedelta(days=30),
            ends_at=timezone.now() + timedelta(days=30, hours=3),
            place="Caen",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Event.objects.get().status == EventStatus.PUBLISHED
    assert "Rencontres du numérique" in page(client, "/evenements/")
    client.force_login(UserFactory())
    assert "M'inscrire" in page(client, "/evenements/rencontres-2030/")


def test_an_edit_keeps_the_deadline_before_the_start_and_room_for_those_registered(client, world):
    client.force_login(world.cci_adviser)
    late = new_event(
        organiser=world.cci.pk, registration_closes_on=f"{DAY + timedelta(1):%Y-%m-%d}"
    )
    response = client.post("/evenements/nouveau/", late)
    assert response.status_code == 422
    assert "Les inscriptions doivent fermer au plus tard le jour du début." in page_of(response)
    assert not Event.objects.exists()

    client.post("/evenements/nouveau/", new_event(organiser=world.cci.pk, capacity="5"))
    event = Event.objects.get()
    client.post(f"/evenements/{event.slug}/publier/")
    for person, company in (
        (world.pixel_member, "Atelier Pixel"),
        (world.rempart_member, "Rempart"),
    ):
        registrations.register(event=event, user=person, company=company)
        event.registrations.filter(user=person).update(status=RegistrationStatus.APPROVED)
    with pytest.raises(Refused) as refused:
        events.event_update(
            user=world.cci_adviser, event=event, capacity=1, reason="Salle plus petite"
        )
    assert (refused.value.rule, refused.value.field) == (
        "events.capacity_below_approved",
        "capacity",
    )
    event.refresh_from_db()
    assert event.capacity == 5


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def test_those_registered_hear_of_a_new_date_or_place_and_why(client, world, mailoutbox):
    client.force_login(world.cci_adviser)
    client.post("/evenements/nouveau/", new_event(organiser=world.cci.pk))
    event = Event.objects.get()
    # A draft's changes reach nobody: nobody could register to it yet.
    events.event_update(user=world.cci_adviser, event=event, place="Caen")
    client.post(f"/evenements/{event.slug}/publier/")
    event.refresh_from_db()
    registrations.register(event=event, user=world.pixel_member, company="Atelier Pixel")
    mailoutbox.clear()

    events.event_update(
        user=world.cci_adviser, event=event, description="Programme", reason="Précisions"
    )
    assert mailoutbox == []  # the description is read on the page
    with_commit = events.event_update(
        user=world.cci_adviser, event=event, place="CCI Caen Normandie", reason="Salle plus grande"
    )
    assert with_commit.place == "CCI Caen Normandie"
    (message,) = mailoutbox
    assert message.to == [world.pixel_member.email]
    assert "la date ou le lieu change" in message.subject
    assert "Lieu : CCI Caen Normandie" in message.body
    assert "Salle plus grande" in message.body


def test_the_edit_page_gives_the_closing_date_back_and_an_edit_keeps_it(client, world):
    client.force_login(world.cci_adviser)
    closes = f"{DAY - timedelta(days=3):%Y-%m-%d}"
    client.post(
        "/evenements/nouveau/", new_event(organiser=world.cci.pk, registration_closes_on=closes)
    )
    event = Event.objects.get()
    edit = f"/evenements/{event.slug}/modifier/"
    # The browser's date picker reads the ISO value; a French one left it empty.
    assert f'value="{closes}"' in page(client, edit)
    assert f'value="{DAY:%Y-%m-%d}T09:00"' in page(client, edit)
