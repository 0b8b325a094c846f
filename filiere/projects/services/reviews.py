"""The expertise: the cluster names reviewers, each declares their interests, then those
without a conflict give their opinion."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import send_on_commit
from filiere.common import history
from filiere.common.refusals import Refused
from filiere.projects import access
from filiere.projects.models import Project, Review
from filiere.projects.services.base import locked, project_link


@transaction.atomic
def review_assign(*, project: Project, user, reviewer) -> Review:
    """The officer names ``reviewer`` (a user), who is asked by e-mail."""
    project = locked(project)
    access.check_name_reviewer(user, project)
    if project.reviews.filter(reviewer=reviewer).exists():
        raise Refused(
            "project.already_reviewer",
            _("%(who)s est déjà expert de ce projet.") % {"who": reviewer},
            field="reviewer",
        )
    review = Review.objects.create(project=project, reviewer=reviewer)
    send_on_commit(
        [reviewer.email],
        subject=f"Expertise demandée : {project.title}",
        template="projects/email/review_asked.txt",
        context={"project": project, "link": project_link(project)},
        category=MailCategory.TRANSACTIONAL,
    )
    return review


@transaction.atomic
def review_withdraw(*, project: Project, user, review: Review, reason: str) -> None:
    """The officer withdraws an expert named by mistake; ``reason`` says why, in the
    review's history."""
    project = locked(project)
    review = project.reviews.get(pk=review.pk)  # as stored now, under the project's lock
    access.check_withdraw_reviewer(user, project, review)
    if not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    history.delete(review, reason=reason.strip(), user=user)


@transaction.atomic
def review_declare(
    *, project: Project, user, has_conflict: bool, statement: str, now=None
) -> Review:
    """The reviewer ``user`` says whether they have a conflict of interest, and which."""
    review = access.check_declare(user, locked(project))
    if has_conflict and not statement.strip():
        raise Refused(
            "project.conflict_unstated", _("Décrivez le lien d'intérêts."), field="statement"
        )
    review.has_conflict = has_conflict
    review.conflict_statement = statement.strip()
    review.declared_at = now or timezone.now()
    review.save(update_fields=["has_conflict", "conflict_statement", "declared_at"])
    return review


@transaction.atomic
def review_submit(*, project: Project, user, opinion: str, comments: str, now=None) -> Review:
    """The reviewer ``user`` gives their opinion."""
    review = access.check_give_opinion(user, locked(project))
    review.opinion = opinion
    review.comments = comments.strip()
    review.submitted_at = now or timezone.now()
    review.save(update_fields=["opinion", "comments", "submitted_at"])
    return review


@transaction.atomic
def review_correct(*, project: Project, user, opinion: str, comments: str, reason: str) -> Review:
    """The expert ``user`` corrects the opinion they gave; ``reason`` says why, in the
    review's history."""
    review = access.check_correct_opinion(user, locked(project))
    if not reason.strip():
        raise Refused("project.reason_required", _("Indiquez le motif."), field="reason")
    review.opinion = opinion
    review.comments = comments.strip()
    history.correct(review, reason=reason.strip(), user=user, fields=["opinion", "comments"])
    return review


@transaction.atomic
def reviewers_disclose(*, project: Project, user, disclosed: bool) -> Project:
    """The officer tells the lead who the experts were (or stops telling), once decided."""
    project = locked(project)
    access.check_disclose_reviewers(user, project)
    project.reviewers_disclosed = disclosed
    project.save(update_fields=["reviewers_disclosed", "updated_at"])
    return project
