"""A new project: a draft led by one of its author's firms, the lead its first partner; the
lead's edits of it while it is theirs to submit, each kept in its history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.common import history
from filiere.common.refusals import Refused
from filiere.projects import access
from filiere.projects.enums import PartnerKind, ProjectState
from filiere.projects.models import Partner, Project
from filiere.projects.services.base import locked, record_transition

# The project's fields its lead writes, at creation and in its edits.
EDITED_FIELDS = ("title", "acronym", "market", "trl", "summary", "starts_on", "ends_on", "cluster")


@transaction.atomic
def project_create(*, user, lead, cluster, skills=(), now=None, **fields) -> Project:
    """``fields``: the project's title, acronym, market, TRL, summary and planned dates."""
    access.check_create(user, lead)
    now = now or timezone.now()
    project = Project(lead=lead, cluster=cluster, **fields)
    project._history_user = user
    project.save()
    project.skills_wanted.set(skills)
    partner = Partner(
        project=project, legal_unit=lead, name=lead.name, kind=PartnerKind.FIRM, is_lead=True
    )
    partner._history_user = user
    partner.save()
    record_transition(project, "", ProjectState.DRAFT, user, now)
    return project


@transaction.atomic
def project_edit(
    *, project: Project, user, lead, skills, partners: dict | None = None, note: str = "", **fields
) -> Project:
    """The lead changes the project's ``fields`` (those of ``EDITED_FIELDS``), its lead firm
    (one of the user's), the skills it wants, and its partners' role and budget
    (``partners``: ``{partner pk: {"kind", "budget"}}``); ``note`` says why, in the history."""
    project = locked(project)
    access.check_edit_project(user, project)
    note = note.strip()
    if lead.pk != project.lead_id:
        _change_lead(project, user, lead, note)
    for name in EDITED_FIELDS:
        setattr(project, name, fields[name])
    project.lead = lead
    history.correct(project, reason=note, user=user)
    project.skills_wanted.set(skills)
    for partner in project.partners.filter(pk__in=list(partners or {})):
        changes = partners[partner.pk]
        if (partner.kind, partner.budget) != (changes["kind"], changes["budget"]):
            partner.kind, partner.budget = changes["kind"], changes["budget"]
            history.correct(partner, reason=note, user=user, fields=["kind", "budget"])
    return project


def _change_lead(project: Project, user, lead, note: str) -> None:
    """The project passes to another of the user's firms, which becomes its lead partner."""
    access.check_create(user, lead)
    if project.partners.filter(legal_unit=lead).exists():
        raise Refused(
            "project.lead_already_partner",
            _(
                "%(name)s est déjà partenaire : retirez-le du consortium "
                "avant d'en faire le porteur."
            )
            % {"name": lead.name},
            field="lead",
        )
    partner = project.partners.get(is_lead=True)
    partner.legal_unit, partner.name = lead, lead.name
    history.correct(partner, reason=note, user=user, fields=["legal_unit", "name"])
