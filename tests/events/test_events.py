from datetime import datetime, timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from icalendar import Calendar

from filiere.accounts.enums import Role
from filiere.common.refusals import Refused
from filiere.events import adapters, selectors, tasks
from filiere.events.enums import MeetingState, RegistrationStatus, RequestStatus, RunStatus
from filiere.events.models import (
    RUN_ATTEMPTS,
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    ScheduleRun,
)
from filiere.events.services import day, registrations, requests, scheduling
from tests.events.conftest import moment
from tests.factories import OrganisationFactory, UserFactory, member


def test_capacity_waiting_list_and_cancellation(event, world):
    first = registrations.register(
        event=event, user=world.pixel_member, company="A", offer="", seek=""
    )
    second = registrations.register(
        event=event, user=world.rempart_member, company="B", offer="", seek=""
    )
    third = registrations.register(event=event, user=UserFactory(), company="C", offer="", seek="")
    assert [r.status for r in (first, second, third)] == ["approved", "approved", "waitlisted"]
    promoted = registrations.registration_cancel(user=world.pixel_member, registration=first)
    assert promoted == third
    third.refresh_from_db()
    assert third.status == RegistrationStatus.APPROVED


def test_only_the_organisers_run_the_event(client, event, world):
    client.force_login(world.cma_adviser)
    assert client.get("/evenements/rdv-caen/organisation/").status_code == 403
    client.force_login(world.pixel_member)
    assert client.get("/evenements/nouveau/").status_code == 403
    assert client.get("/evenements/rdv-caen/rendez-vous/").status_code == 403  # not registered
    client.force_login(world.cci_adviser)
    assert client.get("/evenements/rdv-caen/organisation/").status_code == 200
    response = client.post(
        "/evenements/rdv-caen/organisation/creneaux/",
        {
            "slots-first": "",
            "slots-count": "0",
            "slots-minutes": "20",
            "slots-tables": "1",
        },
    )
    assert response.status_code == 422


def test_rerunning_keeps_published_meetings_and_the_agenda_lists_them(client, event, world):
    event.capacity = None
    event.auto_accept_requests = True
    event.save()
    people = [
        registrations.register(event=event, user=u, company=name, offer="", seek="")
        for u, name in [
            (world.pixel_member, "Pixel"),
            (world.rempart_member, "Rempart"),
            (member(OrganisationFactory(), Role.COMPANY_MEMBER), "Cidrerie"),
        ]
    ]
    organiser = world.cci_adviser
    ab = requests.request_meeting(
        user=people[0].user, requester=people[0], target=people[1], priority=3
    )
    assert ab.status == RequestStatus.ACCEPTED  # the organiser set requests to auto-accept
    scheduling.schedule_start(user=organiser, event=event, seconds=5)
    assert scheduling.schedule_publish(user=organiser, event=event) == 1
    published = Meeting.objects.get()
    requests.request_meeting(user=people[2].user, requester=people[2], target=people[0], priority=2)
    run = scheduling.schedule_start(user=organiser, event=event, seconds=5)
    assert run.status == "done"
    assert run.objective == 5
    published.refresh_from_db()
    assert published.state == MeetingState.PUBLISHED
    assert Meeting.objects.filter(state=MeetingState.DRAFT).count() == 1

    client.force_login(world.pixel_member)
    response = client.get("/evenements/rdv-caen/agenda.ics")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Rendez-vous avec Rempart — table 1"
    ]
    # A declined request takes its meeting with it.
    requests.request_answer(user=people[1].user, request=ab, accept=False)
    assert not Meeting.objects.filter(pk=published.pk).exists()


def test_a_move_that_breaks_a_rule_is_refused(event, world):
    last = event.slots.last()
    a = registrations.register(
        event=event, user=world.pixel_member, company="A", offer="", seek="", unavailable=[last.pk]
    )
    b = registrations.register(
        event=event, user=world.rempart_member, company="B", offer="", seek=""
    )
    request = requests.request_meeting(user=a.user, requester=a, target=b, priority=1)
    requests.request_answer(user=b.user, request=request, accept=True)
    scheduling.schedule_start(user=world.cci_adviser, event=event, seconds=5)
    meeting = Meeting.objects.get()
    with pytest.raises(Refused, match="A → B : A n'est pas disponible en 09:40–10:00") as refused:
        scheduling.meeting_move(user=world.cci_adviser, meeting=meeting, slot=last, table=1)
    assert refused.value.rule == "events.schedule.unavailable"
    meeting.refresh_from_db()
    assert meeting.slot != last


