from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from filiere.projects import services
from filiere.projects.enums import Opinion, PartnerKind, ProjectState
from filiere.projects.models import Transition

S = ProjectState


def to_review(project, iw):
    services.project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    services.review_assign(project=project, reviewer=iw.reviewer)
    services.project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review = project.reviews.get(reviewer=iw.reviewer)
    services.review_declare(review=review, has_conflict=False, statement="")
    services.review_submit(review=review, opinion=Opinion.FAVOURABLE, comments="Solide.")


def test_a_project_goes_from_draft_to_closed_and_each_move_is_recorded(iw, project):
    to_review(project, iw)
    services.project_move(
        project=project,
        to=S.LABELLED,
        user=iw.officer,
        reason="Innovant",
        committee="Comité TES",
        decided_on=date(2026, 3, 1),
    )
    services.project_move(project=project, to=S.FUNDING_SOUGHT, user=iw.lead_member)
    services.funding_add(
        project=project,
        scheme=iw.scheme,
        funder="Région Normandie",
        amount=Decimal("120000"),
        granted_on=date(2026, 5, 1),
    )
    services.project_move(project=project, to=S.FUNDED, user=iw.officer)
    services.project_move(project=project, to=S.IN_PROGRESS, user=iw.lead_member)
    services.report_add(
        project=project, author=iw.officer, text="Prototype livré.", written_on=date(2026, 9, 1)
    )
    project = services.project_move(
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
    ("who", "to", "message"),
    [
        ("officer", S.SUBMITTED, "revient au porteur"),
        ("lead", S.LABELLED, "ne peut pas passer"),
        ("reviewer", S.SUBMITTED, "revient au porteur"),
    ],
)
def test_moves_are_refused_to_the_wrong_role_or_from_the_wrong_state(iw, project, who, to, message):
    user = {"officer": iw.officer, "lead": iw.lead_member, "reviewer": iw.reviewer}[who]
    with pytest.raises(services.WorkflowError, match=message):
        services.project_move(project=project, to=to, user=user)
    project.refresh_from_db()
    assert project.state == S.DRAFT
    assert project.transitions.count() == 1


def test_only_the_officer_labels_and_only_after_an_unconflicted_review(iw, project):
    services.project_move(project=project, to=S.SUBMITTED, user=iw.lead_member)
    with pytest.raises(services.WorkflowError, match="Nommez au moins un expert"):
        services.project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    services.review_assign(project=project, reviewer=iw.conflicted)
    services.review_assign(project=project, reviewer=iw.reviewer)
    services.project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    conflicted = project.reviews.get(reviewer=iw.conflicted)
    services.review_declare(
        review=conflicted, has_conflict=True, statement="Ancien associé du porteur"
    )
    with pytest.raises(services.WorkflowError, match="conflit d'intérêts"):
        services.review_submit(review=conflicted, opinion=Opinion.FAVOURABLE, comments="Très bien")
    decision = {"reason": "Innovant", "committee": "Comité TES"}
    with pytest.raises(services.WorkflowError, match="avis d'expert"):
        services.project_move(project=project, to=S.LABELLED, user=iw.officer, **decision)
    review = project.reviews.get(reviewer=iw.reviewer)
    with pytest.raises(services.WorkflowError, match="Déclarez d'abord"):
        services.review_submit(review=review, opinion=Opinion.FAVOURABLE, comments="Bien")
    services.review_declare(review=review, has_conflict=False, statement="")
    services.review_submit(review=review, opinion=Opinion.FAVOURABLE, comments="Bien")
    with pytest.raises(services.WorkflowError, match="revient au chargé de mission"):
        services.project_move(project=project, to=S.LABELLED, user=iw.lead_member, **decision)
    with pytest.raises(services.WorkflowError, match="comité"):
        services.project_move(project=project, to=S.LABELLED, user=iw.officer, reason="Innovant")
    services.project_move(project=project, to=S.LABELLED, user=iw.officer, **decision)


def test_funded_needs_a_funding_and_closing_needs_results(iw, project):
    to_review(project, iw)
    services.project_move(
        project=project, to=S.LABELLED, user=iw.officer, reason="Oui", committee="TES"
    )
    services.project_move(project=project, to=S.FUNDING_SOUGHT, user=iw.officer)
    with pytest.raises(services.WorkflowError, match="financements obtenus"):
        services.project_move(project=project, to=S.FUNDED, user=iw.officer)


def test_the_lead_stays_in_the_consortium_and_a_firm_joins_once(iw, project):
    lead_partner = project.partners.get(is_lead=True)
    with pytest.raises(services.WorkflowError, match="porteur"):
        services.partner_remove(partner=lead_partner)
    services.partner_add(
        project=project, legal_unit=iw.lab, name=iw.lab.name, kind=PartnerKind.LABORATORY, budget=0
    )
    with pytest.raises(services.WorkflowError, match="déjà"):
        services.partner_add(
            project=project,
            legal_unit=iw.lab,
            name=iw.lab.name,
            kind=PartnerKind.LABORATORY,
            budget=0,
        )
