"""Background work survives its processes: a run goes on when the web process dies, is run
again when its worker dies, and mails leave from workers, never from the request."""

import random
import re
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.enums import MailStatus
from filiere.accounts.models import OutgoingMail, User
from filiere.events.enums import (
    EventKind,
    MeetingState,
    RegistrationStatus,
    RequestStatus,
    RunStatus,
)
from filiere.events.models import Event, Meeting, MeetingRequest, Registration, ScheduleRun
from filiere.events.services import events
from tests.factories import UserFactory
from tests.runtime.conftest import form, sign_in, wait_until
from tests.worlds import PASSWORD, matching_world

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


def crowded_event(world, *, participants: int, requests: int, slots: int) -> Event:
    """A matchmaking morning a month ahead: approved participants, accepted requests."""
    start = (timezone.now() + timedelta(days=30)).replace(hour=9, minute=0, second=0)
    event = Event.objects.create(
        slug="rencontres-caen",
        title="Rencontres du numérique",
        kind=EventKind.MATCHMAKING,
        organiser=world.cci,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        place="Caen",
        requires_approval=False,
        auto_accept_requests=True,
    )
    events.slots_generate(
        user=world.cci_adviser,
        event=event,
        first=start,
        count=slots,
        minutes=20,
        tables=max(1, participants // 4),
    )
    people = User.objects.bulk_create(
        User(email=f"participant{n}@foule.test", username=f"participant{n}@foule.test")
        for n in range(participants)
    )
    registered = Registration.objects.bulk_create(
        Registration(
            event=event, user=person, company=f"Entreprise {n}", status=RegistrationStatus.APPROVED
        )
        for n, person in enumerate(people)
    )
    rng = random.Random(7)
    pairs = set()
    while len(pairs) < requests:
        a, b = rng.sample(range(participants), 2)
        pairs.add((a, b))
    MeetingRequest.objects.bulk_create(
        MeetingRequest(
            event=event,
            requester=registered[a],
            target=registered[b],
            priority=rng.choice([3, 2, 2, 1]),
            status=RequestStatus.ACCEPTED,
        )
        for a, b in sorted(pairs)
    )
    return event


@pytest.mark.browser
def test_a_run_started_from_the_page_completes_when_the_web_process_dies(stack, chromium):
    world = matching_world()
    event = crowded_event(world, participants=60, requests=300, slots=8)
    stack.start_worker()
    stack.start_web(FILIERE_SCHEDULE_SECONDS="5")
    context = chromium.new_context(base_url=stack.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(world.cci_adviser.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    organise = f"/evenements/{event.slug}/organisation/"
    page.goto(organise)
    page.get_by_role("button", name="Calculer le planning").click()
    expect(page.locator("#run")).to_contain_text("Calcul en")

    stack.kill("web")
    run = wait_until(
        lambda: ScheduleRun.objects.filter(event=event).exclude(status__in=ACTIVE).first(),
        seconds=90,
        what="the run's end",
        logs=stack.logs,
    )
    assert run.status == RunStatus.DONE, run.progress

    stack.start_web()
    page.goto(organise)
    expect(page.locator("#run")).to_contain_text("Planning calculé")
    page.get_by_role("button", name=re.compile(r"Publier \d+ rendez-vous")).click()
    expect(page.locator(".message-success")).to_contain_text("rendez-vous publiés")
    published = Meeting.objects.filter(request__event=event, state=MeetingState.PUBLISHED)
    assert published.count() > 0
    assert not Meeting.objects.filter(request__event=event, state=MeetingState.DRAFT).exists()
    # Every participant hears of it: from the worker, in the outbox's order.
    wait_until(
        lambda: not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists(),
        seconds=60,
        what="the publication's mails",
        logs=stack.logs,
    )
    assert len(stack.mails()) == Registration.objects.filter(event=event).count()
    context.close()


def test_a_run_whose_worker_is_killed_is_run_again_by_another_worker(stack):
    world = matching_world()
    event = crowded_event(world, participants=200, requests=1500, slots=16)
    stack.start_worker("first")
    stack.start_beat()
    stack.start_web(FILIERE_SCHEDULE_SECONDS="8")
    session = sign_in(stack, world.cci_adviser.email, PASSWORD)
    organise = f"/evenements/{event.slug}/organisation/"
    started = form(session, stack, organise, {}, action=f"{organise}calcul/lancer/")
    assert started.status_code == 302

    running = wait_until(
        lambda: ScheduleRun.objects.filter(event=event, status=RunStatus.RUNNING).first(),
        seconds=60,
        what="the first worker taking the run",
        logs=stack.logs,
    )
    stack.kill("first")  # in the middle of the search
    assert ScheduleRun.objects.get(pk=running.pk).status == RunStatus.RUNNING

    stack.start_worker("second")
    run = wait_until(
        lambda: ScheduleRun.objects.filter(pk=running.pk).exclude(status__in=ACTIVE).first(),
        seconds=120,
        what="the run's end on the second worker",
        logs=stack.logs,
    )
    assert (run.status, run.attempt) == (RunStatus.DONE, 2), run.progress
    assert run.objective > 0
    poll = session.get(f"{stack.url}{organise}calcul/", timeout=10).text
    assert "Planning calculé" in poll


def test_a_mail_is_sent_by_a_worker_not_by_the_request(stack):
    person = UserFactory(email="claire@pixel.test")
    stack.start_web()
    asked = form(requests.Session(), stack, "/comptes/password/reset/", {"email": person.email})
    assert asked.status_code == 302
    mail = OutgoingMail.objects.get(to=person.email)
    assert mail.status == MailStatus.PENDING
    time.sleep(1)
    assert stack.mails() == []  # the request wrote it; nothing sent it

    stack.start_worker()
    sent = wait_until(stack.mails, seconds=60, what="the mail", logs=stack.logs)
    assert "To: claire@pixel.test" in sent[0]
    assert "/comptes/password/reset/key/" in sent[0]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)
