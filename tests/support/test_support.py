import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management.base import CommandError
from django.utils import timezone

from filiere.accounts.models import Membership
from filiere.common.refusals import Refused
from filiere.support.enums import EventKind, Subject, SupportStatus, TradeRegister
from filiere.support.models import RoutingRule, SupportNeed
from filiere.support.services import (
    escalate,
    routed_offices,
    support_need_move_on,
    support_need_record,
    support_need_take,
)


def record(world, subject=Subject.FINANCE, register=TradeRegister.TRADE, unit=None, **kwargs):
    return support_need_record(
        unit=unit or world.pixel,
        subject=subject,
        description="Plan de financement pour recruter",
        register=register,
        user=world.coordinator,
        **kwargs,
    )


def test_rules_route_by_subject_register_and_territory(world):
    def offices(unit, subject, register, departement):
        return {
            o.slug
            for o in routed_offices(
                unit=unit, subject=subject, register=register, departement=departement
            )
        }

    assert offices(world.pixel, Subject.FINANCE, TradeRegister.TRADE, "14") == {"cci"}
    assert offices(world.pixel, Subject.FINANCE, TradeRegister.CRAFT, "14") == {"cma"}
    assert offices(world.pixel, Subject.EXPORT, TradeRegister.TRADE, "14") == {"cci"}
    assert offices(world.rempart, Subject.EXPORT, TradeRegister.TRADE, "76") == {"cci", "cma"}
    assert offices(world.pixel, Subject.PREMISES, TradeRegister.TRADE, "14") == set()
    # Size and NAF narrow a rule.
    RoutingRule.objects.create(
        subject=Subject.PREMISES, naf_prefix="62", size="micro", office=world.nwx
    )
    assert offices(world.pixel, Subject.PREMISES, TradeRegister.TRADE, "14") == set()
    world.pixel.headcount_band = "02"
    assert offices(world.pixel, Subject.PREMISES, TradeRegister.TRADE, "14") == {"nwx"}
    world.pixel.naf = "58.29C"
    assert offices(world.pixel, Subject.PREMISES, TradeRegister.TRADE, "14") == set()


def test_recorded_need_goes_to_the_right_office_which_takes_and_closes_it(client, world):
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
    need = SupportNeed.objects.get()
    assert "Besoin transmis à : CCI" in response.content.decode()
    # Whoever may see the need reads whom to get in touch with, as recorded.
    contact = re.search(r'<dd id="support-contact">(.*?)</dd>', response.content.decode(), re.S)
    assert "Léa Martin" in contact.group(1)
    assert "lea@pixel.test" in contact.group(1)
    assert "02 31 00 00 00" in contact.group(1)
    assert list(need.offices.all()) == [world.cci]
    assert need.departement_code == "14"
    assert mail.outbox[-1].to == ["conseil@cci.test"]

    # The CMA's adviser is not offered it, and is refused if they force it.
    client.force_login(world.cma_adviser)
    assert client.get(f"/accompagnement/{need.pk}/").status_code == 404
    assert client.post(f"/accompagnement/{need.pk}/prendre/").status_code == 404
    client.force_login(world.cci_manager)  # sees every need, but is not an adviser
    assert client.post(f"/accompagnement/{need.pk}/prendre/").status_code == 403

    client.force_login(world.cci_adviser)
    assert "Je prends en charge" in client.get(f"/accompagnement/{need.pk}/").content.decode()
    client.post(f"/accompagnement/{need.pk}/prendre/")
    need.refresh_from_db()
    assert need.status == SupportStatus.TAKEN
    assert need.taken_office == world.cci
    assert need.taken_by == world.cci_adviser

    # Nothing is chosen for them: a closing state is a choice, and one click closes nothing.
    page = client.get(f"/accompagnement/{need.pk}/").content.decode()
    assert '<option value="" selected>— Choisir —</option>' in page
    mail.outbox.clear()
    assert client.post(f"/accompagnement/{need.pk}/etat/", {"status": ""}).status_code == 422
    need.refresh_from_db()
    assert need.status == SupportStatus.TAKEN
    assert mail.outbox == []
    client.post(f"/accompagnement/{need.pk}/etat/", {"status": SupportStatus.DONE, "note": "Prêt"})
    need.refresh_from_db()
    assert need.status == SupportStatus.DONE
    assert need.closed_at is not None
    survey = re.search(r"(/accompagnement/avis/[^\s]+/)", mail.outbox[-1].body).group(1)
    # The firm's members are asked, not the coordinator who recorded the need for it.
    assert {a for m in mail.outbox for a in m.to} == {"lea@pixel.test"}

    client.logout()
    assert client.post(survey, {"rating": "9"}).status_code == 422
    client.post(survey, {"rating": "4", "comment": "Réactifs"})
    need.refresh_from_db()
    assert need.satisfaction == 4
    client.force_login(world.cci_adviser)
    page = client.get(f"/accompagnement/{need.pk}/").content.decode()
    assert "4/5 Réactifs" in page
    kinds = list(need.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ROUTED,
        EventKind.TAKEN,
        EventKind.STATUS,
        EventKind.SURVEY,
        EventKind.SATISFACTION,
    ]
    # The history says the firm was asked, and through whom.
    assert "Avis demandé à l&#x27;entreprise" in page
    assert "Transmis à l&#x27;équipe de l&#x27;entreprise" in page
    assert "Satisfaction des entreprises : 4/5" in client.get("/accompagnement/").content.decode()


