"""The lead edits the project while it is a draft (sent back for changes included), each edit
kept in its history; a project is submitted, and labelled, with a budget and a consortium;
the cluster corrects the decision and the fundings it records, with a reason."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from filiere.common.refusals import Refused
from filiere.projects.enums import Opinion, PartnerKind, ProjectState
from filiere.projects.models import Partner
from filiere.projects.services.consortium import partner_add, partner_remove
from filiere.projects.services.follow_up import funding_add, funding_cancel, funding_correct
from filiere.projects.services.projects import EDITED_FIELDS, project_edit
from filiere.projects.services.reviews import review_correct, review_declare
from filiere.projects.services.workflow import decision_correct, project_move
from tests.factories import LegalUnitFactory, MembershipFactory

S = ProjectState


def edit_data(project, **changes) -> dict:
    """The edit page's form as it comes, with ``changes``."""
    data = {
        "title": project.title,
        "acronym": project.acronym,
        "lead": project.lead_id,
        "cluster": project.cluster_id,
        "market": project.market,
        "trl": project.trl,
        "summary": project.summary,
        "starts_on": "",
        "ends_on": "",
        "note": "",
    }
    for partner in project.partners.all():
        data[f"partner-{partner.pk}-kind"] = partner.kind
        data[f"partner-{partner.pk}-budget"] = str(partner.budget)
    data.update(changes)
    return data


def detail(client, project) -> str:
    return client.get(reverse("projects:detail", args=[project.pk])).content.decode()


def post_from_page(client, project, name, data, *args):
    page = reverse("projects:detail", args=[project.pk])
    return client.post(
        reverse(f"projects:{name}", args=[project.pk, *args]),
        data,
        HTTP_REFERER=f"http://testserver{page}",
        follow=True,
    )


def test_the_lead_edits_a_project_sent_back_and_its_page_shows_the_earlier_values(
    client, iw, project
):
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    project_move(project=project, to=S.DRAFT, user=iw.officer, reason="Précisez le marché.")
    lead_partner = project.partners.get(is_lead=True)
    client.force_login(iw.lead_member)
    assert "Modifier le projet" in detail(client, project)
    url = reverse("projects:edit", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        edit_data(
            project,
            title="Imagerie médicale assistée par IA",
            trl="5",
            starts_on="2027-01-04",
            ends_on="2028-06-30",
            note="Marché précisé à la demande du pôle",
            **{f"partner-{lead_partner.pk}-budget": "260000"},
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.trl, project.starts_on) == (
        "Imagerie médicale assistée par IA",
        5,
        date(2027, 1, 4),
    )
    assert Partner.objects.get(pk=lead_partner.pk).budget == Decimal("260000")
    page = detail(client, project)
    assert "<del>Diagnostic par IA en imagerie médicale</del>" in page
    assert "<ins>Imagerie médicale assistée par IA</ins>" in page
    assert "<del>200\xa0000</del>" in page  # the lead's budget before
    assert "Marché précisé à la demande du pôle" in page
    # Edited, it is submitted again.
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    assert project.transitions.filter(to_state=S.SUBMITTED).count() == 2


@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW, S.LABELLED, S.FUNDED, S.CLOSED])
def test_the_project_is_edited_in_no_other_state(client, iw, project, advance, state):
    advance(project, state)
    client.force_login(iw.lead_member)
    assert "Modifier le projet" not in detail(client, project)
    url = reverse("projects:edit", args=[project.pk])
    response = client.get(url)
    assert response.status_code == 409
    assert "ne se modifie plus" in response.content.decode()
    assert client.post(url, edit_data(project, title="Autre")).status_code == 409
    project.refresh_from_db()
    assert project.title == "Diagnostic par IA en imagerie médicale"
    with pytest.raises(Refused, match="ne se modifie plus"):
        partner_add(
            project=project,
            user=iw.lead_member,
            legal_unit=iw.lab,
            name=iw.lab.name,
            kind=PartnerKind.LABORATORY,
            budget=0,
        )
    with pytest.raises(Refused, match="ne se modifie plus"):
        partner_remove(partner=project.partners.get(is_lead=False), user=iw.lead_member)