def test_a_no_show_is_replaced_by_a_free_participant(event, world):
    event.capacity = None
    event.auto_accept_requests = True
    event.save()
    organiser = world.cci_adviser
    a, b, c, d = (
        registrations.register(event=event, user=u, company=name)
        for u, name in [
            (world.pixel_member, "A"),
            (world.rempart_member, "B"),
            (UserFactory(), "C"),
            (UserFactory(), "D"),
        ]
    )
    requests.request_meeting(user=a.user, requester=a, target=b, priority=3)
    requests.request_meeting(user=c.user, requester=c, target=a, priority=1)
    scheduling.schedule_start(user=organiser, event=event, seconds=5)
    scheduling.schedule_publish(user=organiser, event=event)
    ab = Meeting.objects.get(request__target=b)
    ca = Meeting.objects.get(request__requester=c)
    assert ab.slot_id != ca.slot_id
    day.check_in(user=organiser, registration=d)
    day.mark_no_show(user=organiser, meeting=ab, absent=b)
    # C meets A at another time already: D, who has arrived, is offered.
    assert selectors.replacements(ab) == [d]
    replacement = day.replacement_create(user=organiser, meeting=ab, candidate=d)
    assert (replacement.slot_id, replacement.table) == (ab.slot_id, ab.table)
    assert replacement.state == MeetingState.PUBLISHED
    with pytest.raises(Refused, match="pas libre"):
        day.replacement_create(user=organiser, meeting=ab, candidate=c)


def test_a_trade_show_selects_a_delegation_with_cost_shares(client, event, world):
    from django.core import mail

    show = Event.objects.create(
        slug="ces-2019",
        title="CES Las Vegas 2019",
        kind="trade_show",
        organiser=world.nwx,
        starts_at=moment(9, days=30),
        ends_at=moment(18, days=33),
        place="Las Vegas",
        selection_criteria="Produit prêt à exporter",
    )
    client.force_login(world.pixel_member)
    page = client.get("/evenements/ces-2019/").content.decode()
    assert "Produit prêt à exporter" in page
    response = client.post("/evenements/ces-2019/inscription/", {"company": "Atelier Pixel"})
    assert response.status_code == 422  # an application needs its motivation
    client.post(
        "/evenements/ces-2019/inscription/",
        {"company": "Atelier Pixel", "motivation": "Lancer notre objet connecté aux États-Unis"},
    )
    application = show.registrations.get()
    assert application.status == RegistrationStatus.PENDING
    client.force_login(world.coordinator)
    client.post(
        f"/evenements/ces-2019/organisation/inscriptions/{application.pk}/validation/",
        {"cost_share_eur": "1500", "decision_note": "Produit prêt"},
    )
    application.refresh_from_db()
    assert application.status == RegistrationStatus.APPROVED
    assert application.cost_share_eur == 1500
    assert "Reste à charge de votre entreprise : 1\xa0500 €." in mail.outbox[-1].body
    csv = client.get("/evenements/ces-2019/delegation.csv").content.decode()
    assert csv.startswith("\ufeffentreprise;contact;etat;etat_code;reste_a_charge_eur;")
    assert "Atelier Pixel;lea@pixel.test;Inscrit;approved;1500;Produit prêt" in csv

    # The show takes place; then its delegation gives its opinion.
    Event.objects.filter(pk=show.pk).update(
        starts_at=moment(9) - timedelta(days=700), ends_at=moment(18) - timedelta(days=697)
    )
    client.force_login(world.pixel_member)
    client.post("/evenements/ces-2019/avis/", {"rating": "4", "comment": "Très utile"})
    # The matchmaking meeting of the fixture has not begun: no opinion yet.
    caen = registrations.register(
        event=Event.objects.get(slug="rdv-caen"), user=world.pixel_member, company="A"
    )
    client.post("/evenements/rdv-caen/avis/", {"rating": "5"})
    assert not Feedback.objects.filter(registration=caen).exists()
    client.force_login(world.coordinator)
    assert (
        "Note moyenne 4/5 (1 avis)"
        in client.get("/evenements/ces-2019/organisation/").content.decode()
    )


