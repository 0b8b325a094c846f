"""The project workflow's table: the moves from each state, who makes them, what each needs.

``access.check_move`` reads it to say whether a user may make a move, and
``services.workflow.project_move`` to know what the move records.

What a project needs to be submitted, and labelled, is written here once:

* a budget: the consortium's budgets add up to more than 0 €;
* a consortium: the lead and at least one other partner (a firm, a laboratory, an end
  user or another body). A cluster labels *collaborative* projects: a firm alone is
  pointed to individual aid. The laboratory and the end user of the market that
  ``engine.consortium`` looks for are advice (the partners suggested), not conditions:
  many winning projects pair a firm with another firm or with its end user.

The lead edits the project (its fields and its consortium) in the states of
``EDITABLE_STATES`` only: a draft, which is also where a project sent back for changes,
or not labelled and reworked, returns. Once submitted, what the cluster reviews stays
as it was submitted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Sum
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


# The lead edits the project while it is theirs to submit.
EDITABLE_STATES = frozenset({S.DRAFT})


def has_budget(project: Project) -> None:
    budget = project.partners.aggregate(total=Sum("budget"))["total"] or 0
    if budget <= 0:
        raise Refused(
            "project.no_budget",
            _(
                "Le budget du projet est de 0 € : indiquez le budget de chaque partenaire "
                "(« Modifier le projet », rubrique « Consortium et budget »)."
            ),
        )


def has_consortium(project: Project) -> None:
    if project.partners.filter(is_lead=False).count() < 1:
        raise Refused(
            "project.no_consortium",
            _(
                "Le consortium n'a que le porteur : ajoutez au moins un partenaire "
                "(« Modifier le projet », rubrique « Consortium et budget »)."
            ),
        )


def funded(project: Project) -> None:
    if not project.fundings.kept().exists():
        raise Refused(
            "project.not_funded", _("Enregistrez d'abord le ou les financements obtenus.")
        )


MOVES: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move(
        gettext_lazy("Déposer le projet"), frozenset({LEAD}), checks=(has_budget, has_consortium)
    ),
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
        checks=(reviewed, has_budget),
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
