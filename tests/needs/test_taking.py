"""A digitalisation need has an owner: one adviser of an office it goes to takes it, closes it
with its outcome; its notes are kept; nobody taking it is escalated (common.taking)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from filiere.accounts.enums import Role
from filiere.common.refusals import Refused
from filiere.needs.enums import NeedStatus
from filiere.needs.models import InvitationList, Need
from filiere.needs.services import need_take
from tests.factories import MembershipFactory, UserFactory, member
from tests.needs.test_needs import post_and_confirm


def test_one_adviser_of_a_matching_office_takes_the_need_and_says_so(client, world):
    need = post_and_confirm(client)  # in Calvados
    detail = f"/besoins/conseil/{need.pk}/"
    nwx_adviser = member(world.nwx, Role.ADVISER, email="conseil@nwx.test")

    # The CMA follows Seine-Maritime only: the need is not theirs.
    client.force_login(world.cma_adviser)
    assert client.post(f"{detail}prendre/").status_code == 404
    # A coordinator follows every need but takes none.
    client.force_login(world.cci_manager)
    assert "Prendre en charge" not in client.get(detail).content.decode()
    assert client.post(f"{detail}prendre/").status_code == 403

    client.force_login(world.cci_adviser)
    page = client.get(detail).content.decode()
    assert "Prendre en charge" in page
    assert "personne pour l'instant" in page
    response = client.post(f"{detail}prendre/", follow=True)
    taken = re.search(r'<dd id="need-taken">(.*?)</dd>', response.content.decode(), re.S)
    assert "CCI" in taken.group(1)
    assert str(world.cci_adviser) in taken.group(1)
    need.refresh_from_db()
    assert (need.status, need.taken_by, need.taken_office) == (
        NeedStatus.TAKEN,
        world.cci_adviser,
        world.cci,
    )

    # Another office's adviser who follows Calvados may no longer take it.
    client.force_login(nwx_adviser)
    page = client.get(detail).content.decode()
    assert "Prendre en charge" not in page
    assert "CCI" in page
    assert client.post(f"{detail}prendre/").status_code == 409
    need.refresh_from_db()
    assert need.taken_by == world.cci_adviser
    # Nor close it: only the office that took it does.
    closing = {"status": NeedStatus.DONE, "note": "x"}
    assert client.post(f"{detail}clore/", closing).status_code == 403

    client.force_login(world.cci_adviser)
    assert client.post(f"{detail}clore/", {"status": NeedStatus.CLOSED}).status_code == 422
    client.post(f"{detail}clore/", {"status": NeedStatus.DONE, "note": "Devis signé avec Pixel"})
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE
    assert need.closed_at is not None
    assert list(need.notes.values_list("kind", "text")) == [("closing", "Devis signé avec Pixel")]


def test_a_second_take_at_the_same_moment_is_refused(client, world):
    need = post_and_confirm(client)
    other = member(world.nwx, Role.ADVISER, email="conseil@nwx.test")
    stale = Need.objects.get(pk=need.pk)  # read before the first take, as a concurrent request
    need_take(need=need, user=world.cci_adviser)
    with pytest.raises(Refused) as refused:
        need_take(need=stale, user=other)
    assert refused.value.rule == "taking.already_taken"
    need.refresh_from_db()
    assert need.taken_by == world.cci_adviser


def test_a_redirect_keeps_the_qualification_note_and_the_office_it_goes_to_takes_it(client, world):
    need = post_and_confirm(client)  # in Calvados, which the CMA does not follow
    detail = f"/besoins/conseil/{need.pk}/"
    client.force_login(world.cci_adviser)
    client.post(f"{detail}qualifier/", {"domain": "web", "note": "Boutique et paiement en ligne"})
    client.post(f"{detail}reorienter/", {"organisation": world.cma.pk, "note": "Artisan cidrier"})
    need.refresh_from_db()
    assert need.status == NeedStatus.NEW
    assert need.redirected_to == world.cma
    notes = list(need.notes.values_list("kind", "text", "author__email"))
    assert notes == [
        ("qualification", "Boutique et paiement en ligne", "conseil@cci.test"),
        ("redirect", "Artisan cidrier", "conseil@cci.test"),
    ]
    page = client.get(detail).content.decode()
    section = page[page.index('id="notes"') :]
    assert section.index("Boutique et paiement") < section.index("Artisan cidrier")
    # Redirected, it is the CMA's to take, not the CCI's any more.
    assert "Prendre en charge" not in page
    client.force_login(world.cma_adviser)
    assert "Prendre en charge" in client.get(detail).content.decode()
    client.post(f"{detail}prendre/")
    need.refresh_from_db()
    assert need.taken_office == world.cma


def test_nobody_taking_a_need_is_escalated_with_a_frozen_clock(client, world, run_command):
    need = post_and_confirm(client)
    start = timezone.now() - timedelta(days=40)
    Need.objects.filter(pk=need.pk).update(confirmed_at=start)
    taken = post_and_confirm(client, contact_email="autre@exemple.test")
    Need.objects.filter(pk=taken.pk).update(confirmed_at=start)
    need_take(need=taken, user=world.cci_adviser)

    def run(days):
        mail.outbox.clear()
        out, _ = run_command("escalate_needs", now=(start + timedelta(days=days)).isoformat())
        need.refresh_from_db()
        return out, [set(m.to) for m in mail.outbox]

    assert run(6) == (
        "Terminé — relances à 7 jours: 0, relances à 14 jours: 0, abandonnés: 0\n",
        [],
    )
    out, sent = run(8)
    assert "relances à 7 jours: 1" in out
    assert sent == [{"conseil@cci.test"}]  # the advisers who follow Calvados
    assert run(9)[1] == []  # each step once
    out, sent = run(15)
    assert "relances à 14 jours: 1" in out
    assert sent == [{"conseil@cci.test"}, {"officier@region.test"}]  # escalated to the Region
    assert "Les chargé·es de mission de la Région en sont informé·es" in mail.outbox[0].body
    out, sent = run(31)
    assert "abandonnés: 1" in out
    assert need.status == NeedStatus.ABANDONED
    assert run(45)[1] == []
    taken.refresh_from_db()
    assert (taken.status, taken.escalation_level) == (NeedStatus.TAKEN, 0)


def test_the_list_picker_makes_a_list_in_place_and_keeps_the_firms_ticked(client, world):
    need = post_and_confirm(client)
    detail = f"/besoins/conseil/{need.pk}/"
    client.force_login(world.cci_adviser)
    page = client.get(detail).content.decode()
    assert 'name="new_list"' in page  # no list yet: one is named here
    assert 'name="invitation_list"' not in page
    firms = [world.pixel.pk, world.gestion.pk]
    assert set(firms) <= set(need.matches.values_list("legal_unit_id", flat=True))

    # Sent back with an error, the firms chosen stay ticked.
    response = client.post(f"{detail}inviter/", {"firms": firms, "new_list": ""})
    assert response.status_code == 422
    ticked = set(re.findall(r'value="(\d+)"[^>]*\bchecked', response.content.decode()))
    assert ticked == {str(pk) for pk in firms}
    assert "Nommez la liste d" in response.content.decode()
    assert not InvitationList.objects.exists()

    response = client.post(
        f"{detail}inviter/", {"firms": firms, "new_list": "Rencontres de Caen"}, follow=True
    )
    invitation = InvitationList.objects.get()
    assert (invitation.name, invitation.organisation, invitation.created_by) == (
        "Rencontres de Caen",
        world.cci,
        world.cci_adviser,
    )
    assert set(invitation.entries.values_list("legal_unit_id", flat=True)) == set(firms)
    assert f"{len(firms)} entreprises ajoutées à la liste « Rencontres de Caen »" in (
        response.content.decode()
    )

    # Now that a list exists, it is offered beside a new one.
    page = client.get(detail).content.decode()
    assert 'name="invitation_list"' in page
    response = client.post(f"{detail}inviter/", {"firms": [world.pixel.pk]})
    assert response.status_code == 422
    assert "Choisissez une liste, ou nommez la nouvelle liste" in response.content.decode()
    assert re.search(rf'value="{world.pixel.pk}"[^>]*\bchecked', response.content.decode())
    # No firm ticked says so.
    response = client.post(f"{detail}inviter/", {"invitation_list": invitation.pk})
    assert response.status_code == 422
    assert "Cochez au moins une entreprise" in response.content.decode()


def test_a_new_list_is_made_for_the_office_chosen_or_refused_in_words(client, world):
    need = post_and_confirm(client)
    detail = f"/besoins/conseil/{need.pk}/"
    firms = {"firms": [world.pixel.pk], "new_list": "Rencontres"}
    # An administrator acts for no office: told so, nothing made (it used to be a 500).
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(f"{detail}inviter/", firms)
    assert response.status_code == 422
    assert "vous n&#x27;en représentez aucune" in response.content.decode()
    # Who acts for two offices says which one the new list is for.
    both = member(world.cci, Role.ADVISER, email="double@cci.test")
    MembershipFactory(user=both, organisation=world.nwx, role=Role.ADVISER)
    client.force_login(both)
    response = client.post(f"{detail}inviter/", firms)
    assert response.status_code == 422
    assert "Choisissez l&#x27;organisateur de la liste" in response.content.decode()
    client.post(f"{detail}inviter/", {**firms, "organisation": world.nwx.pk})
    assert InvitationList.objects.get().organisation == world.nwx
    assert not InvitationList.objects.filter(organisation=world.cci).exists()


def test_a_need_is_redirected_only_to_an_office_with_an_adviser_and_the_reason_stays(client, world):
    need = post_and_confirm(client)
    detail = f"/besoins/conseil/{need.pk}/"
    client.force_login(world.cci_adviser)
    page = client.get(detail).content.decode()
    offered = re.findall(
        r'<option value="(\d+)"',
        page[page.index('id="redirect-organisation"') :].split("</select>")[0],
    )
    assert str(world.cma.pk) in offered
    # NWX has a coordinator and no adviser; the Region an officer: nobody would take it there.
    assert str(world.nwx.pk) not in offered
    assert str(world.officer.memberships.get().organisation_id) not in offered
    response = client.post(
        f"{detail}reorienter/", {"organisation": world.nwx.pk, "note": "Pour NWX"}
    )
    assert response.status_code == 422
    assert "Pour NWX" in response.content.decode()
    need.refresh_from_db()
    assert need.redirected_to is None
