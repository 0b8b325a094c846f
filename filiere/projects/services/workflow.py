"""The project's moves through its workflow (``projects.moves``): each is checked, recorded
as a transition (who, when, why) and told by e-mail to the people concerned."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory, Role
from filiere.accounts.notifications import send_on_commit
from filiere.accounts.selectors import member_emails
from filiere.common import history
from filiere.common.refusals import Refused
from filiere.directory.recipients import (
    firm_departement,
    firm_mail_context,
    firm_recipients,
    or_programme_officers,
)
from filiere.projects import access
from filiere.projects.enums import ProjectState
from filiere.projects.models import Project
from filiere.projects.services.base import locked, project_link, record_transition

S = ProjectState


@transaction.atomic
def project_move(
    *,
    project: Project,
    to: str,
    user,
    reason: str = "",
    committee: str = "",
    decided_on: date | None = None,
    results: str = "",
    now=None,
) -> Project:
    project = locked(project)
    move = access.check_move(user, project, to)
    if move.reason_required and not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    if move.decision and not committee.strip():
        raise Refused(
            "project.committee_required", _("Indiquez le comité qui a décidé."), field="committee"
        )
    if move.results and not results.strip():
        raise Refused(
            "project.results_required",
            _("Décrivez les résultats du projet pour le clore."),
            field="results",
        )
    now = now or timezone.now()
    source = project.state
    project.state = to
    if move.decision:
        project.committee = committee.strip()
        project.decision_reasons = reason.strip()
        project.decided_on = decided_on or timezone.localdate(now)
    if move.results:
        project.results = results.strip()
    # The decision and the results the move records start the project's history of them.
    history.correct(project, reason=reason.strip(), user=user)
    record_transition(project, source, to, user, now, reason.strip())
    _tell_about_move(project, source, to)
    return project


@transaction.atomic
def decision_correct(
    *, project: Project, user, committee: str, decided_on: date, reasons: str, reason: str
) -> Project:
    """The officer corrects the recorded labelling decision (its committee, date and
    reasons); ``reason`` says why, in the project's history."""
    project = locked(project)
    access.check_correct_decision(user, project)
    if not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    if not committee.strip():
        raise Refused(
            "project.committee_required", _("Indiquez le comité qui a décidé."), field="committee"
        )
    project.committee = committee.strip()
    project.decided_on = decided_on
    project.decision_reasons = reasons.strip()
    history.correct(
        project,
        reason=reason.strip(),
        user=user,
        fields=["committee", "decided_on", "decision_reasons", "updated_at"],
    )
    return project


def _tell_about_move(project: Project, source: str, to: str) -> None:
    """The cluster hears of a submission (the programme officers while it has no
    coordinator); the lead firm of every other move, as ``firm_recipients`` says."""
    lead = project.lead
    context = {"project": project, "source": S(source).label, "link": project_link(project)}
    if to == S.SUBMITTED:
        addresses, without_coordinator = or_programme_officers(
            member_emails([project.cluster_id], [Role.COORDINATOR]), firm_departement(lead)
        )
        context["without_coordinator"] = without_coordinator
    else:
        # The territory's advisers do not see innovation projects: the officers relay.
        recipients = firm_recipients(lead, advisers=False)
        addresses = recipients.addresses
        context.update(firm_mail_context(lead, recipients))
    send_on_commit(
        addresses,
        subject=f"{project.title} : {S(to).label}",
        template="projects/email/moved.txt",
        context=context,
        category=MailCategory.PROJECTS,
    )