def test_not_for_us_hands_the_need_to_the_other_offices(world):
    need = record(world, subject=Subject.EXPORT, unit=world.rempart)
    assert set(need.offices.all()) == {world.cci, world.cma}
    from filiere.support.services import support_need_move_on, support_need_take

    support_need_take(need=need, user=world.cma_adviser)
    with pytest.raises(Refused, match="déjà pris en charge") as refused:
        support_need_take(need=need, user=world.cci_adviser)
    assert refused.value.rule == "taking.already_taken"
    need.refresh_from_db()
    support_need_move_on(need=need, user=world.cma_adviser, status=SupportStatus.NOT_FOR_US)
    need.refresh_from_db()
    assert need.status == SupportStatus.NEW
    assert list(need.offices.all()) == [world.cci]
    support_need_take(need=need, user=world.cci_adviser)
    need.refresh_from_db()
    support_need_move_on(need=need, user=world.cci_adviser, status=SupportStatus.NOT_FOR_US)
    need.refresh_from_db()
    assert need.status == SupportStatus.NOT_FOR_US


def test_only_the_office_that_took_it_moves_it_on(client, world):
    need = record(world, subject=Subject.EXPORT, unit=world.rempart)
    client.force_login(world.cma_adviser)
    client.post(f"/accompagnement/{need.pk}/prendre/")
    client.force_login(world.cci_adviser)
    response = client.post(f"/accompagnement/{need.pk}/etat/", {"status": SupportStatus.DONE})
    assert response.status_code == 403


def test_escalation_with_a_frozen_clock(world, run_command):
    start = timezone.now() - timedelta(days=40)
    late = record(world, now=start)
    taken = record(world, now=start)
    taken.status = SupportStatus.TAKEN
    taken.save()
    mail.outbox.clear()

    def run(days):
        mail.outbox.clear()
        out, _ = run_command(
            "escalate_support_needs", now=(start + timedelta(days=days)).isoformat()
        )
        late.refresh_from_db()
        return out, [set(m.to) for m in mail.outbox]

    assert run(6) == (
        "Terminé — relances à 7 jours: 0, relances à 14 jours: 0, abandonnés: 0\n",
        [],
    )
    out, sent = run(8)
    assert "relances à 7 jours: 1" in out
    assert sent == [{"conseil@cci.test"}]
    assert late.escalation_level == 7
    assert run(9)[1] == []  # idempotent: the step is done
    out, sent = run(15)
    assert "relances à 14 jours: 1" in out
    assert sent == [{"conseil@cci.test"}, {"direction@cci.test"}]  # the managers too
    out, sent = run(31)
    assert "abandonnés: 1" in out
    assert late.status == SupportStatus.ABANDONED
    assert run(45)[1] == []
    taken.refresh_from_db()
    assert taken.escalation_level == 0
    assert list(late.events.values_list("kind", flat=True)) == [
        EventKind.ROUTED,
        EventKind.REMINDER,
        EventKind.REMINDER,
        EventKind.ABANDONED,
    ]
    with pytest.raises(CommandError, match="date invalide"):
        run_command("escalate_support_needs", now="demain")


