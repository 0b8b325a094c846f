"""Who a user is on a project, which projects they see, and what they may do on each.

* **lead**: an active member of the lead firm's organisation;
* **officer**: a coordinator of the cluster that instructs the project (or an administrator);
* **reviewer**: a user named to review it, who has not declared a conflict of interest (a
  conflicted expert loses access to the project, its documents included).

Members of a partner's organisation read the project; the Region's programme officers read
every project, the coordinators those their organisation instructs. The experts' names and
opinions are the cluster officer's; the others see the opinions once the decision is made,
without the experts' names unless the cluster discloses them. The catalogue's published
schemes are public; a saved search is its owner's.

Each rule is written once, as a ``check_…`` that the services call first: it
raises ``PermissionDenied`` when the user's part on the project does not allow
the action and ``Refused`` when the project's state does not.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import (
    has_role,
    is_admin,
    is_programme_officer,
    organisation_ids,
    organisation_ids_in_role,
)
from filiere.accounts.enums import Role
from filiere.common.access import May, allows
from filiere.common.refusals import Refused
from filiere.directory.models import LegalUnit
from filiere.projects.enums import LEAD, OFFICER, REVIEWER, ProjectState
from filiere.projects.models import (
    AidScheme,
    Document,
    Funding,
    Milestone,
    Partner,
    Project,
    Review,
    SavedSearch,
)
from filiere.projects.moves import EDITABLE_STATES, MOVES, Move

S = ProjectState

# Who may act on the project's file (consortium, documents, milestones, reports).
EDITORS = frozenset({LEAD, OFFICER})
# The states in which the cluster names reviewers, records fundings, receives reports.
NAMING_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
FUNDING_STATES = frozenset({S.FUNDING_SOUGHT, S.FUNDED, S.IN_PROGRESS})
REPORTING_STATES = frozenset({S.FUNDED, S.IN_PROGRESS})


def project_roles(user, project: Project) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    roles = set()
    if project.lead.organisation_id in organisation_ids(user):
        roles.add(LEAD)
    if is_admin(user) or has_role(user, project.cluster_id, Role.COORDINATOR):
        roles.add(OFFICER)
    if any(r.reviewer_id == user.pk and not r.has_conflict for r in project.reviews.all()):
        roles.add(REVIEWER)
    return frozenset(roles)


def visible_projects(user):
    if is_programme_officer(user):
        return Project.objects.all()
    organisations = organisation_ids(user)
    reviews = Review.objects.filter(project=OuterRef("pk"), reviewer_id=user.pk).exclude(
        has_conflict=True
    )
    return Project.objects.filter(
        Q(cluster__in=organisation_ids_in_role(user, Role.COORDINATOR))
        | Q(lead__organisation__in=organisations)
        | Q(partners__legal_unit__organisation__in=organisations)
        | Exists(reviews)
    ).distinct()


def access_project(user, pk: int) -> Project:
    return get_object_or_404(
        visible_projects(user)
        .select_related("lead", "cluster")
        .prefetch_related("reviews__reviewer", "partners__legal_unit"),
        pk=pk,
    )


def access_document(user, pk: int) -> Document:
    """A document of a project the user sees (404 otherwise)."""
    document = get_object_or_404(Document, pk=pk)
    access_project(user, document.project_id)
    return document


def access_review(project: Project, pk: int) -> Review:
    return get_object_or_404(Review, pk=pk, project=project)


def access_partner(project: Project, pk: int) -> Partner:
    return get_object_or_404(Partner, pk=pk, project=project)


def access_funding(project: Project, pk: int) -> Funding:
    return get_object_or_404(Funding, pk=pk, project=project)


def access_milestone(project: Project, pk: int) -> Milestone:
    return get_object_or_404(Milestone, pk=pk, project=project)


def access_scheme(pk: int) -> AidScheme:
    """A scheme of the catalogue, once published (the catalogue is public)."""
    return get_object_or_404(AidScheme, pk=pk, is_published=True)


def can_see_aid_imports(user) -> bool:
    """The runs of the import from Aides-territoires: the programme officers, who run the
    catalogue."""
    return is_programme_officer(user)


def check_see_aid_imports(user) -> None:
    if not can_see_aid_imports(user):
        raise PermissionDenied


def access_saved_search(user, pk: int) -> SavedSearch:
    """One of the user's own saved searches (404 for anyone else's)."""
    return get_object_or_404(SavedSearch, pk=pk, user=user)


def lead_units(user):
    """The firms a user may lead a project for: those of their organisations."""
    return LegalUnit.objects.filter(organisation__in=organisation_ids(user))


def can_create(user) -> bool:
    return lead_units(user).exists()


def check_create(user, lead: LegalUnit) -> None:
    """A project is led by one of the user's own firms."""
    if not lead_units(user).filter(pk=lead.pk).exists():
        raise PermissionDenied


