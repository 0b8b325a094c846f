"""A new project: a draft led by one of its author's firms, the lead its first partner."""

from django.db import transaction
from django.utils import timezone

from filiere.projects import access
from filiere.projects.enums import PartnerKind, ProjectState
from filiere.projects.models import Partner, Project
from filiere.projects.services.base import record_transition


@transaction.atomic
def project_create(*, user, lead, cluster, skills=(), now=None, **fields) -> Project:
    """``fields``: the project's title, acronym, market, TRL, summary and planned dates."""
    access.check_create(user, lead)
    now = now or timezone.now()
    project = Project.objects.create(lead=lead, cluster=cluster, **fields)
    project.skills_wanted.set(skills)
    Partner.objects.create(
        project=project, legal_unit=lead, name=lead.name, kind=PartnerKind.FIRM, is_lead=True
    )
    record_transition(project, "", ProjectState.DRAFT, user, now)
    return project
