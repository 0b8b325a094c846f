"""Labels are granted, not ticked: a firm's members request one, the coordinators of the body
that grants it decide, and only granted labels show, filter the directory and are counted."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.common.refusals import Refused
from filiere.directory.models import Label, LabelRequest, LegalUnit
from filiere.directory.services import labels
from tests.factories import (
    DepartementFactory,
    EstablishmentFactory,
    LegalUnitFactory,
    OrganisationFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(db, on_commit_at_once):
    """Two granting bodies with their coordinators, a firm with a member, strangers."""
    DepartementFactory(code="14")
    tes = OrganisationFactory(slug="pole-tes", name="Pôle TES", kind=OrganisationKind.CLUSTER)
    nwx = OrganisationFactory(
        slug="nwx", name="Normandy Web Expert", kind=OrganisationKind.BUSINESS_ASSOCIATION
    )
    firm_org = OrganisationFactory(slug="bocage", name="Logiciels du Bocage")
    firm = LegalUnitFactory(name="Logiciels du Bocage", organisation=firm_org)
    EstablishmentFactory(legal_unit=firm, name="Logiciels du Bocage", departement_code="14")
    other = LegalUnitFactory(name="Autre Entreprise")
    EstablishmentFactory(legal_unit=other, name="Autre Entreprise", departement_code="14")
    return SimpleNamespace(
        tes=tes,
        nwx=nwx,
        firm=firm,
        other=other,
        tes_label=Label.objects.create(
            slug="membre-pole-tes", name="Membre du Pôle TES", kind="cluster", granted_by=tes
        ),
        nwx_label=Label.objects.create(
            slug="membre-nwx", name="Membre de NWX", kind="cluster", granted_by=nwx
        ),
        member=member(firm_org, Role.COMPANY_MEMBER, email="lea@bocage.test"),
        colleague=member(firm_org, Role.COMPANY_MEMBER, email="marc@bocage.test"),
        outsider=member(OrganisationFactory(), Role.COMPANY_MEMBER, email="x@ailleurs.test"),
        tes_coordinator=member(tes, Role.COORDINATOR, email="coordination@tes.test"),
        tes_adviser=member(tes, Role.ADVISER, email="conseil@tes.test"),
        nwx_coordinator=member(nwx, Role.COORDINATOR, email="coordination@nwx.test"),
        admin=UserFactory(email="admin@filiere.test", is_superuser=True),
    )


def firm_page(client, unit: LegalUnit) -> str:
    return client.get(reverse("directory:detail", args=[unit.siren])).content.decode()


def granted_on_page(page: str) -> str:
    """The public « Labels accordés » entry of a firm's page."""
    start = page.index('id="granted-labels"')
    return page[start : page.index("</dd>", start)]


def filtered(client, label: Label) -> str:
    return client.get(reverse("directory:list"), {"label": label.slug}).content.decode()


def request_label(client, unit, label, note=""):
    return client.post(
        reverse("directory:label_request", args=[unit.siren]), {"label": label.pk, "note": note}
    )


def decide(client, label_request, verb, reason=""):
    """A decision sent from the coordinators' page, its refusals coming back to it."""
    desk = reverse("directory:label_requests")
    return client.post(
        reverse(f"directory:label_{verb}", args=[label_request.pk]),
        {"reason": reason},
        HTTP_REFERER=f"http://testserver{desk}",
        follow=True,
    )


