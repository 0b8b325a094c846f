"""Who a user is on a project, and which projects they see.

* **lead**: an active member of the lead firm's organisation;
* **officer**: a coordinator of the cluster that instructs the project (or staff);
* **reviewer**: a user named to review it.

Members of a partner's organisation read the project; programme officers and
coordinators of any organisation read every project.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from filiere.accounts.access import oversees
from filiere.accounts.enums import Role
from filiere.accounts.selectors import user_roles
from filiere.directory.models import LegalUnit
from filiere.projects.models import Project

LEAD, OFFICER, REVIEWER = "lead", "officer", "reviewer"


def _organisations(user) -> set[int]:
    return {org for org, _role in user_roles(user)}


def project_roles(user, project: Project) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    roles = set()
    organisations = _organisations(user)
    if project.lead.organisation_id in organisations:
        roles.add(LEAD)
    if user.is_staff or (project.cluster_id, Role.COORDINATOR) in user_roles(user):
        roles.add(OFFICER)
    if any(r.reviewer_id == user.pk for r in project.reviews.all()):
        roles.add(REVIEWER)
    return frozenset(roles)


def visible_projects(user):
    if oversees(user):
        return Project.objects.all()
    organisations = _organisations(user)
    return Project.objects.filter(
        Q(lead__organisation__in=organisations)
        | Q(partners__legal_unit__organisation__in=organisations)
        | Q(reviews__reviewer=user)
    ).distinct()


def access_project(user, pk: int) -> Project:
    return get_object_or_404(
        visible_projects(user)
        .select_related("lead", "cluster")
        .prefetch_related("reviews__reviewer", "partners__legal_unit"),
        pk=pk,
    )


def lead_units(user):
    """The firms a user may lead a project for: those of their organisations."""
    return LegalUnit.objects.filter(organisation__in=_organisations(user))