def _editor(user, project: Project) -> frozenset[str]:
    roles = project_roles(user, project)
    if not roles & EDITORS:
        raise PermissionDenied
    return roles


def _reserved_to(move: Move) -> str:
    if move.roles == {LEAD}:
        return _("au porteur du projet")
    if move.roles == {OFFICER}:
        return _("au chargé de mission du pôle")
    return _("au porteur ou au chargé de mission du pôle")


def check_move(user, project: Project, to: str) -> Move:
    """The lead and the officer move the project, each along the moves of the table that are
    theirs, once the move's conditions are met; returns the move."""
    roles = _editor(user, project)
    move = MOVES.get((project.state, to))
    if move is None:
        raise Refused(
            "project.no_such_move",
            _("Un projet « %(state)s » ne peut pas passer à « %(to)s ».")
            % {"state": project.get_state_display(), "to": S(to).label},
        )
    if not move.roles & roles:
        raise Refused(
            "project.move_not_yours",
            _("« %(move)s » revient %(who)s.") % {"move": move.label, "who": _reserved_to(move)},
        )
    for condition in move.checks:
        condition(project)
    return move


def available_moves(user, project: Project) -> list[tuple[str, Move]]:
    """The moves from the project's state that are the user's (their conditions are checked
    when the move is asked for, which then says what is missing)."""
    roles = project_roles(user, project)
    return [
        (to, move)
        for (source, to), move in MOVES.items()
        if source == project.state and move.roles & roles
    ]


def check_edit_project(user, project: Project) -> None:
    """The lead (a member of the lead firm's organisation) edits the project, its consortium
    and budgets included, while it is theirs to submit (``moves.EDITABLE_STATES``)."""
    if LEAD not in project_roles(user, project):
        raise PermissionDenied
    if project.state not in EDITABLE_STATES:
        raise Refused(
            "project.not_editable",
            _(
                "Un projet « %(state)s » ne se modifie plus : le porteur modifie son projet "
                "tant qu'il est en brouillon ou renvoyé pour modifications."
            )
            % {"state": project.get_state_display()},
        )


def check_correct_decision(user, project: Project) -> None:
    """The officer, who records the labelling decision, corrects it once it is made."""
    if OFFICER not in project_roles(user, project):
        raise PermissionDenied
    if project.decided_on is None:
        raise Refused(
            "project.no_decision", _("Aucune décision de labellisation n'est enregistrée.")
        )


def check_edit(user, project: Project) -> None:
    """The lead and the officer add documents and milestones until the project is closed."""
    _editor(user, project)
    if project.state == S.CLOSED:
        raise Refused("project.closed", _("Ce projet est clos."))


def check_name_reviewer(user, project: Project) -> None:
    if OFFICER not in project_roles(user, project):
        raise PermissionDenied
    if project.state not in NAMING_STATES:
        raise Refused(
            "project.reviewer_out_of_review",
            _("On nomme les experts d'un projet déposé ou en expertise."),
        )