def test_a_requested_label_stays_hidden_until_the_granting_body_grants_it(client, lw):
    client.force_login(lw.member)
    page = firm_page(client, lw.firm)
    assert "Demander le label" in page
    mail.outbox.clear()
    response = request_label(client, lw.firm, lw.tes_label, note="Adhérents depuis 2019")
    assert response.status_code == 302
    label_request = LabelRequest.objects.get(legal_unit=lw.firm)
    assert label_request.is_pending
    assert label_request.requested_by == lw.member
    # The granting body's coordinators are told, nobody else.
    assert [m.to for m in mail.outbox] == [["coordination@tes.test"]]
    assert "Adhérents depuis 2019" in mail.outbox[0].body

    # The firm's members see it waiting; the public sees no label, nor does the filter.
    page = firm_page(client, lw.firm)
    assert "En attente" in page
    assert "Membre du Pôle TES" not in granted_on_page(page)
    client.logout()
    page = firm_page(client, lw.firm)
    assert "Membre du Pôle TES" not in granted_on_page(page)
    assert "Demandes de label" not in page
    assert "Logiciels du Bocage" not in filtered(client, lw.tes_label)

    client.force_login(lw.tes_coordinator)
    desk = client.get(reverse("directory:label_requests")).content.decode()
    assert "Logiciels du Bocage" in desk
    assert "Adhérents depuis 2019" in desk
    mail.outbox.clear()
    response = decide(client, label_request, "grant", reason="Cotisation 2024 réglée")
    assert "Label « Membre du Pôle TES » accordé à Logiciels du Bocage." in (
        response.content.decode()
    )
    label_request.refresh_from_db()
    assert label_request.is_granted
    assert label_request.decided_by == lw.tes_coordinator
    assert label_request.decided_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@bocage.test", "marc@bocage.test"]
    assert all("accordé" in m.subject for m in mail.outbox)

    client.logout()
    assert "Membre du Pôle TES" in granted_on_page(firm_page(client, lw.firm))
    assert "Logiciels du Bocage" in filtered(client, lw.tes_label)
    assert "Autre Entreprise" not in filtered(client, lw.tes_label)


def test_only_the_firms_members_and_administrators_request_its_labels(client, lw):
    url = reverse("directory:label_request", args=[lw.firm.siren])
    assert client.post(url, {"label": lw.tes_label.pk}).status_code == 302  # to sign in
    for stranger in (lw.outsider, lw.tes_coordinator, lw.tes_adviser):
        client.force_login(stranger)
        assert "Demander le label" not in firm_page(client, lw.firm)
        assert request_label(client, lw.firm, lw.tes_label).status_code == 403
    assert not LabelRequest.objects.exists()

    client.force_login(lw.admin)
    assert request_label(client, lw.firm, lw.nwx_label).status_code == 302
    client.force_login(lw.member)
    assert request_label(client, lw.firm, lw.tes_label).status_code == 302
    # The labels the firm awaits are no longer offered (here none is left to request); sent
    # anyway, the label is refused at its field.
    assert "Demander le label" not in firm_page(client, lw.firm)
    response = request_label(client, lw.firm, lw.tes_label)
    assert response.status_code == 422
    assert LabelRequest.objects.filter(legal_unit=lw.firm, label=lw.tes_label).count() == 1


def test_a_second_request_of_an_awaited_or_held_label_is_refused_by_the_rule(lw):
    """Two tabs: the second form still offers the label; the service's rule refuses it."""
    first = labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.member)
    with pytest.raises(Refused) as awaited:
        labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.colleague)
    assert awaited.value.rule == "directory.label_awaited"
    labels.label_grant(label_request=first, user=lw.tes_coordinator)
    with pytest.raises(Refused) as held:
        labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.colleague)
    assert held.value.rule == "directory.label_held"


def test_only_the_granting_bodys_coordinators_and_administrators_decide(client, lw):
    tes_request = labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.member)
    nwx_request = labels.label_request_record(unit=lw.firm, label=lw.nwx_label, user=lw.member)
    desk = reverse("directory:label_requests")

    # The firm's members see their request but do not decide it.
    client.force_login(lw.member)
    assert client.get(desk).status_code == 403
    assert decide(client, tes_request, "grant").status_code == 403
    # Another body's coordinator does not even see it; an adviser of the body does not decide.
    client.force_login(lw.nwx_coordinator)
    assert "Membre du Pôle TES" not in client.get(desk).content.decode()
    assert decide(client, tes_request, "grant").status_code == 404
    client.force_login(lw.tes_adviser)
    assert client.get(desk).status_code == 403
    assert decide(client, tes_request, "grant").status_code == 404
    tes_request.refresh_from_db()
    assert tes_request.is_pending

    client.force_login(lw.tes_coordinator)
    page = client.get(desk).content.decode()
    assert "Membre du Pôle TES" in page
    assert "Membre de NWX" not in page
    decide(client, tes_request, "grant")
    # An administrator decides for any body.
    client.force_login(lw.admin)
    assert "Membre de NWX" in client.get(desk).content.decode()
    decide(client, nwx_request, "grant")
    assert set(lw.firm.labels.all()) == {lw.tes_label, lw.nwx_label}