def test_a_need_first_seen_late_jumps_to_its_step(world, run_command):
    start = timezone.now() - timedelta(days=20)
    need = record(world, now=start)
    out, _ = run_command("escalate_support_needs", now=timezone.now().isoformat())
    assert "relances à 7 jours: 0, relances à 14 jours: 1" in out
    need.refresh_from_db()
    assert need.escalation_level == 14


def test_officers_edit_the_rules_that_advisers_read(client, world):
    client.force_login(world.pixel_member)
    assert "Règles d'orientation" not in client.get("/accompagnement/").content.decode()
    assert client.get("/accompagnement/regles/").status_code == 403
    client.force_login(world.cci_adviser)
    assert "Règles d'orientation" in client.get("/accompagnement/").content.decode()
    page = client.get("/accompagnement/regles/").content.decode()
    assert "Ingénierie financière" in page
    assert "Ajouter la règle" not in page
    assert "désactiver" not in page
    rule = RoutingRule.objects.first()
    assert client.post(f"/accompagnement/regles/{rule.pk}/basculer/").status_code == 403
    bad = {"subject": Subject.PREMISES, "naf_prefix": "6x", "office": world.nwx.pk}
    assert client.post("/accompagnement/regles/", bad).status_code == 403
    client.force_login(world.officer)
    response = client.post("/accompagnement/regles/", bad)
    assert response.status_code == 422
    assert "naf_prefix" in response.context["form"].errors
    client.post("/accompagnement/regles/", {**bad, "naf_prefix": "62"})
    rule = RoutingRule.objects.get(subject=Subject.PREMISES)
    assert rule.office == world.nwx
    client.post(f"/accompagnement/regles/{rule.pk}/basculer/")
    rule.refresh_from_db()
    assert not rule.is_active


def test_who_sees_which_needs(client, world, django_assert_max_num_queries):
    for _ in range(4):
        record(world)
    record(world, subject=Subject.EXPORT, unit=world.rempart)
    client.force_login(world.cma_adviser)
    assert client.get("/accompagnement/").content.decode().count("Rempart Sécurité") == 1
    client.force_login(world.pixel_member)  # the firm sees its own needs
    page = client.get("/accompagnement/").content.decode()
    assert page.count("Ingénierie financière") >= 4
    assert "Rempart Sécurité" not in page
    assert "4 besoins" in page
    # Its export holds what its page lists, with the same filters.
    exported = client.get("/accompagnement/?format=csv&subject=export").content.decode()
    assert exported.splitlines()[0].startswith("\ufeffenregistre_le;entreprise;siren;sujet")
    assert len(exported.splitlines()) == 1
    exported = client.get("/accompagnement/?format=csv").content.decode().splitlines()
    assert len(exported) == 1 + 4
    assert all(
        ";Ingénierie financière;" in line and world.pixel.siren in line for line in exported[1:]
    )
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(8):
        page = client.get("/accompagnement/").content.decode()
    assert "Rempart Sécurité" in page
    # A firm's member may only record for their own firm.
    client.force_login(world.pixel_member)
    response = client.post(
        "/accompagnement/nouveau/",
        {
            "siren": world.rempart.siren,
            "subject": Subject.EXPORT,
            "description": "x",
            "register": TradeRegister.TRADE,
            "contact_name": "Marc Durand",
            "contact_email": "marc@rempart.test",
        },
    )
    assert response.status_code == 422
    assert "siren" in response.context["form"].errors


