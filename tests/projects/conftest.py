import pytest

from tests.worlds import innovation_world


@pytest.fixture
def iw(db, on_commit_at_once):
    return innovation_world()


def bare_draft(iw):
    """A draft as its lead creates it: the lead alone, with no budget."""
    from filiere.projects.services.projects import project_create

    return project_create(
        user=iw.lead_member,
        lead=iw.lead,
        cluster=iw.tes,
        title="Diagnostic par IA en imagerie médicale",
        summary="Aider les radiologues par l'intelligence artificielle en imagerie médicale.",
        market="health",
        trl=4,
    )


@pytest.fixture
def draft(iw):
    return bare_draft(iw)


@pytest.fixture
def project(iw):
    """A draft ready to be submitted: the lead and a clinic, its end user, with their budgets."""
    from decimal import Decimal

    from filiere.projects.enums import PartnerKind
    from filiere.projects.services.consortium import partner_add
    from filiere.projects.services.projects import EDITED_FIELDS, project_edit

    project = bare_draft(iw)
    lead = project.partners.get(is_lead=True)
    project_edit(
        project=project,
        user=iw.lead_member,
        lead=iw.lead,
        skills=[],
        partners={lead.pk: {"kind": lead.kind, "budget": Decimal("200000")}},
        **{name: getattr(project, name) for name in EDITED_FIELDS},
    )
    partner_add(
        project=project,
        user=iw.lead_member,
        legal_unit=iw.clinic,
        name=iw.clinic.name,
        kind=PartnerKind.END_USER,
        budget=Decimal("50000"),
    )
    return project


@pytest.fixture
def advance(iw):
    """Walk a project through the workflow, as its lead, officer and reviewer would, until
    it reaches a state."""
    from datetime import date
    from decimal import Decimal

    from filiere.projects.enums import Opinion, ProjectState
    from filiere.projects.services.follow_up import funding_add
    from filiere.projects.services.reviews import review_assign, review_declare, review_submit
    from filiere.projects.services.workflow import project_move

    S = ProjectState

    def review(project):
        review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)

    def start_review(project):
        project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
        review_declare(project=project, user=iw.reviewer, has_conflict=False, statement="")
        review_submit(
            project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Solide."
        )

    def fund(project):
        funding_add(
            project=project,
            user=iw.officer,
            funder="Région Normandie",
            amount=Decimal("120000"),
            granted_on=date(2026, 5, 1),
        )
        project_move(project=project, to=S.FUNDED, user=iw.officer)

    steps = [
        (S.SUBMITTED, lambda p: project_move(project=p, to=S.SUBMITTED, user=iw.lead_member)),
        (S.SUBMITTED, review),
        (S.UNDER_REVIEW, start_review),
        (
            S.LABELLED,
            lambda p: project_move(
                project=p, to=S.LABELLED, user=iw.officer, reason="Innovant", committee="TES"
            ),
        ),
        (
            S.FUNDING_SOUGHT,
            lambda p: project_move(project=p, to=S.FUNDING_SOUGHT, user=iw.officer),
        ),
        (S.FUNDED, fund),
        (S.IN_PROGRESS, lambda p: project_move(project=p, to=S.IN_PROGRESS, user=iw.officer)),
        (
            S.CLOSED,
            lambda p: project_move(project=p, to=S.CLOSED, user=iw.officer, results="Livré."),
        ),
    ]

    def walk(project, until: str):
        order = [state for state, _step in steps]
        for state, step in steps:
            if order.index(state) > order.index(until):
                break
            step(project)
        project.refresh_from_db()
        assert project.state == until
        return project

    return walk
