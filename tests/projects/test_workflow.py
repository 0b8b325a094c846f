from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from filiere.common.refusals import Refused
from filiere.projects.enums import Opinion, PartnerKind, ProjectState
from filiere.projects.models import Transition
from filiere.projects.services.consortium import partner_add, partner_remove
from filiere.projects.services.follow_up import funding_add, report_add
from filiere.projects.services.reviews import review_assign, review_declare, review_submit
from filiere.projects.services.workflow import project_move

S = ProjectState


def to_review(project, iw):
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)
    project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review_declare(project=project, user=iw.reviewer, has_conflict=False, statement="")
    review_submit(project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Solide.")


def test_a_project_goes_from_draft_to_closed_and_each_move_is_recorded(iw, project):
    to_review(project, iw)
    project_move(
        project=project,
        to=S.LABELLED,
        user=iw.officer,
        reason="Innovant",
        committee="Comité TES",
        decided_on=date(2026, 3, 1),
    )
    project_move(project=project, to=S.FUNDING_SOUGHT, user=iw.lead_member)
    funding_add(
        project=project,
        user=iw.officer,
        scheme=iw.scheme,
        funder="Région Normandie",
        amount=Decimal("120000"),
        granted_on=date(2026, 5, 1),
    )
    project_move(project=project, to=S.FUNDED, user=iw.officer)
    project_move(project=project, to=S.IN_PROGRESS, user=iw.lead_member)
    report_add(
        project=project, user=iw.officer, text="Prototype livré.", written_on=date(2026, 9, 1)
    )
    project = project_move(
        project=project, to=S.CLOSED, user=iw.officer, results="Produit certifié."
    )
    assert project.state == S.CLOSED
    assert project.decided_on == date(2026, 3, 1)
    assert project.committee == "Comité TES"
    history = list(Transition.objects.filter(project=project).values_list("to_state", "by__email"))
    assert history == [
        (S.DRAFT, "lea@medimage.test"),
        (S.SUBMITTED, "lea@medimage.test"),
        (S.UNDER_REVIEW, "officier@tes.test"),
        (S.LABELLED, "officier@tes.test"),
        (S.FUNDING_SOUGHT, "lea@medimage.test"),
        (S.FUNDED, "officier@tes.test"),
        (S.IN_PROGRESS, "lea@medimage.test"),
        (S.CLOSED, "officier@tes.test"),
    ]
    # The cluster heard of the submission; the reviewer of the request; the lead of each step.
    assert any("officier@tes.test" in m.to and "Déposé" in m.subject for m in mail.outbox)
    assert any("expert@labo.test" in m.to for m in mail.outbox)
    assert any("lea@medimage.test" in m.to and "Labellisé" in m.subject for m in mail.outbox)


@pytest.mark.parametrize(
    ("who", "to", "rule", "message"),
    [
        ("officer", S.SUBMITTED, "project.move_not_yours", "revient au porteur"),
        ("lead", S.LABELLED, "project.no_such_move", "ne peut pas passer"),
    ],
)
def test_moves_are_refused_to_the_wrong_role_or_from_the_wrong_state(
    iw, project, who, to, rule, message
):
    user = {"officer": iw.officer, "lead": iw.lead_member}[who]
    with pytest.raises(Refused, match=message) as refused:
        project_move(project=project, to=to, user=user)
    assert refused.value.rule == rule
    project.refresh_from_db()
    assert project.state == S.DRAFT
    assert project.transitions.count() == 1


def test_someone_who_neither_leads_nor_instructs_the_project_moves_nothing(iw, project):
    with pytest.raises(PermissionDenied):
        project_move(project=project, to=S.SUBMITTED, user=iw.reviewer)
    assert project.transitions.count() == 1


def test_only_the_officer_labels_and_only_after_an_unconflicted_review(iw, project):
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    with pytest.raises(Refused, match="Nommez au moins un expert"):
        project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review_assign(project=project, user=iw.officer, reviewer=iw.conflicted)
    review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)
    with pytest.raises(Refused, match="déjà expert"):
        review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)
    project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review_declare(
        project=project,
        user=iw.conflicted,
        has_conflict=True,
        statement="Ancien associé du porteur",
    )
    with pytest.raises(Refused, match="déjà faite"):
        review_declare(project=project, user=iw.conflicted, has_conflict=False, statement="")
    with pytest.raises(Refused, match="conflit d'intérêts"):
        review_submit(
            project=project, user=iw.conflicted, opinion=Opinion.FAVOURABLE, comments="Très bien"
        )
    decision = {"reason": "Innovant", "committee": "Comité TES"}
    with pytest.raises(Refused, match="avis d'expert"):
        project_move(project=project, to=S.LABELLED, user=iw.officer, **decision)
    with pytest.raises(Refused, match="Déclarez d'abord"):
        review_submit(
            project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Bien"
        )
    review_declare(project=project, user=iw.reviewer, has_conflict=False, statement="")
    review_submit(project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Bien")
    with pytest.raises(Refused, match="déjà rendu"):
        review_submit(project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Re")
    with pytest.raises(Refused, match="revient au chargé de mission"):
        project_move(project=project, to=S.LABELLED, user=iw.lead_member, **decision)
    with pytest.raises(Refused, match="comité") as refused:
        project_move(project=project, to=S.LABELLED, user=iw.officer, reason="Innovant")
    assert refused.value.field == "committee"
    project_move(project=project, to=S.LABELLED, user=iw.officer, **decision)
    # Nobody names a reviewer once the expertise is over, nor does anyone but the officer.
    with pytest.raises(Refused, match="déposé ou en expertise"):
        review_assign(project=project, user=iw.officer, reviewer=iw.lead_member)
    with pytest.raises(PermissionDenied):
        review_assign(project=project, user=iw.lead_member, reviewer=iw.lead_member)


def test_only_a_named_reviewer_declares_or_gives_an_opinion(iw, project):
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    with pytest.raises(PermissionDenied):
        review_declare(project=project, user=iw.reviewer, has_conflict=False, statement="")
    with pytest.raises(PermissionDenied):
        review_submit(project=project, user=iw.officer, opinion=Opinion.FAVOURABLE, comments="x")


def test_funded_needs_a_funding_and_closing_needs_results(iw, project):
    to_review(project, iw)
    project_move(project=project, to=S.LABELLED, user=iw.officer, reason="Oui", committee="TES")
    with pytest.raises(Refused, match="projet labellisé") as refused:
        funding_add(
            project=project,
            user=iw.officer,
            funder="Bpifrance",
            amount=Decimal(1000),
            granted_on=date(2026, 5, 1),
        )
    assert refused.value.rule == "project.funding_before_label"
    project_move(project=project, to=S.FUNDING_SOUGHT, user=iw.officer)
    with pytest.raises(Refused, match="financements obtenus"):
        project_move(project=project, to=S.FUNDED, user=iw.officer)
    with pytest.raises(PermissionDenied):
        funding_add(
            project=project,
            user=iw.lead_member,
            funder="Bpifrance",
            amount=Decimal(1000),
            granted_on=date(2026, 5, 1),
        )
    funding_add(
        project=project,
        user=iw.officer,
        funder="Bpifrance",
        amount=Decimal(1000),
        granted_on=date(2026, 5, 1),
    )
    with pytest.raises(Refused, match="financé ou en cours"):
        report_add(project=project, user=iw.lead_member, text="Tôt.", written_on=date(2026, 5, 2))
    project_move(project=project, to=S.FUNDED, user=iw.officer)
    project_move(project=project, to=S.IN_PROGRESS, user=iw.officer)
    with pytest.raises(Refused, match="résultats") as refused:
        project_move(project=project, to=S.CLOSED, user=iw.officer)
    assert refused.value.field == "results"


def test_the_lead_stays_in_the_consortium_and_a_firm_joins_once(iw, project):
    lead_partner = project.partners.get(is_lead=True)
    with pytest.raises(Refused, match="porteur"):
        partner_remove(partner=lead_partner, user=iw.lead_member)
    lab = {"legal_unit": iw.lab, "name": iw.lab.name, "kind": PartnerKind.LABORATORY, "budget": 0}
    partner_add(project=project, user=iw.lead_member, **lab)
    with pytest.raises(Refused, match="déjà"):
        partner_add(project=project, user=iw.lead_member, **lab)
    # The consortium is the lead's to build: the cluster sends the project back instead.
    for other in (iw.officer, iw.reviewer):
        with pytest.raises(PermissionDenied):
            partner_add(project=project, user=other, **lab)


def test_a_lead_without_member_hears_through_the_region_not_its_territorys_advisers(iw, project):
    from filiere.accounts.enums import OrganisationKind, Role
    from filiere.accounts.models import Membership
    from tests.factories import OrganisationFactory, member

    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    member(region, Role.PROGRAMME_OFFICER, email="officier@region.test")
    chamber = OrganisationFactory(slug="cci", kind=OrganisationKind.CHAMBER_OF_COMMERCE)
    member(chamber, Role.ADVISER, email="conseil@cci.test")  # follows every département
    project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    Membership.objects.filter(user=iw.lead_member).update(is_active=False)
    mail.outbox.clear()
    project_move(project=project, to=S.DRAFT, user=iw.officer, reason="Budget à préciser")
    # Advisers do not see innovation projects: the Region's programme officers relay.
    assert [m.to for m in mail.outbox] == [["officier@region.test"]]
    assert "en tant que chargé·e de mission de la Région" in mail.outbox[0].body
