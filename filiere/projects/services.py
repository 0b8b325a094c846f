"""The project workflow (a state machine with who may move it) and the writes around it.

Every move goes through :func:`project_move`, which checks the role, the
move's own conditions, records a :class:`Transition` (who, when, why) and
tells the people concerned by e-mail.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filiere.accounts.enums import Role
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import member_emails
from filiere.projects.access import LEAD, OFFICER, project_roles
from filiere.projects.enums import PartnerKind, ProjectState
from filiere.projects.models import (
    Document,
    FollowUpReport,
    Funding,
    Milestone,
    Partner,
    Project,
    Review,
    Transition,
)

S = ProjectState


class WorkflowError(Exception):
    """A write the workflow refuses; the message says why, for the user."""


@dataclass(frozen=True)
class Move:
    label: str
    roles: frozenset[str]
    reason_required: bool = False
    decision: bool = False
    results: bool = False
    checks: tuple = field(default=())


def _has_reviewer(project: Project) -> str | None:
    if not project.reviews.exclude(has_conflict=True).exists():
        return _("Nommez au moins un expert sans conflit d'intérêts.")
    return None


def _reviewed(project: Project) -> str | None:
    if not project.reviews.filter(has_conflict=False, submitted_at__isnull=False).exists():
        return _("Il faut au moins un avis d'expert rendu sans conflit d'intérêts.")
    return None


def _funded(project: Project) -> str | None:
    if not project.fundings.exists():
        return _("Enregistrez d'abord le ou les financements obtenus.")
    return None


MOVES: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move(gettext_lazy("Déposer le projet"), frozenset({LEAD})),
    (S.SUBMITTED, S.DRAFT): Move(
        gettext_lazy("Renvoyer au porteur"), frozenset({OFFICER}), reason_required=True
    ),
    (S.SUBMITTED, S.UNDER_REVIEW): Move(
        gettext_lazy("Lancer l'expertise"), frozenset({OFFICER}), checks=(_has_reviewer,)
    ),
    (S.UNDER_REVIEW, S.LABELLED): Move(
        gettext_lazy("Labelliser"),
        frozenset({OFFICER}),
        reason_required=True,
        decision=True,
        checks=(_reviewed,),
    ),
    (S.UNDER_REVIEW, S.NOT_LABELLED): Move(
        gettext_lazy("Ne pas labelliser"),
        frozenset({OFFICER}),
        reason_required=True,
        decision=True,
        checks=(_reviewed,),
    ),
    (S.NOT_LABELLED, S.DRAFT): Move(gettext_lazy("Retravailler le projet"), frozenset({LEAD})),
    (S.LABELLED, S.FUNDING_SOUGHT): Move(
        gettext_lazy("Rechercher des financements"), frozenset({LEAD, OFFICER})
    ),
    (S.FUNDING_SOUGHT, S.FUNDED): Move(
        gettext_lazy("Déclarer financé"), frozenset({OFFICER}), checks=(_funded,)
    ),
    (S.FUNDED, S.IN_PROGRESS): Move(gettext_lazy("Démarrer le projet"), frozenset({LEAD, OFFICER})),
    (S.IN_PROGRESS, S.CLOSED): Move(
        gettext_lazy("Clore le projet"), frozenset({OFFICER}), results=True
    ),
}


def available_moves(project: Project, roles: frozenset[str]) -> list[tuple[str, Move]]:
    """The moves from the project's state that one of these roles may make."""
    return [
        (to, move)
        for (source, to), move in MOVES.items()
        if source == project.state and move.roles & roles
    ]


def _link(project: Project) -> str:
    return absolute_url(reverse("projects:detail", args=[project.pk]))


def _lead_emails(project: Project) -> list[str]:
    return member_emails([project.lead.organisation_id]) if project.lead.organisation_id else []


def _record(project: Project, source: str, to: str, user, at, reason: str = "") -> Transition:
    return Transition.objects.create(
        project=project, from_state=source, to_state=to, by=user, at=at, reason=reason
    )


@transaction.atomic
def project_create(*, user, lead, cluster, skills=(), now=None, **fields) -> Project:
    now = now or timezone.now()
    project = Project.objects.create(lead=lead, cluster=cluster, **fields)
    project.skills_wanted.set(skills)
    Partner.objects.create(
        project=project, legal_unit=lead, name=lead.name, kind=PartnerKind.FIRM, is_lead=True
    )
    _record(project, "", S.DRAFT, user, now)
    return project


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
    project = Project.objects.select_for_update().select_related("lead").get(pk=project.pk)
    move = MOVES.get((project.state, to))
    if move is None:
        raise WorkflowError(
            _("Un projet « %(state)s » ne peut pas passer à « %(to)s ».")
            % {"state": project.get_state_display(), "to": S(to).label}
        )
    if not move.roles & project_roles(user, project):
        raise WorkflowError(
            _("« %(move)s » revient %(who)s.")
            % {
                "move": move.label,
                "who": _("au porteur du projet")
                if move.roles == {LEAD}
                else _("au chargé de mission du pôle")
                if move.roles == {OFFICER}
                else _("au porteur ou au chargé de mission du pôle"),
            }
        )
    for check in move.checks:
        problem = check(project)
        if problem:
            raise WorkflowError(problem)
    if move.reason_required and not reason.strip():
        raise WorkflowError(_("Indiquez le motif."))
    if move.decision and not committee.strip():
        raise WorkflowError(_("Indiquez le comité qui a décidé."))
    if move.results and not results.strip():
        raise WorkflowError(_("Décrivez les résultats du projet pour le clore."))
    now = now or timezone.now()
    source = project.state
    project.state = to
    if move.decision:
        project.committee = committee.strip()
        project.decision_reasons = reason.strip()
        project.decided_on = decided_on or timezone.localdate(now)
    if move.results:
        project.results = results.strip()
    project.save()
    _record(project, source, to, user, now, reason.strip())
    _tell_about_move(project, source, to)
    return project