def test_only_the_lead_edits_the_project(client, iw, project):
    url = reverse("projects:edit", args=[project.pk])
    # The cluster reads the draft and sends it back for changes; it does not write it.
    client.force_login(iw.officer)
    assert "Modifier le projet" not in detail(client, project)
    assert client.get(url).status_code == 403
    # Someone who does not see the project does not learn it exists.
    client.force_login(iw.reviewer)
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        project_edit(
            project=project,
            user=iw.officer,
            lead=iw.lead,
            skills=[],
            **{name: getattr(project, name) for name in EDITED_FIELDS},
        )


def test_the_lead_hands_the_project_to_another_of_its_firms_not_to_a_partner(iw, project):
    sister = MembershipFactory(user=iw.lead_member, organisation__name="MedImage Services")
    other = LegalUnitFactory(name="MedImage Services", organisation=sister.organisation)
    lead_member = type(iw.lead_member).objects.get(pk=iw.lead_member.pk)  # roles read again
    fields = {name: getattr(project, name) for name in EDITED_FIELDS}
    with pytest.raises(PermissionDenied):  # a firm that is not the lead's
        project_edit(project=project, user=lead_member, lead=iw.clinic, skills=[], **fields)
    partner = partner_add(
        project=project,
        user=lead_member,
        legal_unit=other,
        name=other.name,
        kind=PartnerKind.FIRM,
        budget=0,
    )
    with pytest.raises(Refused, match="déjà partenaire"):
        project_edit(project=project, user=lead_member, lead=other, skills=[], **fields)
    partner_remove(partner=partner, user=lead_member)
    project_edit(project=project, user=lead_member, lead=other, skills=[], **fields)
    project.refresh_from_db()
    assert project.lead == other
    assert project.partners.get(is_lead=True).legal_unit == other


def test_a_draft_of_0_euros_or_without_partner_is_not_submitted(client, iw, draft):
    client.force_login(iw.lead_member)
    response = post_from_page(
        client, draft, "move", {"move": S.SUBMITTED, f"{S.SUBMITTED}-to": S.SUBMITTED}
    )
    assert "Le budget du projet est de 0 €" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    draft.partners.update(budget=Decimal("100000"))
    with pytest.raises(Refused, match="n'a que le porteur") as refused:
        project_move(project=draft, to=S.SUBMITTED, user=iw.lead_member)
    assert refused.value.rule == "project.no_consortium"
    partner_add(
        project=draft,
        user=iw.lead_member,
        legal_unit=iw.lab,
        name=iw.lab.name,
        kind=PartnerKind.LABORATORY,
        budget=0,
    )
    assert project_move(project=draft, to=S.SUBMITTED, user=iw.lead_member).state == S.SUBMITTED


def test_a_project_of_0_euros_is_not_labelled(iw, project, advance):
    advance(project, S.UNDER_REVIEW)
    project.partners.update(budget=0)  # as a project submitted before the rule was kept
    with pytest.raises(Refused, match="0 €") as refused:
        project_move(project=project, to=S.LABELLED, user=iw.officer, reason="x", committee="y")
    assert refused.value.rule == "project.no_budget"


def test_the_officer_corrects_the_decision_with_a_reason(client, iw, project, advance):
    advance(project, S.LABELLED)
    client.force_login(iw.officer)
    assert "Corriger la décision" in detail(client, project)
    data = {
        "decision-committee": "Comité TES d'avril",
        "decision-decided_on": "2026-04-02",
        "decision-reasons": "Innovant",
        "decision-reason": "",
    }
    response = post_from_page(client, project, "decision_correct", data)
    assert "Correction incomplète" in response.content.decode()
    data["decision-reason"] = "Le comité s'est tenu en avril"
    response = post_from_page(client, project, "decision_correct", data)
    page = response.content.decode()
    assert "Décision corrigée." in page
    assert "<del>TES</del>" in page
    assert "Le comité s&#x27;est tenu en avril" in page
    project.refresh_from_db()
    assert (project.committee, project.decided_on) == ("Comité TES d'avril", date(2026, 4, 2))
    client.force_login(iw.lead_member)
    assert "Corriger la décision" not in detail(client, project)
    assert (
        client.post(reverse("projects:decision_correct", args=[project.pk]), data).status_code
        == 403
    )


