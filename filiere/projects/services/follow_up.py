"""The project's file and follow-up: documents, the fundings obtained, milestones, the
technical follow-up reports."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from filiere.common import history
from filiere.common.refusals import Refused
from filiere.projects import access
from filiere.projects.documents import CheckedDocument
from filiere.projects.models import Document, FollowUpReport, Funding, Milestone, Project
from filiere.projects.services.base import locked


@transaction.atomic
def document_add(*, project: Project, user, document: CheckedDocument) -> Document:
    """Store an upload checked by ``documents.check_document``, with the content type it found."""
    project = locked(project)
    access.check_edit(user, project)
    return Document.objects.create(
        project=project,
        file=document.file,
        name=document.name,
        content_type=document.content_type,
        size=document.size,
        uploaded_by=user,
    )


@transaction.atomic
def funding_add(
    *, project: Project, user, funder: str, amount, granted_on: date, scheme=None
) -> Funding:
    project = locked(project)
    access.check_add_funding(user, project)
    funding = Funding(
        project=project, scheme=scheme, funder=funder, amount=amount, granted_on=granted_on
    )
    funding._history_user = user
    funding.save()
    return funding


@transaction.atomic
def funding_correct(
    *, funding: Funding, user, funder: str, amount, granted_on: date, reason: str, scheme=None
) -> Funding:
    """The officer, who records the fundings, corrects one; ``reason`` says why."""
    access.check_add_funding(user, locked(funding.project))
    if not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    funding.scheme, funding.funder = scheme, funder
    funding.amount, funding.granted_on = amount, granted_on
    history.correct(funding, reason=reason.strip(), user=user)
    return funding


@transaction.atomic
def funding_cancel(*, funding: Funding, user, reason: str) -> Funding:
    """The officer cancels a funding recorded by mistake; ``reason`` says why. It stays in
    the project's history and counts nowhere."""
    project = locked(funding.project)
    access.check_add_funding(user, project)
    if not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    if project.is_followed_up and not project.fundings.kept().exclude(pk=funding.pk).exists():
        raise Refused(
            "project.last_funding",
            _("C'est le seul financement d'un projet financé : corrigez-le plutôt."),
        )
    funding.cancelled = True
    history.correct(funding, reason=reason.strip(), user=user, fields=["cancelled"])
    return funding


@transaction.atomic
def milestone_add(*, project: Project, user, title: str, due_on: date) -> Milestone:
    project = locked(project)
    access.check_edit(user, project)
    return Milestone.objects.create(project=project, title=title, due_on=due_on)


@transaction.atomic
def milestone_done(*, milestone: Milestone, user, on: date) -> Milestone:
    access.check_edit(user, locked(milestone.project))
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def report_add(*, project: Project, user, text: str, written_on: date) -> FollowUpReport:
    """A follow-up report, written by ``user``."""
    project = locked(project)
    access.check_add_report(user, project)
    return FollowUpReport.objects.create(
        project=project, author=user, text=text, written_on=written_on
    )