def test_the_application_keeps_its_motivation(client, world):
    Event.objects.create(
        slug="mission-ny",
        title="Mission New York",
        kind="mission",
        organiser=world.nwx,
        starts_at=moment(9),
        ends_at=moment(18),
        place="New York",
    )
    client.force_login(world.pixel_member)
    client.post(
        "/evenements/mission-ny/inscription/",
        {"company": "Atelier Pixel", "motivation": "Trouver un distributeur"},
    )
    client.force_login(world.coordinator)
    page = client.get("/evenements/mission-ny/organisation/").content.decode()
    assert "Trouver un distributeur" in page


def test_registration_closes_and_the_form_starts_from_the_directory(client, event, world):
    client.force_login(world.pixel_member)
    form = client.get("/evenements/rdv-caen/").context["form"]
    assert form.initial["company"] == "Atelier Pixel"
    assert "boutiques en ligne" in form.initial["offer"]
    event.registration_closes_on = timezone.localdate() - timedelta(days=1)
    event.save()
    assert "Les inscriptions sont closes" in client.get("/evenements/rdv-caen/").content.decode()
    client.post("/evenements/rdv-caen/inscription/", {"company": "Atelier Pixel"})
    assert not event.registrations.exists()
    with pytest.raises(Refused, match="closes"):
        registrations.register(event=event, user=world.pixel_member, company="A")


def test_the_organiser_may_plan_published_meetings_again(event, world):
    event.auto_accept_requests = True
    event.save()
    organiser = world.cci_adviser
    a = registrations.register(event=event, user=world.pixel_member, company="A")
    b = registrations.register(event=event, user=world.rempart_member, company="B")
    requests.request_meeting(user=a.user, requester=a, target=b, priority=2)
    scheduling.schedule_start(user=organiser, event=event, seconds=5)
    scheduling.schedule_publish(user=organiser, event=event)
    scheduling.schedule_start(user=organiser, event=event, seconds=5, keep_published=False)
    assert list(Meeting.objects.values_list("state", flat=True)) == [MeetingState.DRAFT]


def test_participants_are_asked_for_feedback_once_after_the_event(event, world, run_command):
    from django.core import mail

    registrations.register(event=event, user=world.pixel_member, company="A")
    out, _ = run_command("ask_event_feedback", now=f"{moment(11):%Y-%m-%dT%H:%M}")
    assert "avis demandés: 0" in out  # not over yet
    out, _ = run_command("ask_event_feedback", now=f"{moment(9, days=1):%Y-%m-%dT%H:%M}")
    assert "avis demandés: 1" in out
    assert mail.outbox[-1].to == ["lea@pixel.test"]
    assert "/evenements/rdv-caen/avis/" in mail.outbox[-1].body
    out, _ = run_command("ask_event_feedback", now=f"{moment(9, days=2):%Y-%m-%dT%H:%M}")
    assert "avis demandés: 0" in out


def _two_accepted(event, world):
    event.auto_accept_requests = True
    event.save()
    a = registrations.register(event=event, user=world.pixel_member, company="Pixel")
    b = registrations.register(event=event, user=world.rempart_member, company="Rempart")
    requests.request_meeting(user=a.user, requester=a, target=b, priority=2)


def _silent_run(event, *, attempt: int, minutes: int = 2) -> ScheduleRun:
    """A run a worker took, then stopped writing its heartbeat (killed)."""
    long_ago = timezone.now() - timedelta(minutes=minutes)
    return ScheduleRun.objects.create(
        event=event,
        status=RunStatus.RUNNING,
        attempt=attempt,
        queued_at=long_ago,
        heartbeat_at=long_ago,
        seconds=5,
    )