def test_a_decision_not_made_is_not_corrected(iw, project, advance):
    advance(project, S.UNDER_REVIEW)
    with pytest.raises(Refused, match="Aucune décision"):
        decision_correct(
            project=project,
            user=iw.officer,
            committee="TES",
            decided_on=date(2026, 4, 2),
            reasons="x",
            reason="y",
        )


def test_the_officer_corrects_a_funding_with_a_reason(client, iw, project, advance):
    advance(project, S.FUNDED)
    funding = project.fundings.get()
    client.force_login(iw.officer)
    prefix = f"funding-{funding.pk}"
    response = post_from_page(
        client,
        project,
        "funding_correct",
        {
            f"{prefix}-funder": "Région Normandie",
            f"{prefix}-amount": "110000",
            f"{prefix}-granted_on": "2026-05-01",
            f"{prefix}-reason": "Montant de la convention signée",
        },
        funding.pk,
    )
    page = response.content.decode()
    assert "Financement corrigé." in page
    assert "<del>120\xa0000</del>" in page
    assert "Montant de la convention signée" in page
    funding.refresh_from_db()
    assert funding.amount == Decimal("110000")
    with pytest.raises(Refused, match="motif"):
        funding_correct(
            funding=funding,
            user=iw.officer,
            funder="Bpifrance",
            amount=Decimal("1"),
            granted_on=date(2026, 5, 1),
            reason=" ",
        )
    with pytest.raises(PermissionDenied):
        funding_correct(
            funding=funding,
            user=iw.lead_member,
            funder="Bpifrance",
            amount=Decimal("1"),
            granted_on=date(2026, 5, 1),
            reason="Erreur",
        )


def test_the_expert_corrects_their_opinion_with_a_reason_while_under_review(
    client, iw, project, advance
):
    advance(project, S.UNDER_REVIEW)
    client.force_login(iw.reviewer)
    assert "Corriger mon avis" in detail(client, project)
    data = {
        "correction-opinion": Opinion.RESERVED,
        "correction-comments": "Solide, mais le marché reste à chiffrer.",
        "correction-reason": "Étude de marché relue",
    }
    response = post_from_page(client, project, "review_correct", data)
    page = response.content.decode()
    assert "Avis d&#x27;expertise corrigé." in page
    assert "<del>Favorable</del>" in page
    assert "Étude de marché relue" in page
    # The officer reads the correction; the lead reads neither the comments nor their history.
    client.force_login(iw.officer)
    assert "<del>Solide.</del>" in detail(client, project)
    client.force_login(iw.lead_member)
    assert "Étude de marché relue" not in detail(client, project)
    project_move(project=project, to=S.LABELLED, user=iw.officer, reason="x", committee="TES")
    with pytest.raises(Refused, match="tant que le projet est en expertise"):
        review_correct(
            project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="x", reason="y"
        )


