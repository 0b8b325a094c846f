"""Projects taken through the pipeline by their lead, officer and reviewer (the services),
until the cluster labels them: what a lead may then publish on the showcase."""

from datetime import date
from decimal import Decimal

from filiere.projects.enums import Opinion, PartnerKind, ProjectState
from filiere.projects.services.consortium import partner_add
from filiere.projects.services.follow_up import funding_add
from filiere.projects.services.projects import EDITED_FIELDS, project_create, project_edit
from filiere.projects.services.reviews import review_assign, review_declare, review_submit
from filiere.projects.services.workflow import project_move

S = ProjectState


def draft(iw, *, title: str, lead=None, user=None, market: str = "health"):
    """A draft as its lead creates it."""
    return project_create(
        user=user or iw.lead_member,
        lead=lead or iw.lead,
        cluster=iw.tes,
        title=title,
        summary=f"Dossier confidentiel de « {title} » : prix, clients visés, brevets.",
        market=market,
        trl=5,
    )


def label(iw, project, *, user, fundings=()):
    """The draft completed by its lead (budgets, a laboratory) and submitted, reviewed and
    labelled by the cluster, then funded by ``fundings`` ((funder, euros), …)."""
    lead_partner = project.partners.get(is_lead=True)
    project_edit(
        project=project,
        user=user,
        lead=project.lead,
        skills=[],
        partners={lead_partner.pk: {"kind": lead_partner.kind, "budget": Decimal("200000")}},
        **{name: getattr(project, name) for name in EDITED_FIELDS},
    )
    partner_add(
        project=project,
        user=user,
        legal_unit=iw.lab,
        name=iw.lab.name,
        kind=PartnerKind.LABORATORY,
        budget=Decimal("60000"),
    )
    project_move(project=project, to=S.SUBMITTED, user=user)
    review_assign(project=project, user=iw.officer, reviewer=iw.reviewer)
    project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    review_declare(project=project, user=iw.reviewer, has_conflict=False, statement="")
    review_submit(project=project, user=iw.reviewer, opinion=Opinion.FAVOURABLE, comments="Bon.")
    project_move(
        project=project,
        to=S.LABELLED,
        user=iw.officer,
        reason="Innovant",
        committee="Comité TES",
        decided_on=date(2026, 3, 12),
    )
    if fundings:
        project_move(project=project, to=S.FUNDING_SOUGHT, user=iw.officer)
        for funder, euros in fundings:
            funding_add(
                project=project,
                user=iw.officer,
                funder=funder,
                amount=Decimal(euros),
                granted_on=date(2026, 5, 1),
            )
    project.refresh_from_db()
    return project


def labelled(iw, *, title: str, lead=None, user=None, market: str = "health", fundings=()):
    """A project of ``lead`` (the world's lead firm) that the cluster labelled."""
    project = draft(iw, title=title, lead=lead, user=user, market=market)
    return label(iw, project, user=user or iw.lead_member, fundings=fundings)
