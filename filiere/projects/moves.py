"""The project workflow's table: the moves from each state, who makes them, what each needs.

``access.check_move`` reads it to say whether a user may make a move, and
``services.workflow.project_move`` to know what the move records.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filiere.common.refusals import Refused
from filiere.projects.enums import LEAD, OFFICER, ProjectState
from filiere.projects.models import Project

S = ProjectState


@dataclass(frozen=True)
class Move:
    label: str
    roles: frozenset[str]
    reason_required: bool = False
    decision: bool = False
    results: bool = False
    # Conditions on the project, each raising Refused when it is not met.
    checks: tuple[Callable[[Project], None], ...] = field(default=())


def has_reviewer(project: Project) -> None:
    if not project.reviews.exclude(has_conflict=True).exists():
        raise Refused(
            "project.no_reviewer", _("Nommez au moins un expert sans conflit d'intérêts.")
        )


def reviewed(project: Project) -> None:
    if not project.reviews.filter(has_conflict=False, submitted_at__isnull=False).exists():
        raise Refused(
            "project.not_reviewed",
            _("Il faut au moins un avis d'expert rendu sans conflit d'intérêts."),
        )


def funded(project: Project) -> None:
    if not project.fundings.exists():
        raise Refused(
            "project.not_funded", _("Enregistrez d'abord le ou les financements obtenus.")
        )


MOVES: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move(gettext_lazy("Déposer le projet"), frozenset({LEAD})),
    (S.SUBMITTED, S.DRAFT): Move(
        gettext_lazy("Renvoyer au porteur"), frozenset({OFFICER}), reason_required=True
    ),
    (S.SUBMITTED, S.UNDER_REVIEW): Move(
        gettext_lazy("Lancer l'expertise"), frozenset({OFFICER}), checks=(has_reviewer,)
    ),
    (S.UNDER_REVIEW, S.LABELLED): Move(
        gettext_lazy("Labelliser"),
        frozenset({OFFICER}),
        reason_required=True,
        decision=True,
        checks=(reviewed,),
    ),
    (S.UNDER_REVIEW, S.NOT_LABELLED): Move(
        gettext_lazy("Ne pas labelliser"),
        frozenset({OFFICER}),
        reason_required=True,
        decision=True,
        checks=(reviewed,),
    ),
    (S.NOT_LABELLED, S.DRAFT): Move(gettext_lazy("Retravailler le projet"), frozenset({LEAD})),
    (S.LABELLED, S.FUNDING_SOUGHT): Move(
        gettext_lazy("Rechercher des financements"), frozenset({LEAD, OFFICER})
    ),
    (S.FUNDING_SOUGHT, S.FUNDED): Move(
        gettext_lazy("Déclarer financé"), frozenset({OFFICER}), checks=(funded,)
    ),
    (S.FUNDED, S.IN_PROGRESS): Move(gettext_lazy("Démarrer le projet"), frozenset({LEAD, OFFICER})),
    (S.IN_PROGRESS, S.CLOSED): Move(
        gettext_lazy("Clore le projet"), frozenset({OFFICER}), results=True
    ),
}