def test_a_funding_recorded_by_mistake_is_cancelled_with_a_reason_and_counts_nowhere(
    client, iw, project, advance
):
    from filiere.projects.indicator_sources import amount_raised
    from tests.factories import ActionFactory, ContractFactory

    advance(project, S.FUNDED)
    funding = project.fundings.get()
    with pytest.raises(Refused, match="seul financement"):
        funding_cancel(funding=funding, user=iw.officer, reason="Doublon")
    other = funding_add(
        project=project,
        user=iw.officer,
        funder="Bpifrance",
        amount=Decimal("30000"),
        granted_on=date(2026, 6, 1),
    )
    client.force_login(iw.officer)
    response = post_from_page(
        client,
        project,
        "funding_cancel",
        {f"cancel-{other.pk}-reason": "Saisi sur le mauvais projet"},
        other.pk,
    )
    page = response.content.decode()
    assert "Financement annulé." in page
    assert "Saisi sur le mauvais projet" in page  # in the project's history
    assert "Total : 120\xa0000 €" in page
    contract = ContractFactory(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    ActionFactory(axis__contract=contract, coordinator=iw.tes)
    assert amount_raised(contract, [date(2026, 12, 31)]) == [Decimal("120000")]


def test_a_project_whose_only_funding_is_cancelled_is_not_declared_funded(iw, project, advance):
    advance(project, S.FUNDING_SOUGHT)
    funding = funding_add(
        project=project,
        user=iw.officer,
        funder="Bpifrance",
        amount=Decimal("30000"),
        granted_on=date(2026, 6, 1),
    )
    funding_cancel(funding=funding, user=iw.officer, reason="Convention non signée")
    with pytest.raises(Refused, match="Enregistrez d'abord"):
        project_move(project=project, to=S.FUNDED, user=iw.officer)


def test_an_erased_expert_leaves_no_name_in_the_history_of_their_review(iw, project, advance):
    from filiere.accounts.services.personal import user_erase
    from filiere.projects.models import Review

    advance(project, S.UNDER_REVIEW)
    review_correct(
        project=project,
        user=iw.reviewer,
        opinion=Opinion.RESERVED,
        comments="À chiffrer.",
        reason="Relu",
    )
    expert = iw.reviewer.pk
    user_erase(user=iw.reviewer)
    assert Review.history.filter(reviewer_id=expert).count() == 0
    assert Review.history.filter(history_user_id=expert).count() == 0
    assert Review.history.filter(history_change_reason="Relu").exists()


def test_the_officer_withdraws_an_expert_named_by_mistake_with_a_reason(client, iw, project):
    from filiere.projects.models import Review
    from filiere.projects.services.reviews import review_assign, review_withdraw
    from tests.factories import UserFactory

    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    mistaken = review_assign(
        project=project, user=iw.officer, reviewer=UserFactory(email="homonyme@labo.test")
    )
    kept = review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)
    client.force_login(iw.officer)
    response = post_from_page(
        client,
        project,
        "reviewer_withdraw",
        {f"withdraw-{mistaken.pk}-reason": "Homonyme de l'expert voulu"},
        mistaken.pk,
    )
    page = response.content.decode()
    assert "L&#x27;expert est retiré du projet." in page
    assert list(project.reviews.all()) == [kept]
    assert "Homonyme de l&#x27;expert voulu" in page  # the withdrawn experts, for the officer
    client.force_login(iw.lead_member)
    assert "Homonyme de l&#x27;expert voulu" not in detail(client, project)
    # A declared conflict stays in the file, as an opinion does.
    project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review_declare(project=project, user=iw.reviewer, has_conflict=True, statement="Associé")
    with pytest.raises(Refused, match="reste au dossier"):
        review_withdraw(project=project, user=iw.officer, review=kept, reason="Conflit")
    assert Review.objects.filter(pk=kept.pk).exists()
    with pytest.raises(PermissionDenied):
        review_withdraw(project=project, user=iw.lead_member, review=kept, reason="x")


def test_the_skills_wanted_are_offered_once_firms_have_named_some(client, iw):
    from filiere.directory.models import Tag

    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:create")).content.decode()
    assert "Compétences recherchées" not in page  # an empty box of choices, before
    Tag.objects.create(slug="imagerie", label="Imagerie médicale")
    page = client.get(reverse("projects:create")).content.decode()
    assert "Compétences recherchées" in page
    assert "Imagerie médicale" in page


def test_someone_with_no_firm_is_shown_the_way_to_join_one(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("projects:create"))
    assert response.status_code == 403
    assert reverse("directory:join_finder") in response.content.decode()