def test_a_refusal_says_why_and_the_firm_may_ask_again(client, lw):
    label_request = labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.member)
    client.force_login(lw.tes_coordinator)
    mail.outbox.clear()
    response = decide(client, label_request, "refuse", reason="   ")
    assert "Donnez le motif : l&#x27;entreprise le lira." in response.content.decode()
    label_request.refresh_from_db()
    assert label_request.is_pending
    assert mail.outbox == []

    decide(client, label_request, "refuse", reason="Pas d'adhésion au pôle à ce jour.")
    label_request.refresh_from_db()
    assert label_request.status == "refused"
    assert label_request.decided_by == lw.tes_coordinator
    assert {m.to[0] for m in mail.outbox} == {"lea@bocage.test", "marc@bocage.test"}
    assert "Pas d'adhésion au pôle à ce jour." in mail.outbox[0].body
    # Decided once: granting it now is refused.
    response = decide(client, label_request, "grant")
    assert "Cette demande de label est déjà décidée." in response.content.decode()
    assert not lw.firm.labels.exists()

    client.force_login(lw.member)
    page = firm_page(client, lw.firm)
    assert "Refusé" in page
    assert "Pas d&#x27;adhésion au pôle à ce jour." in page
    assert "Membre du Pôle TES" not in granted_on_page(page)
    client.force_login(lw.outsider)
    assert "Pas d&#x27;adhésion" not in firm_page(client, lw.firm)

    client.force_login(lw.member)
    assert request_label(client, lw.firm, lw.tes_label).status_code == 302
    assert LabelRequest.objects.filter(legal_unit=lw.firm, status="pending").count() == 1


def test_a_granted_label_is_withdrawn_with_a_reason_and_stops_showing(client, lw):
    label_request = labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.member)
    client.force_login(lw.tes_coordinator)
    response = decide(client, label_request, "withdraw", reason="Plus adhérent")
    assert "Ce label n&#x27;est pas accordé" in response.content.decode()
    decide(client, label_request, "grant")
    assert "Logiciels du Bocage" in filtered(client, lw.tes_label)

    decide(client, label_request, "withdraw", reason="")
    assert lw.firm.labels.exists()
    mail.outbox.clear()
    decide(client, label_request, "withdraw", reason="Adhésion non renouvelée en 2025.")
    label_request.refresh_from_db()
    assert label_request.is_withdrawn
    assert label_request.withdrawn_by == lw.tes_coordinator
    assert label_request.withdrawal_reason == "Adhésion non renouvelée en 2025."
    assert label_request.decided_by == lw.tes_coordinator  # the grant stays in the history
    assert {m.to[0] for m in mail.outbox} == {"lea@bocage.test", "marc@bocage.test"}
    assert all("retiré" in m.subject for m in mail.outbox)

    client.logout()
    assert "Membre du Pôle TES" not in granted_on_page(firm_page(client, lw.firm))
    assert "Logiciels du Bocage" not in filtered(client, lw.tes_label)
    client.force_login(lw.member)
    page = firm_page(client, lw.firm)
    assert "Adhésion non renouvelée en 2025." in page
    assert "Membre du Pôle TES" in page[page.index('name="label"') :]  # it may ask again


def test_the_profile_form_no_longer_ticks_labels(client, lw):
    client.force_login(lw.member)
    page = client.get(reverse("directory:edit", args=[lw.firm.siren])).content.decode()
    assert "Membre du Pôle TES" not in page
    response = client.post(
        reverse("directory:edit", args=[lw.firm.siren]),
        {"description": "ERP", "website": "", "tags_text": "", "labels": [lw.tes_label.pk]},
    )
    assert response.status_code == 302
    assert not lw.firm.labels.exists()