def check_withdraw_reviewer(user, project: Project, review: Review) -> None:
    """The officer, who names the experts, withdraws one named by mistake while the project is
    examined, until they give their opinion or declare a conflict (either stays in the
    project's file)."""
    check_name_reviewer(user, project)
    if review.submitted_at is not None or review.has_conflict:
        raise Refused(
            "project.review_stays",
            _(
                "Cet expert a rendu son avis ou déclaré un conflit d'intérêts : "
                "cela reste au dossier du projet."
            ),
        )


def my_review(user, project: Project) -> Review | None:
    return next((r for r in project.reviews.all() if r.reviewer_id == user.pk), None)


def _own_review(user, project: Project) -> Review:
    review = my_review(user, project)
    if review is None:
        raise PermissionDenied
    return review


def check_declare(user, project: Project) -> Review:
    """A named reviewer declares their interests once; returns their review."""
    review = _own_review(user, project)
    if review.has_conflict is not None:
        raise Refused("project.already_declared", _("La déclaration d'intérêts est déjà faite."))
    return review


def _check_opinion_open(review: Review, project: Project) -> None:
    if review.has_conflict:
        raise Refused(
            "project.reviewer_conflicted",
            _("Vous avez déclaré un conflit d'intérêts : vous ne pouvez pas expertiser ce projet."),
        )
    if project.state != S.UNDER_REVIEW:
        raise Refused("project.not_under_review", _("Ce projet n'est pas en expertise."))
    if review.submitted_at is not None:
        raise Refused("project.opinion_given", _("Votre avis est déjà rendu."))


def check_give_opinion(user, project: Project) -> Review:
    """A reviewer without a conflict of interest gives one opinion while the project is under
    review; returns their review."""
    review = _own_review(user, project)
    if review.has_conflict is None:
        raise Refused(
            "project.declare_first", _("Déclarez d'abord vos liens d'intérêts avec ce projet.")
        )
    _check_opinion_open(review, project)
    return review


def check_expect_opinion(user, project: Project) -> None:
    """The reviewer's opinion is awaited: they may give it, once they have declared."""
    _check_opinion_open(_own_review(user, project), project)


def check_correct_opinion(user, project: Project) -> Review:
    """The expert who gave an opinion corrects it while the project is under review (the
    decision is then made on it); returns their review."""
    review = _own_review(user, project)
    if review.has_conflict or review.submitted_at is None:
        raise Refused("project.opinion_not_given", _("Vous n'avez pas rendu d'avis à corriger."))
    if project.state != S.UNDER_REVIEW:
        raise Refused(
            "project.opinion_after_review",
            _("Un avis se corrige tant que le projet est en expertise."),
        )
    return review


def check_read_opinions(user, project: Project) -> None:
    """The officer reads the experts' names, opinions and comments."""
    if OFFICER not in project_roles(user, project):
        raise PermissionDenied


def check_disclose_reviewers(user, project: Project) -> None:
    """The officer tells the lead who the experts were, or stops telling, once decided."""
    check_read_opinions(user, project)
    if project.decided_on is None:
        raise Refused(
            "project.disclosure_before_decision",
            _("Les experts se nomment au porteur une fois la décision prise."),
        )


def reviews_seen_by(user, project: Project) -> list[dict]:
    """The reviews as the user may see them: every one with its expert and comments for the
    officer; their own for an expert; once the decision is made, the opinions given for the
    others, each expert named only if the cluster discloses them."""
    reviews = list(project.reviews.all())
    if OFFICER in project_roles(user, project):
        return [{"review": r, "expert": r.reviewer, "comments": r.comments} for r in reviews]
    own = [r for r in reviews if r.reviewer_id == user.pk]
    if own:
        return [{"review": r, "expert": r.reviewer, "comments": r.comments} for r in own]
    if project.decided_on is None:
        return []
    given = [r for r in reviews if r.submitted_at is not None and not r.has_conflict]
    return [
        {
            "review": r,
            "expert": r.reviewer if project.reviewers_disclosed else None,
            "number": number,
            "comments": None,
        }
        for number, r in enumerate(given, start=1)
    ]