def test_a_run_whose_worker_stopped_is_run_again_by_another(client, event, world):
    _two_accepted(event, world)
    run = _silent_run(event, attempt=1)
    client.force_login(world.cci_adviser)
    # The page's poll watches its run: queued again, taken by a worker (at once in the tests).
    client.get("/evenements/rdv-caen/organisation/calcul/")
    run.refresh_from_db()
    assert (run.status, run.attempt) == (RunStatus.DONE, 2)
    assert Meeting.objects.count() == 1
    # The first attempt's message, delivered again late, finds nothing to take.
    assert scheduling.schedule_run(run_id=run.pk, attempt=1, last_try=True) == "skipped"


def test_a_run_whose_worker_stopped_at_every_attempt_fails_saying_why(client, event, world):
    run = _silent_run(event, attempt=RUN_ATTEMPTS)
    client.force_login(world.cci_adviser)
    page = client.get("/evenements/rdv-caen/organisation/calcul/").content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.finished_at is not None
    assert "Le worker qui calculait s&#x27;est arrêté, à chacun des 2 essais" in page
    assert "hx-trigger" not in page  # the page stops following it


def test_beat_watches_every_event_and_fails_a_run_no_worker_took(event, world):
    run = ScheduleRun.objects.create(event=event)
    ScheduleRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(minutes=11))
    assert tasks.watch_schedule_runs.delay().get() == {"repris": 0, "en échec": 1}
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "Aucun worker n'a pris le calcul en 10 minutes" in run.progress


def test_a_run_waiting_for_a_worker_says_so_and_can_be_cancelled(client, event, world):
    run = ScheduleRun.objects.create(event=event)
    ScheduleRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(minutes=1))
    client.force_login(world.cci_adviser)
    page = client.get("/evenements/rdv-caen/organisation/calcul/").content.decode()
    assert "Calcul en attente d'un worker" in page, page
    assert "Aucun worker ne l'a encore pris" in page
    assert "hx-trigger" in page
    client.post("/evenements/rdv-caen/organisation/calcul/annuler/")
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    page = client.get("/evenements/rdv-caen/organisation/calcul/").content.decode()
    assert "Calcul annulé : le planning n'a pas changé." in page
    # The worker that receives it later finds nothing to take.
    assert scheduling.schedule_run(run_id=run.pk, attempt=1, last_try=True) == "skipped"
    with pytest.raises(Refused, match="Aucun calcul du planning n'est en cours"):
        scheduling.schedule_cancel(user=world.cci_adviser, event=event)


def test_a_run_cancelled_while_it_searches_writes_nothing(event, world, monkeypatch):
    _two_accepted(event, world)
    search = adapters.plan

    def cancelled_meanwhile(event, **options):
        planning = search(event, **options)
        scheduling.schedule_cancel(user=world.cci_adviser, event=event)
        return planning

    monkeypatch.setattr(adapters, "plan", cancelled_meanwhile)
    run = scheduling.schedule_start(user=world.cci_adviser, event=event, seconds=5)
    assert run.status == RunStatus.CANCELLED
    assert not Meeting.objects.exists()


def test_a_run_the_database_failed_is_tried_again_then_fails_saying_why(event, world, monkeypatch):
    """The worker retries the task with a growing delay (Celery's job: here, each try is made
    by hand); the run goes back to the queue meanwhile, then fails at the last try."""
    _two_accepted(event, world)
    search = adapters.plan

    def database_gone(event, **options):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(adapters, "plan", database_gone)
    run = ScheduleRun.objects.create(event=event, seconds=5)
    with pytest.raises(scheduling.RunInterrupted):
        scheduling.schedule_run(run_id=run.pk, attempt=1, last_try=False)
    run.refresh_from_db()
    assert (run.status, run.attempt) == (RunStatus.QUEUED, 1)
    assert scheduling.schedule_run(run_id=run.pk, attempt=1, last_try=True) == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.progress.startswith("La base de données n'a pas répondu pendant le calcul")

    monkeypatch.setattr(adapters, "plan", search)
    back = ScheduleRun.objects.create(event=event, seconds=5)
    assert scheduling.schedule_run(run_id=back.pk, attempt=1, last_try=False) == "done"
    back.refresh_from_db()
    assert back.status == RunStatus.DONE
    assert Meeting.objects.count() == 1