def test_a_need_no_office_takes_goes_to_the_programme_officers(client, world):
    mail.outbox.clear()
    client.force_login(world.coordinator)
    response = client.post(
        "/accompagnement/nouveau/",
        {
            "siren": world.pixel.siren,
            "subject": Subject.PREMISES,  # no rule takes it
            "description": "Des locaux à Caen",
            "register": TradeRegister.TRADE,
            "contact_name": "Léa Martin",
            "contact_phone": "02 31 00 00 00",
        },
        follow=True,
    )
    assert "les chargé·es de mission de la Région en sont prévenu·es" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["officier@region.test"]
    assert "Aucune règle d'orientation ne prend ce besoin" in message.body
    need = SupportNeed.objects.get()
    assert need.events.get().note == (
        "aucun bureau ne correspond — transmis aux chargé·es de mission de la Région"
    )
    # Its reminders go to them too.
    mail.outbox.clear()
    escalate(now=need.created_at + timedelta(days=8))
    assert [m.to for m in mail.outbox] == [["officier@region.test"]]
    assert "il vous est transmis en tant que chargé·e de mission" in mail.outbox[0].body


def test_the_survey_of_a_firm_without_member_is_relayed_by_the_region_not_by_advisers(world):
    need = record(world, unit=world.gestion)  # a firm without member, in Seine-Maritime
    need = support_need_take(need=need, user=world.cci_adviser)
    mail.outbox.clear()
    Membership.objects.filter(user=world.coordinator).update(is_active=False)
    SupportNeed.objects.filter(pk=need.pk).update(recorded_by=None)
    need.refresh_from_db()
    support_need_move_on(need=need, user=world.cci_adviser, status=SupportStatus.DONE)
    # The CMA's and the CCI's advisers follow its territory, but the survey rates them.
    assert [m.to for m in mail.outbox] == [["officier@region.test"]]
    assert "en tant que chargé·e de mission de la Région" in mail.outbox[0].body
    asked = need.events.get(kind=EventKind.SURVEY)
    assert asked.note == "Transmis aux chargé·es de mission de la Région"


def test_notes_are_added_never_overwritten(client, world):
    """A qualification, why an office hands the need back, how it was closed: each note stays,
    dated and signed, in order (the office handing it back used to leave only its own)."""
    need = record(world, subject=Subject.EXPORT, unit=world.rempart)
    support_need_take(need=need, user=world.cma_adviser)
    client.force_login(world.cma_adviser)
    assert client.post(f"/accompagnement/{need.pk}/note/", {"text": ""}).status_code == 422
    client.post(f"/accompagnement/{need.pk}/note/", {"text": "Export vers la Belgique, 3 salariés"})
    client.post(
        f"/accompagnement/{need.pk}/etat/",
        {"status": SupportStatus.NOT_FOR_US, "note": "Hors artisanat : pour la CCI"},
    )
    # The office that handed it back writes no more notes on it.
    response = client.post(f"/accompagnement/{need.pk}/note/", {"text": "Encore"})
    assert response.status_code == 404  # no longer routed to the CMA: it no longer sees it
    need.refresh_from_db()
    support_need_take(need=need, user=world.cci_adviser)
    client.force_login(world.cci_adviser)
    client.post(
        f"/accompagnement/{need.pk}/etat/", {"status": SupportStatus.DONE, "note": "Salon à Gand"}
    )
    notes = list(need.notes.values_list("kind", "text", "author__email"))
    assert notes == [
        ("note", "Export vers la Belgique, 3 salariés", "conseil@cma.test"),
        ("redirect", "Hors artisanat : pour la CCI", "conseil@cma.test"),
        ("closing", "Salon à Gand", "conseil@cci.test"),
    ]
    page = client.get(f"/accompagnement/{need.pk}/").content.decode()
    section = page[page.index('id="notes"') :]
    positions = [section.index(text) for _kind, text, _by in notes]
    assert positions == sorted(positions)
    assert "Réorientation" in section


def test_only_the_office_holding_a_need_notes_it(client, world):
    need = record(world, subject=Subject.EXPORT, unit=world.rempart)
    client.force_login(world.cci_adviser)
    assert client.post(f"/accompagnement/{need.pk}/note/", {"text": "x"}).status_code == 403
    support_need_take(need=need, user=world.cma_adviser)
    assert client.post(f"/accompagnement/{need.pk}/note/", {"text": "x"}).status_code == 403
    assert not need.notes.exists()
