"""The firm's case file: who opens it, what its timeline gathers, notes and their readers,
reminders on the home page and in the mail of their day, in a fixed number of queries."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from filiere.casefile.demo import history_add
from filiere.casefile.enums import Visibility
from filiere.casefile.models import CaseNote, Reminder
from filiere.casefile.services import reminders_send
from filiere.casefile.tasks import send_reminders
from filiere.directory.enums import LabelKind
from filiere.directory.models import Label, LabelRequest
from filiere.needs.models import Need
from filiere.support.models import SupportNeed
from tests.factories import LegalUnitFactory, UserFactory

ON = date(2019, 3, 4)


def url(unit, name="detail", *args):
    return reverse(f"casefile:{name}", args=[unit.siren, *args])


@pytest.fixture
def firm(world):
    history_add(world.pixel, office=world.cci, cluster=world.nwx, on=ON, demo=False)
    return world.pixel


def timeline_of(client, unit, **query) -> str:
    response = client.get(url(unit), query)
    assert response.status_code == 200
    return response.content.decode()


def test_partners_alone_open_a_case_file(client, world, firm):
    assert client.get(url(firm)).status_code == 302  # to the sign-in
    for outsider in (world.pixel_member, world.rempart_member, UserFactory()):
        client.force_login(outsider)
        assert client.get(url(firm)).status_code == 403
    for partner in (world.cci_adviser, world.cma_adviser, world.coordinator, world.officer):
        client.force_login(partner)
        assert client.get(url(firm)).status_code == 200


def test_the_timeline_gathers_every_kind_and_filters_by_kind_and_period(client, world, firm):
    LabelRequest.objects.create(
        legal_unit=firm, label_id=_label().pk, requested_at=_at(ON), note=""
    )
    client.force_login(world.cci_adviser)
    page = timeline_of(client, firm)
    for text in (
        "Besoin de digitalisation : Site web, e-commerce",
        "Accompagnement : Export, international",
        "Rendez-vous d&#x27;affaires du 14/03/2019",
        "Reste à charge : 150",
        "Rendez-vous avec Boulangerie du Port (démo)",
        "Projet : Vitrine connectée Atelier Pixel",
        "Financement de Vitrine connectée Atelier Pixel",
        "Hébergée à Résidence Tourisme Up (dossiers)",
        "Label : Membre NWX",
        "Camille Martin",
    ):
        assert text in page, text
    only_support = timeline_of(client, firm, kinds=["support", "hosting"])
    assert "Accompagnement : Export" in only_support
    assert "Hébergée à" in only_support
    assert "Projet : Vitrine" not in only_support
    march = timeline_of(client, firm, start="2019-03-05", end="2019-03-20")
    assert "Accompagnement : Export" in march  # 6 March
    assert "Rendez-vous avec" in march  # 14 March
    assert "Besoin de digitalisation" not in march  # 4 March
    assert "Financement de" not in march  # May
    refused = client.get(url(firm), {"start": "2019-04-01", "end": "2019-03-01"})
    assert "La fin de la période doit suivre son début." in refused.content.decode()


def test_a_need_posted_unconfirmed_stays_out(client, world, firm):
    Need.objects.filter(siret__startswith=firm.siren).update(status="unconfirmed")
    client.force_login(world.cci_adviser)
    assert "Besoin de digitalisation" not in timeline_of(client, firm)


def test_a_note_is_read_by_its_office_or_by_every_partner_as_its_author_chose(client, world, firm):
    client.force_login(world.cci_adviser)
    response = client.post(
        url(firm, "note_add"), {"note-text": "Rappeler la gérante", "note-audience": world.cci.pk}
    )
    assert response.status_code == 302
    client.post(
        url(firm, "note_add"), {"note-text": "Dossier export suivi", "note-audience": "partners"}
    )
    assert CaseNote.objects.get(text="Rappeler la gérante").visibility == Visibility.ORGANISATION
    page = timeline_of(client, firm)
    assert "Rappeler la gérante" in page
    assert "Visible par CCI Normandie" in page
    client.force_login(world.cci_manager)  # the same office
    assert "Rappeler la gérante" in timeline_of(client, firm)
    client.force_login(world.cma_adviser)  # another office
    page = timeline_of(client, firm)
    assert "Rappeler la gérante" not in page
    assert "Dossier export suivi" in page
    # One cannot write for an office one is not part of.
    response = client.post(
        url(firm, "note_add"), {"note-text": "Intrus", "note-audience": world.cci.pk}
    )
    assert response.status_code == 422
    assert not CaseNote.objects.filter(text="Intrus").exists()
    client.force_login(world.pixel_member)
    assert (
        client.post(
            url(firm, "note_add"), {"note-text": "x", "note-audience": "partners"}
        ).status_code
        == 403
    )


def test_a_reminder_shows_on_its_day_is_mailed_once_and_is_done_from_the_page(client, world, firm):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    client.force_login(world.cci_adviser)
    client.post(
        url(firm, "reminder_add"),
        {"reminder-due_on": tomorrow.isoformat(), "reminder-text": "Rappeler Léa"},
    )
    reminder = Reminder.objects.get(owner=world.cci_adviser)
    assert "Rappeler Léa" in timeline_of(client, firm)
    assert "Rappeler Léa" not in client.get("/").content.decode()
    assert send_reminders.delay().get() == 0

    # Its day comes.
    Reminder.objects.filter(pk=reminder.pk).update(due_on=today)
    home = client.get("/").content.decode()
    assert "Rappeler Léa" in home
    assert url(firm) in home
    mail.outbox.clear()
    assert send_reminders.delay().get() == 1
    (message,) = mail.outbox
    assert message.to == ["conseil@cci.test"]
    assert "Atelier Pixel" in message.subject
    assert "Rappeler Léa" in message.body
    assert f"SIREN {firm.siren}" in message.body
    assert f"{url(firm)}\n" in message.body
    assert reminders_send(day=today) == 0  # once

    # Another partner sees nothing of it.
    client.force_login(world.cma_adviser)
    assert "Rappeler Léa" not in client.get("/").content.decode()
    assert client.post(url(firm, "reminder_mark", reminder.pk), {"done": "1"}).status_code == 404

    client.force_login(world.cci_adviser)
    client.post(url(firm, "reminder_mark", reminder.pk), {"done": "1"})
    assert "Rappeler Léa" not in client.get("/").content.decode()
    client.post(url(firm, "reminder_mark", reminder.pk), {"done": "0"})
    assert "Rappeler Léa" in client.get("/").content.decode()


def test_a_reminder_with_a_bad_date_is_refused_in_words(client, world, firm):
    client.force_login(world.cci_adviser)
    response = client.post(
        url(firm, "reminder_add"), {"reminder-due_on": "15 mars", "reminder-text": "x"}
    )
    assert response.status_code == 422
    assert Reminder.objects.count() == 0


def test_the_command_sends_the_reminders_of_the_day(world, firm):
    Reminder.objects.create(
        legal_unit=firm, owner=world.cci_adviser, due_on=ON, text="Relancer", created_at=_at(ON)
    )
    out = StringIO()
    call_command("send_reminders", now="2019-03-04T08:00", stdout=out)
    assert "rappels envoyés" in out.getvalue()
    assert Reminder.objects.get().mailed_at is not None


def test_the_case_file_reads_in_the_same_queries_whatever_the_history(
    client, world, firm, django_assert_num_queries
):
    client.force_login(world.cci_adviser)
    CaseNote.objects.create(
        legal_unit=firm, organisation=world.cci, visibility="partners", text="n", at=_at(ON)
    )
    Reminder.objects.create(
        legal_unit=firm, owner=world.cci_adviser, due_on=ON, text="r", created_at=_at(ON)
    )
    client.get(url(firm))  # the session and caches warmed
    with django_assert_num_queries(QUERIES):
        timeline_of(client, firm)
    other = LegalUnitFactory()
    for index in range(1, 6):
        history_add(
            firm,
            office=world.cci,
            cluster=world.nwx,
            on=ON + timedelta(days=40 * index),
            demo=False,
        )
        CaseNote.objects.create(
            legal_unit=firm, organisation=world.cci, visibility="partners", text="n", at=_at(ON)
        )
        history_add(
            other, office=world.cci, cluster=world.nwx, on=ON + timedelta(days=index), demo=False
        )
    with django_assert_num_queries(QUERIES):
        page = timeline_of(client, firm)
    assert page.count("Accompagnement : Export") == 6


# Session, user, the firm, memberships, one per kind (two for needs and projects: their
# matches and fundings), which support needs and projects the reader may open, the note
# form's offices, the reminders.
QUERIES = 20


def _at(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def _label():
    return Label.objects.create(slug="nwx", name="Membre NWX", kind=LabelKind.CLUSTER)


def test_the_firm_and_its_needs_link_to_the_case_file_for_partners_alone(client, world, firm):
    support = SupportNeed.objects.get(legal_unit=firm)
    need = Need.objects.get(siret__startswith=firm.siren)
    pages = [
        reverse("directory:detail", args=[firm.siren]),
        reverse("support:detail", args=[support.pk]),
        reverse("needs:adviser_detail", args=[need.pk]),
    ]
    client.force_login(world.cci_adviser)
    for page in pages:
        assert url(firm) in client.get(page).content.decode(), page
    client.force_login(world.pixel_member)
    for page in pages[:2]:  # its own firm's page and support need: no case file
        assert url(firm) not in client.get(page).content.decode(), page
    client.logout()
    assert url(firm) not in client.get(pages[0]).content.decode()


def test_the_timeline_links_to_the_pages_the_reader_may_open(client, world, firm):
    support = reverse("support:detail", args=[SupportNeed.objects.get(legal_unit=firm).pk])
    project = reverse("projects:detail", args=[firm.led_projects.get().pk])
    client.force_login(world.cci_adviser)  # the support need's office; not the project's
    page = timeline_of(client, firm)
    assert support in page
    assert project not in page
    assert "Projet : Vitrine connectée" in page
    client.force_login(world.cma_adviser)
    assert support not in timeline_of(client, firm)
    client.force_login(world.officer)
    page = timeline_of(client, firm)
    assert support in page
    assert project in page