def test_the_list_shows_the_latest_first_in_a_fixed_number_of_queries(
    client, event, world, django_assert_num_queries
):
    for year in (2018, 2019):
        Event.objects.create(
            slug=f"ces-{year}",
            title=f"CES {year}",
            kind="trade_show",
            organiser=world.nwx,
            starts_at=timezone.make_aware(datetime(year, 1, 9)),
            ends_at=timezone.make_aware(datetime(year, 1, 12)),
            place="Las Vegas",
            is_demo=True,
        )
    # The events and their count (the list is paged).
    with django_assert_num_queries(2):
        page = client.get("/evenements/").content.decode()
    assert page.index("Rendez-vous du numérique") < page.index("CES 2019") < page.index("CES 2018")
    assert page.count("badge-demo") == 2
    # Signed in: the session, the person and their roles (which offer to create an event).
    client.force_login(world.cci_adviser)
    with django_assert_num_queries(5):
        assert "Créer un événement" in client.get("/evenements/").content.decode()


def test_an_advisers_invitation_list_is_invited_once(client, event, world):
    from django.core import mail

    from filiere.directory.models import Contact
    from filiere.needs.models import InvitationList

    Contact.objects.create(
        legal_unit=world.gestion,
        full_name="Paul Gestion",
        email="paul@gestion.test",
        consent_on=timezone.localdate(),
    )
    invitation_list = InvitationList.objects.create(name="Caen", organisation=world.cci)
    invitation_list.entries.create(legal_unit=world.pixel)
    invitation_list.entries.create(legal_unit=world.gestion)
    client.force_login(world.cci_adviser)
    response = client.post(
        "/evenements/rdv-caen/organisation/invitations/",
        {"invitation_list": invitation_list.pk},
        follow=True,
    )
    assert "2 entreprises invitées, 2 adresses écrites." in response.content.decode()
    assert sorted(a for m in mail.outbox for a in m.to) == ["lea@pixel.test", "paul@gestion.test"]
    assert "/evenements/rdv-caen/" in mail.outbox[-1].body
    client.post(
        "/evenements/rdv-caen/organisation/invitations/", {"invitation_list": invitation_list.pk}
    )
    assert len(mail.outbox) == 2  # each firm once
    # A list id that is not one (a ValueError then, a 500) is a list not found.
    for wrong in ("abc", "", "9" * 30, "-1"):
        response = client.post(
            "/evenements/rdv-caen/organisation/invitations/", {"invitation_list": wrong}
        )
        assert response.status_code == 404
    other = InvitationList.objects.create(name="CMA", organisation=world.cma)
    response = client.post(
        "/evenements/rdv-caen/organisation/invitations/", {"invitation_list": other.pk}
    )
    assert response.status_code == 404  # another office's list


def _add_pairs(event, count: int) -> None:
    """``count`` more pairs of participants, each with a published meeting and one arrived."""
    for _ in range(count):
        a, b = (
            registrations.register(event=event, user=UserFactory(), company=f"Firme {n}")
            for n in range(2)
        )
        request = MeetingRequest.objects.create(
            event=event, requester=a, target=b, status=RequestStatus.ACCEPTED
        )
        slot = event.slots.first()
        Meeting.objects.create(
            request=request,
            slot=slot,
            table=Meeting.objects.filter(slot=slot).count() + 1,
            state=MeetingState.PUBLISHED,
        )
        a.checked_in_at = timezone.now()
        a.save()


def test_the_organisers_page_reads_in_a_fixed_number_of_queries(
    client, event, world, django_assert_num_queries
):
    event.capacity = None
    event.save()
    event.slots.update(tables=10)
    client.force_login(world.cci_adviser)
    _add_pairs(event, 1)
    with django_assert_num_queries(13):
        client.get("/evenements/rdv-caen/organisation/")
    _add_pairs(event, 4)
    with django_assert_num_queries(13):
        page = client.get("/evenements/rdv-caen/organisation/").content.decode()
    assert page.count("Absent : Firme") == 10