def _tell_about_move(project: Project, source: str, to: str) -> None:
    if to == S.SUBMITTED:
        addresses = member_emails([project.cluster_id], [Role.COORDINATOR])
    else:
        addresses = _lead_emails(project)
    send_on_commit(
        addresses,
        subject=f"{project.title} : {S(to).label}",
        template="projects/email/moved.txt",
        context={"project": project, "source": S(source).label, "link": _link(project)},
    )


def _state(project: Project) -> str:
    """The project's state as stored now (the caller's object may be older)."""
    return Project.objects.filter(pk=project.pk).values_list("state", flat=True).get()


def _editable(project: Project) -> None:
    if _state(project) == S.CLOSED:
        raise WorkflowError(_("Ce projet est clos."))


@transaction.atomic
def partner_add(*, project: Project, legal_unit=None, name: str, kind: str, budget) -> Partner:
    _editable(project)
    if legal_unit is not None and project.partners.filter(legal_unit=legal_unit).exists():
        raise WorkflowError(_("%(name)s fait déjà partie du consortium.") % {"name": name})
    return Partner.objects.create(
        project=project, legal_unit=legal_unit, name=name, kind=kind, budget=budget
    )


def partner_remove(*, partner: Partner) -> None:
    _editable(partner.project)
    if partner.is_lead:
        raise WorkflowError(_("Le porteur ne peut pas quitter son propre projet."))
    partner.delete()


@transaction.atomic
def review_assign(*, project: Project, reviewer) -> Review:
    if _state(project) not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise WorkflowError(_("On nomme les experts d'un projet déposé ou en expertise."))
    review, created = Review.objects.get_or_create(project=project, reviewer=reviewer)
    if not created:
        raise WorkflowError(_("%(who)s est déjà expert de ce projet.") % {"who": reviewer})
    send_on_commit(
        [reviewer.email],
        subject=f"Expertise demandée : {project.title}",
        template="projects/email/review_asked.txt",
        context={"project": project, "link": _link(project)},
        transactional=True,
    )
    return review


def review_declare(*, review: Review, has_conflict: bool, statement: str, now=None) -> Review:
    if review.has_conflict is not None:
        raise WorkflowError(_("La déclaration d'intérêts est déjà faite."))
    if has_conflict and not statement.strip():
        raise WorkflowError(_("Décrivez le lien d'intérêts."))
    review.has_conflict = has_conflict
    review.conflict_statement = statement.strip()
    review.declared_at = now or timezone.now()
    review.save(update_fields=["has_conflict", "conflict_statement", "declared_at"])
    return review


def review_submit(*, review: Review, opinion: str, comments: str, now=None) -> Review:
    if review.has_conflict is None:
        raise WorkflowError(_("Déclarez d'abord vos liens d'intérêts avec ce projet."))
    if review.has_conflict:
        raise WorkflowError(
            _("Vous avez déclaré un conflit d'intérêts : vous ne pouvez pas expertiser ce projet.")
        )
    if _state(review.project) != S.UNDER_REVIEW:
        raise WorkflowError(_("Ce projet n'est pas en expertise."))
    if review.submitted_at is not None:
        raise WorkflowError(_("Votre avis est déjà rendu."))
    review.opinion = opinion
    review.comments = comments.strip()
    review.submitted_at = now or timezone.now()
    review.save(update_fields=["opinion", "comments", "submitted_at"])
    return review


def document_add(*, project: Project, upload, user) -> Document:
    """Store an upload already checked by ``forms.validate_document``."""
    _editable(project)
    return Document.objects.create(
        project=project,
        file=upload,
        name=upload.name,
        content_type=upload.checked_content_type,
        size=upload.size,
        uploaded_by=user,
    )


def funding_add(*, project: Project, **fields) -> Funding:
    if _state(project) not in (S.FUNDING_SOUGHT, S.FUNDED, S.IN_PROGRESS):
        raise WorkflowError(_("On enregistre les financements d'un projet labellisé."))
    return Funding.objects.create(project=project, **fields)


def milestone_add(*, project: Project, title: str, due_on: date) -> Milestone:
    _editable(project)
    return Milestone.objects.create(project=project, title=title, due_on=due_on)


def milestone_done(*, milestone: Milestone, on: date) -> Milestone:
    _editable(milestone.project)
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    return milestone


def report_add(*, project: Project, author, text: str, written_on: date) -> FollowUpReport:
    if _state(project) not in (S.FUNDED, S.IN_PROGRESS):
        raise WorkflowError(_("Le suivi technique porte sur un projet financé ou en cours."))
    return FollowUpReport.objects.create(
        project=project, author=author, text=text, written_on=written_on
    )