def check_add_funding(user, project: Project) -> None:
    """The officer records the fundings, and corrects them, from the search for them until
    the project ends."""
    if OFFICER not in project_roles(user, project):
        raise PermissionDenied
    if project.state not in FUNDING_STATES:
        raise Refused(
            "project.funding_before_label",
            _("On enregistre les financements d'un projet labellisé."),
        )


def check_add_report(user, project: Project) -> None:
    """The lead and the officer report on a funded project until it ends."""
    _editor(user, project)
    if project.state not in REPORTING_STATES:
        raise Refused(
            "project.report_before_funding",
            _("Le suivi technique porte sur un projet financé ou en cours."),
        )


def check_publish(user, project: Project) -> None:
    """The lead publishes the project on the sector's public showcase (or updates what it
    shows there) once the cluster has labelled it: a project that loses its label leaves
    the showcase (``Project.is_on_showcase``)."""
    if LEAD not in project_roles(user, project):
        raise PermissionDenied
    if not project.is_labelled:
        raise Refused(
            "project.showcase_not_labelled",
            _(
                "Seul un projet labellisé par le pôle se publie dans la vitrine : "
                "ce projet est « %(state)s »."
            )
            % {"state": project.get_state_display()},
        )


def check_unpublish(user, project: Project) -> None:
    """The lead withdraws the project from the showcase, whatever its state."""
    if LEAD not in project_roles(user, project):
        raise PermissionDenied
    if not project.showcase_published:
        raise Refused(
            "project.showcase_not_published", _("Ce projet n'est pas publié dans la vitrine.")
        )


def can_edit(user, project: Project) -> bool:
    return allows(check_edit, user, project)


def can_edit_project(user, project: Project) -> bool:
    return allows(check_edit_project, user, project)


def can_correct_decision(user, project: Project) -> bool:
    return allows(check_correct_decision, user, project)


def can_name_reviewer(user, project: Project) -> bool:
    return allows(check_name_reviewer, user, project)


def can_declare(user, project: Project) -> bool:
    return allows(check_declare, user, project)


def can_give_opinion(user, project: Project) -> bool:
    return allows(check_give_opinion, user, project)


def can_expect_opinion(user, project: Project) -> bool:
    return allows(check_expect_opinion, user, project)


def can_correct_opinion(user, project: Project) -> bool:
    return allows(check_correct_opinion, user, project)


def can_read_opinions(user, project: Project) -> bool:
    return allows(check_read_opinions, user, project)


def can_disclose_reviewers(user, project: Project) -> bool:
    return allows(check_disclose_reviewers, user, project)


def can_add_funding(user, project: Project) -> bool:
    return allows(check_add_funding, user, project)


def can_add_report(user, project: Project) -> bool:
    return allows(check_add_report, user, project)


def can_publish(user, project: Project) -> bool:
    return allows(check_publish, user, project)


def can_unpublish(user, project: Project) -> bool:
    return allows(check_unpublish, user, project)


def may_project(user, project: Project) -> May:
    return May(
        user,
        project,
        edit=can_edit,
        edit_project=can_edit_project,
        correct_decision=can_correct_decision,
        name_reviewer=can_name_reviewer,
        declare=can_declare,
        give_opinion=can_give_opinion,
        expect_opinion=can_expect_opinion,
        correct_opinion=can_correct_opinion,
        read_opinions=can_read_opinions,
        disclose_reviewers=can_disclose_reviewers,
        add_funding=can_add_funding,
        add_report=can_add_report,
        publish=can_publish,
        unpublish=can_unpublish,
    )