def test_the_requests_page_lists_pending_first_in_a_fixed_number_of_queries(
    client, lw, django_assert_num_queries
):
    def firm_requesting(n):
        unit_org = OrganisationFactory()
        unit = LegalUnitFactory(name=f"Firme {n:02d}", organisation=unit_org)
        return unit, member(unit_org, Role.COMPANY_MEMBER)

    def some(count):
        for n in range(count):
            unit, person = firm_requesting(LabelRequest.objects.count())
            made = labels.label_request_record(unit=unit, label=lw.tes_label, user=person)
            if n % 3 == 1:
                labels.label_grant(label_request=made, user=lw.tes_coordinator)
            elif n % 3 == 2:
                labels.label_refuse(label_request=made, user=lw.tes_coordinator, reason="Non")

    some(3)
    client.force_login(lw.tes_coordinator)
    url = reverse("directory:label_requests")
    client.get(url)  # the session and the user's roles, read once
    with django_assert_num_queries(6):
        client.get(url)
    some(9)
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    shown = re.findall(r"<td>(En attente|Accordé|Refusé)</td>", page)
    assert len(shown) == 12
    assert shown[:4] == ["En attente"] * 4  # the 4 waiting ones first
    assert "En attente" not in shown[4:]
    csv = client.get(url, {"format": "csv", "status": "refused"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("demande_le;entreprise;siren;label;accorde_par")
    assert len(csv.splitlines()) == 1 + 4


def test_label_requests_are_in_the_personal_data_export_and_outlive_the_account(client, lw):
    label_request = labels.label_request_record(
        unit=lw.firm, label=lw.tes_label, user=lw.member, note="Adhérents"
    )
    labels.label_grant(label_request=label_request, user=lw.tes_coordinator)
    client.force_login(lw.member)
    (row,) = client.get(reverse("accounts:export")).json()["demandes_de_label"]
    assert (row["label"], row["demande_par_vous"], row["message"]) == (
        "Membre du Pôle TES",
        True,
        "Adhérents",
    )
    client.force_login(lw.tes_coordinator)
    (row,) = client.get(reverse("accounts:export")).json()["demandes_de_label"]
    assert row["decide_par_vous"]
    assert not row["demande_par_vous"]
    client.force_login(lw.member)
    client.post(reverse("accounts:erase"), {"password": "motdepasse-test"})
    label_request.refresh_from_db()
    assert label_request.requested_by is None  # the firm's label and its history stay
    assert label_request.is_granted


def test_a_decision_for_a_firm_without_member_goes_to_its_contact_address(client, lw):
    from filiere.accounts.models import Membership

    made = labels.label_request_record(unit=lw.firm, label=lw.tes_label, user=lw.member)
    Membership.objects.filter(organisation=lw.firm.organisation).update(is_active=False)
    LegalUnit.objects.filter(pk=lw.firm.pk).update(contact_email="contact@bocage.test")
    mail.outbox.clear()
    client.force_login(lw.tes_coordinator)
    client.post(reverse("directory:label_grant", args=[made.pk]), {"reason": ""})
    [message] = mail.outbox
    assert message.to == ["contact@bocage.test"]
    assert "Aucun membre de Logiciels du Bocage n'a encore de compte" in message.body
    made.refresh_from_db()
    assert made.firm_told == "contact_address"
    # The coordinator reads it beside the decision, and in the export.
    page = client.get(reverse("directory:label_requests")).content.decode()
    assert "Transmis à l&#x27;adresse de contact de l&#x27;entreprise" in page
    export = client.get(reverse("directory:label_requests"), {"format": "csv"})
    assert "Transmis à l'adresse de contact de l'entreprise" in export.content.decode()


def test_a_request_to_a_body_without_coordinator_goes_to_the_programme_officers(lw):
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    member(region, Role.PROGRAMME_OFFICER, email="officier@region.test")
    body = OrganisationFactory(slug="french-tech", name="Normandy French Tech")
    label = Label.objects.create(slug="ft", name="French Tech", kind="french_tech", granted_by=body)
    mail.outbox.clear()
    labels.label_request_record(unit=lw.firm, label=label, user=lw.member)
    [message] = mail.outbox
    assert message.to == ["officier@region.test"]
    assert "qui n'a pas de coordinateur·rice sur la plateforme" in message.body
    assert f"/annuaire/{lw.firm.siren}/" in message.body
