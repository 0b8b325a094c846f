"""Each rule of events, written once in access and asked by the services, through the pages.

Several were only in a template (the button was hidden) while the service let a posted
form through: the service's rule now says no, and these tests say so."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from filiere.common.refusals import Refused
from filiere.events.enums import MeetingState, RegistrationStatus, RequestStatus
from filiere.events.models import Event, Meeting, MeetingRequest, ScheduleRun
from filiere.events.services import events, registrations
from tests.events.conftest import DAY, moment
from tests.factories import UserFactory

DESK = "/evenements/rdv-caen/organisation/"


def post(client, url, data=None, *, back=DESK):
    """A form sent from a page (``back``): a refusal comes back there as a message."""
    return client.post(url, data or {}, HTTP_REFERER=back, follow=True).content.decode()


def event_data(**changes) -> dict:
    return {
        "title": "Rendez-vous du numérique",
        "kind": "webinar",
        "starts_at": f"{DAY:%Y-%m-%d}T09:00",
        "ends_at": f"{DAY:%Y-%m-%d}T10:00",
        "place": "En ligne",
        "requires_approval": "on",
        **changes,
    }


def test_an_event_is_created_by_the_service_under_a_free_address(client, world):
    client.force_login(world.cci_adviser)
    first = client.post("/evenements/nouveau/", event_data(organiser=world.cci.pk))
    second = client.post("/evenements/nouveau/", event_data(organiser=world.cci.pk))
    assert list(Event.objects.order_by("pk").values_list("slug", flat=True)) == [
        "rendez-vous-du-numerique",
        "rendez-vous-du-numerique-2",
    ]
    assert first.url == "/evenements/rendez-vous-du-numerique/organisation/"
    assert second.url == "/evenements/rendez-vous-du-numerique-2/organisation/"
    # Another organisation's events are not theirs to create.
    assert (
        client.post("/evenements/nouveau/", event_data(organiser=world.cma.pk)).status_code == 422
    )
    with pytest.raises(PermissionDenied):
        events.event_create(
            user=world.cci_adviser,
            title="Autre",
            kind="webinar",
            organiser=world.cma,
            starts_at=moment(9),
            ends_at=moment(10),
            place="En ligne",
        )


def test_the_list_offers_to_create_an_event_to_those_who_may(client, world):
    # The list showed the button to anyone with a role; a firm's member was then refused.
    client.force_login(world.pixel_member)
    assert "Créer un événement" not in client.get("/evenements/").content.decode()
    assert client.get("/evenements/nouveau/").status_code == 403
    client.force_login(world.cci_adviser)
    assert "Créer un événement" in client.get("/evenements/").content.decode()


def test_administrators_organise_any_event_and_staff_accounts_do_not(client, event, world):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(DESK).status_code == 403
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(DESK).status_code == 200
    assert "Organisation de l'événement" in client.get("/evenements/rdv-caen/").content.decode()
    form = client.get("/evenements/nouveau/").context["form"]
    assert set(form.fields["organiser"].queryset) >= {world.cci, world.cma, world.nwx}


def test_the_unavailable_slots_are_written_with_the_registration(client, event, world):
    first = event.slots.first()
    client.force_login(world.pixel_member)
    client.post(
        "/evenements/rdv-caen/inscription/", {"company": "Atelier Pixel", "unavailable": [first.pk]}
    )
    assert list(event.registrations.get().unavailable.all()) == [first]
    other = Event.objects.create(
        slug="autre",
        title="Autre",
        kind="matchmaking",
        organiser=world.cci,
        starts_at=moment(9),
        ends_at=moment(12),
        place="Caen",
    )
    (elsewhere,) = events.slots_generate(
        user=world.cci_adviser, event=other, first=moment(9), count=1, minutes=20, tables=1
    )
    with pytest.raises(Refused) as refused:
        registrations.register(
            event=event, user=world.rempart_member, company="B", unavailable=[elsewhere]
        )
    assert refused.value.field == "unavailable"
    assert not event.registrations.filter(user=world.rempart_member).exists()


def test_one_registration_per_person(client, event, world):
    client.force_login(world.pixel_member)
    client.post("/evenements/rdv-caen/inscription/", {"company": "Atelier Pixel"})
    page = post(
        client,
        "/evenements/rdv-caen/inscription/",
        {"company": "Autre"},
        back="/evenements/rdv-caen/",
    )
    assert "Vous êtes déjà inscrit à cet événement." in page
    assert event.registrations.get().company == "Atelier Pixel"


def test_a_decision_is_taken_on_a_registration_that_awaits_one(client, event, world):
    event.requires_approval = True
    event.save()
    waiting = registrations.register(event=event, user=world.pixel_member, company="A")
    client.force_login(world.cci_adviser)
    post(client, f"{DESK}inscriptions/{waiting.pk}/refus/", {"decision_note": "Complet"})
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decision_note) == (RegistrationStatus.REFUSED, "Complet")
    assert mail.outbox[-1].to == ["lea@pixel.test"]
    # Only the undecided were offered the buttons; a decision posted again is refused now.
    page = post(client, f"{DESK}inscriptions/{waiting.pk}/validation/")
    assert "Cette inscription n&#x27;attend plus de décision." in page
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REFUSED
    assert "Valider A" not in page


def test_a_cancelled_or_refused_registration_is_not_cancelled_again(client, event, world):
    mine = registrations.register(event=event, user=world.pixel_member, company="A")
    mine.status = RegistrationStatus.REFUSED
    mine.save()
    client.force_login(world.pixel_member)
    page = post(client, "/evenements/rdv-caen/annulation/", back="/evenements/rdv-caen/")
    assert "Cette inscription est déjà close." in page
    assert "Annuler mon inscription" not in page
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.REFUSED


def test_an_arrival_is_noted_once_for_a_registered_person(client, event, world):
    present = registrations.register(event=event, user=world.pixel_member, company="A")
    client.force_login(world.cci_adviser)
    post(client, f"{DESK}inscriptions/{present.pk}/arrivee/")
    present.refresh_from_db()
    arrived = present.checked_in_at
    assert arrived is not None
    assert "Son arrivée est déjà notée." in post(
        client, f"{DESK}inscriptions/{present.pk}/arrivee/"
    )
    present.refresh_from_db()
    assert present.checked_in_at == arrived
    present.status = RegistrationStatus.WAITLISTED
    present.checked_in_at = None
    present.save()
    assert "Cette personne n&#x27;est pas inscrite." in post(
        client, f"{DESK}inscriptions/{present.pk}/arrivee/"
    )


@pytest.fixture
def meeting(event, world):
    """A's and B's draft meeting, in the first slot."""
    a = registrations.register(event=event, user=world.pixel_member, company="A")
    b = registrations.register(event=event, user=world.rempart_member, company="B")
    request = MeetingRequest.objects.create(
        event=event, requester=a, target=b, status=RequestStatus.ACCEPTED
    )
    return Meeting.objects.create(request=request, slot=event.slots.first(), table=1)


def test_nothing_to_publish_is_refused_and_nobody_is_written_to(client, meeting, world):
    client.force_login(world.cci_adviser)
    assert "1 rendez-vous publiés." in post(client, f"{DESK}publication/")
    sent = len(mail.outbox)
    assert "Aucun rendez-vous à publier." in post(client, f"{DESK}publication/")
    assert len(mail.outbox) == sent


def test_a_no_show_is_noted_on_a_published_meeting_for_one_of_its_two(client, meeting, world):
    client.force_login(world.cci_adviser)
    absent = meeting.request.target
    page = post(client, f"{DESK}absent/{meeting.pk}/", {"absent": absent.pk})
    assert "Seul un rendez-vous publié peut être noté absent." in page
    meeting.state = MeetingState.PUBLISHED
    meeting.save()
    stranger = registrations.register(event=meeting.slot.event, user=UserFactory(), company="C")
    page = post(client, f"{DESK}absent/{meeting.pk}/", {"absent": stranger.pk})
    assert "Cette personne n&#x27;a pas ce rendez-vous." in page
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED
    response = client.post(f"{DESK}absent/{meeting.pk}/", {"absent": absent.pk})
    assert response.url == f"{DESK}remplacer/{meeting.pk}/"
    meeting.refresh_from_db()
    assert (meeting.state, meeting.absent) == (MeetingState.NO_SHOW, absent)


def test_only_a_no_show_is_replaced(client, meeting, world):
    client.force_login(world.cci_adviser)
    response = client.get(f"{DESK}remplacer/{meeting.pk}/")
    assert response.status_code == 409
    assert "Seul un rendez-vous manqué se remplace." in response.content.decode()


def test_the_b2b_meetings_are_for_approved_participants_of_a_matchmaking_event(client, world):
    show = Event.objects.create(
        slug="salon",
        title="Salon",
        kind="promotion",
        organiser=world.cci,
        starts_at=moment(9),
        ends_at=moment(12),
        place="Caen",
        requires_approval=False,
    )
    registrations.register(event=show, user=world.pixel_member, company="A")
    client.force_login(world.pixel_member)
    # The event's page offered the link only for matchmaking; the page itself now says no too.
    assert "Mes rendez-vous d" not in client.get("/evenements/salon/").content.decode()
    response = client.get("/evenements/salon/rendez-vous/")
    assert response.status_code == 409
    assert "Cet événement n&#x27;a pas de rendez-vous d&#x27;affaires." in response.content.decode()


def test_a_meeting_is_asked_of_an_approved_participant(client, event, world):
    event.capacity = 1
    event.save()
    mine = registrations.register(event=event, user=world.pixel_member, company="A")
    waiting = registrations.register(event=event, user=world.rempart_member, company="B")
    assert waiting.status == RegistrationStatus.WAITLISTED
    client.force_login(world.pixel_member)
    back = "/evenements/rdv-caen/rendez-vous/"
    url = "/evenements/rdv-caen/rendez-vous/demander/"
    page = post(client, f"{url}{waiting.pk}/", {"priority": "2"}, back=back)
    assert "Ce participant n&#x27;est pas inscrit à l&#x27;événement." in page
    assert "On ne se demande pas soi-même." in post(
        client, f"{url}{mine.pk}/", {"priority": "2"}, back=back
    )
    assert not MeetingRequest.objects.exists()


def test_feedback_is_given_once_the_event_has_begun(client, event, world):
    registrations.register(event=event, user=world.pixel_member, company="A")
    client.force_login(world.pixel_member)
    response = client.get("/evenements/rdv-caen/avis/")
    assert response.status_code == 409
    assert "Votre avis sera demandé après l&#x27;événement." in response.content.decode()
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    assert "Donner mon avis" in client.get("/evenements/rdv-caen/").content.decode()
    client.post("/evenements/rdv-caen/avis/", {"rating": "5"})
    assert event.registrations.get().feedback.rating == 5


def test_a_second_run_is_refused_while_one_runs(client, event, world):
    # A rule that was missing: a second run would have written over the first one's drafts.
    running = ScheduleRun.objects.create(event=event)
    client.force_login(world.cci_adviser)
    assert "hx-trigger" in client.get(f"{DESK}calcul/").content.decode()
    page = post(client, f"{DESK}calcul/lancer/")
    assert "Un calcul du planning est déjà en cours : attendez qu&#x27;il se termine." in page
    assert list(event.runs.all()) == [running]


def test_a_participant_is_neither_offered_nor_given_a_meeting_with_their_own_firm(
    client, event, world
):
    mine = registrations.register(
        event=event, user=world.pixel_member, company="Atelier Pixel", seek="sites web"
    )
    colleague = registrations.register(
        event=event,
        user=UserFactory(),
        company="atelier pixel ",
        offer="Création de sites web",
    )
    other = registrations.register(
        event=event, user=world.rempart_member, company="Rempart", offer="Sites web sécurisés"
    )
    for registration in (mine, colleague, other):
        registration.status = RegistrationStatus.APPROVED
        registration.save(update_fields=["status"])
    client.force_login(world.pixel_member)
    page = client.get("/evenements/rdv-caen/rendez-vous/")
    assert colleague not in page.context["others"]
    assert other in page.context["others"]
    assert colleague not in [found for found, _words in page.context["suggestions"]]
    url = f"/evenements/rdv-caen/rendez-vous/demander/{colleague.pk}/"
    back = "/evenements/rdv-caen/rendez-vous/"
    assert "C&#x27;est votre propre entreprise" in post(client, url, {"priority": "2"}, back=back)
    assert not MeetingRequest.objects.exists()
