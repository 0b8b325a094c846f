"""The lead's consent to show a labelled project on the sector's public showcase: published
with a public summary of the lead's own, updated, withdrawn; each choice kept in the
project's history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.common import history
from filiere.common.refusals import Refused
from filiere.projects import access
from filiere.projects.models import SHOWCASE_SUMMARY_MAX_LENGTH, Project
from filiere.projects.services.base import locked

# The history's reason for each choice, stored as written (the history is the record).
PUBLISHED = "Publié dans la vitrine par son porteur"
UPDATED = "Résumé public modifié par son porteur"
UNPUBLISHED = "Retiré de la vitrine par son porteur"

SHOWCASE_FIELDS = ["showcase_published", "showcase_summary", "showcase_published_at", "updated_at"]


@transaction.atomic
def showcase_publish(*, project: Project, user, public_summary: str, now=None) -> Project:
    """The lead publishes the labelled project on the showcase, or updates its public summary
    there; the showcase shows that summary, never the confidential one."""
    project = locked(project)
    access.check_publish(user, project)
    summary = public_summary.strip()
    if not summary:
        raise Refused(
            "project.showcase_summary_required",
            _("Écrivez le résumé public que la vitrine montrera."),
            field="public_summary",
        )
    if len(summary) > SHOWCASE_SUMMARY_MAX_LENGTH:
        raise Refused(
            "project.showcase_summary_too_long",
            _("Le résumé public tient en %(max)s caractères au plus.")
            % {"max": SHOWCASE_SUMMARY_MAX_LENGTH},
            field="public_summary",
        )
    reason = UPDATED if project.showcase_published else PUBLISHED
    if not project.showcase_published:
        project.showcase_published_at = now or timezone.now()
    project.showcase_published = True
    project.showcase_summary = summary
    history.correct(project, reason=reason, user=user, fields=SHOWCASE_FIELDS)
    return project


@transaction.atomic
def showcase_unpublish(*, project: Project, user) -> Project:
    """The lead withdraws the project from the showcase; its public summary is kept for a
    later publication."""
    project = locked(project)
    access.check_unpublish(user, project)
    project.showcase_published = False
    project.showcase_published_at = None
    history.correct(project, reason=UNPUBLISHED, user=user, fields=SHOWCASE_FIELDS)
    return project
