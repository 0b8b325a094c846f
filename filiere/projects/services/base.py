"""What the topic modules share: the project as stored now, its page's address, its history."""

from django.urls import reverse

from filiere.accounts.notifications import absolute_url
from filiere.projects.models import Project, Transition


def locked(project: Project) -> Project:
    """The project re-read under lock, so that its rule is checked on its current state
    (the caller's object may be older)."""
    return Project.objects.select_for_update(of=("self",)).select_related("lead").get(pk=project.pk)


def project_link(project: Project) -> str:
    return absolute_url(reverse("projects:detail", args=[project.pk]))


def record_transition(project: Project, source: str, to: str, user, at, reason: str = ""):
    return Transition.objects.create(
        project=project, from_state=source, to_state=to, by=user, at=at, reason=reason
    )