def test_the_organiser_reads_through_whom_each_firm_was_invited(client, event, world):
    import html
    import re

    from django.core import mail

    from filiere.accounts.models import Membership
    from filiere.directory.models import LegalUnit
    from filiere.events.services.invitations import invite_list
    from filiere.needs.models import InvitationList
    from tests.factories import provider

    LegalUnit.objects.filter(pk=world.rempart.pk).update(
        organisation=None, contact_email="contact@rempart.test"
    )
    invitation_list = InvitationList.objects.create(name="Caen", organisation=world.cci)
    for unit in (world.pixel, world.rempart, world.gestion):
        invitation_list.entries.create(legal_unit=unit)
    invited = invite_list(user=world.cci_adviser, event=event, invitation_list=invitation_list)
    assert invited == (3, 4, [])
    told = {tuple(m.to): m for m in mail.outbox}
    assert set(told) == {
        ("lea@pixel.test",),
        ("contact@rempart.test",),
        ("conseil@cci.test",),  # Gestion Plus, in Seine-Maritime: the advisers who follow it
        ("conseil@cma.test",),
    }
    assert "Aucun membre de Rempart Sécurité" in told[("contact@rempart.test",)].body
    assert told[("conseil@cma.test",)].subject.endswith("— Gestion Plus")

    client.force_login(world.cci_adviser)
    page = html.unescape(client.get("/evenements/rdv-caen/organisation/").content.decode())
    assert "3 entreprises invitées." in page
    for firm, route in [
        ("Atelier Pixel", "Transmis à l'équipe de l'entreprise"),
        ("Rempart Sécurité", "Transmis à l'adresse de contact de l'entreprise"),
        ("Gestion Plus", "Transmis au conseiller qui suit son territoire"),
    ]:
        assert re.search(rf"<li>\s*{firm}\s*— {route}\s*</li>", page), firm

    # Where nobody at all can receive it, the firm stays uninvited and the organiser is told.
    Membership.objects.exclude(user=world.cci_adviser).update(is_active=False)
    Membership.objects.filter(user=world.cci_adviser).update(area=["14"])
    lonely = provider("Seule", "Logiciels", ["management"], departement="76", commune=world.rouen)
    invitation_list.entries.create(legal_unit=lonely)
    response = client.post(
        "/evenements/rdv-caen/organisation/invitations/",
        {"invitation_list": invitation_list.pk},
        follow=True,
    )
    assert "Personne ne peut encore recevoir l&#x27;invitation de : Seule." in (
        response.content.decode()
    )
    assert not event.invitations.filter(legal_unit=lonely).exists()


def test_the_last_poll_of_a_run_brings_the_schedule_it_made(client, event, world):
    event.auto_accept_requests = True
    event.save()
    a = registrations.register(event=event, user=world.pixel_member, company="Pixel")
    b = registrations.register(event=event, user=world.rempart_member, company="Rempart")
    requests.request_meeting(user=a.user, requester=a, target=b, priority=2)
    client.force_login(world.cci_adviser)
    run = scheduling.schedule_start(user=world.cci_adviser, event=event, seconds=5)
    assert run.is_done
    poll = client.get("/evenements/rdv-caen/organisation/calcul/").content.decode()
    assert "hx-swap-oob" not in poll  # the page itself, loaded whole, reads the schedule
    poll = client.get("/evenements/rdv-caen/organisation/calcul/", HTTP_HX_REQUEST="true")
    answer = poll.content.decode()
    assert 'id="schedule-desk" hx-swap-oob="true"' in answer
    assert "Pixel — Rempart" in answer
    assert "Publier 1 rendez-vous" in answer
    # While the run goes on, the poll brings its progress alone.
    ScheduleRun.objects.create(event=event, progress="Préparation…")
    poll = client.get("/evenements/rdv-caen/organisation/calcul/", HTTP_HX_REQUEST="true")
    assert "hx-swap-oob" not in poll.content.decode()
    assert 'hx-trigger="every 1s"' in poll.content.decode()
