"""Writes that set a contract up and edit it: its fields and publication, its actors, axes,
actions with their partners, indicators, and the regional strategy with its pillars and
their commitments.

Each service is atomic, takes plain values and checks the rules a database constraint
cannot say with a field (a code unique in the contract, a strategy of the contract's
région, a registered source); a refusal raises ``Refused`` with the field it concerns and
writes nothing. A change goes through ``common.history`` with its reason; a removal too,
and only while nothing is recorded against the part (commitments, envelopes,
measurements): unpublishing stays possible. Callers check who may write first
(``access.access_contract_to_edit``).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from django.utils.translation import gettext as _

from filiere.accounts.models import Organisation
from filiere.common import history
from filiere.common.formats import format_euros as euros
from filiere.common.refusals import Refused
from filiere.programme.models import (
    Action,
    ActionPartner,
    Axis,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    ContractActor,
    Indicator,
    Measurement,
    Pillar,
    PillarCommitment,
    Strategy,
)
from filiere.programme.services import _check_reason
from filiere.programme.sources import get_source
from filiere.territory.models import Commune, Region

# Slugs the contracts' own pages use under /contrats/.
RESERVED_SLUGS = frozenset({"nouveau"})


def suggested_slug(title: str) -> str:
    """An identifier drawn from a contract's title, free among the contracts'."""
    base = slugify(title)[:70].strip("-") or "contrat"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Contract.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _saved(obj, *, reason: str | None, user) -> None:
    """A new part is saved (its history starts); a change is a correction, with its reason."""
    if obj.pk is None:
        if user is not None:
            obj._history_user = user
        obj.save()
    else:
        history.correct(obj, reason=_check_reason(reason or ""), user=user)


# The contract


def owner_outside_region(
    *, owner_seat: Commune | None, owner_id: int | None, slug: str, region_code: str
) -> bool:
    """The rule that a Region's officers steer only their Region's contracts: the owner's
    région is its seat's, or, with no seat recorded, that of the other contracts it owns
    (its first contract, anywhere, says which)."""
    if owner_seat is not None:
        return owner_seat.departement.region.code != region_code
    owned = Contract.objects.filter(owner_id=owner_id).exclude(slug=slug)
    return owner_id is not None and owned.exclude(region__code=region_code).exists()


def contract_check(
    *,
    contract: Contract,
    region: Region,
    slug: str,
    start_date: date,
    end_date: date,
    budget_eur: Decimal,
    strategy: Strategy | None,
    signing_commune: Commune | None,
) -> None:
    """The rules a contract's values keep, created or changed (its edit page, a file
    imported with ``--update``): a free identifier, ordered dates, its strategy, owner and
    signing commune of its région, its envelopes and commitments within budget and period."""
    taken = Contract.objects.filter(slug=slug).exclude(pk=contract.pk).exists()
    if taken or slug in RESERVED_SLUGS:
        raise Refused(
            "contract.slug_taken",
            _("Cet identifiant est déjà pris : choisissez-en un autre."),
            field="slug",
        )
    if end_date < start_date:
        raise Refused(
            "contract.dates_disordered",
            _("La fin du contrat doit suivre son début."),
            field="end_date",
        )
    seat = contract.owner.commune if contract.owner.commune_id else None
    if owner_outside_region(
        owner_seat=seat, owner_id=contract.owner_id, slug=contract.slug, region_code=region.code
    ):
        raise Refused(
            "contract.owner_of_another_region",
            _("Le pilote est une organisation d'une autre région que celle du contrat."),
            field="region",
        )
    if strategy is not None and strategy.region_id != region.pk:
        raise Refused(
            "contract.strategy_of_another_region",
            _("Cette stratégie est celle d'une autre région."),
            field="strategy",
        )
    if (
        strategy is not None
        and strategy.contracts.exclude(pk=contract.pk).exclude(owner=contract.owner_id).exists()
    ):
        raise Refused(
            "contract.strategy_of_another_owner",
            _("Cette stratégie porte les contrats d'une autre organisation."),
            field="strategy",
        )
    if signing_commune is not None and signing_commune.departement.region_id != region.pk:
        raise Refused(
            "contract.commune_of_another_region",
            _("Cette commune n'est pas dans la région du contrat."),
            field="signing_commune",
        )
    if contract.pk is None:
        return
    allocated = BudgetAllocation.objects.filter(action__axis__contract=contract).aggregate(
        total=Sum("amount_eur", default=Decimal("0"))
    )["total"]
    if budget_eur < allocated:
        raise Refused(
            "contract.budget_below_allocated",
            _(
                "%(allocated)s sont déjà répartis entre les actions : "
                "le budget ne peut descendre en dessous."
            )
            % {"allocated": euros(allocated)},
            field="budget_eur",
        )
    years = range(start_date.year, end_date.year + 1)
    allocations = BudgetAllocation.objects.filter(action__axis__contract=contract)
    commitments = BudgetCommitment.objects.filter(action__axis__contract=contract)
    if (
        allocations.exclude(year__in=years).exists()
        or commitments.exclude(year__in=years).exists()
        or commitments.exclude(committed_on__range=(start_date, end_date)).exists()
    ):
        raise Refused(
            "contract.records_outside_period",
            _("Des enveloppes ou des engagements tomberaient hors de cette période."),
            field="start_date",
        )


@transaction.atomic
def contract_create(*, owner: Organisation, user=None, **values) -> Contract:
    """A new contract of ``owner``, unpublished until its officers publish it."""
    contract = Contract(owner=owner, is_published=False, **values)
    contract_check(contract=contract, **_contract_checked(values))
    _saved(contract, reason=None, user=user)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, reason: str, user=None, **values) -> Contract:
    """Change a contract's fields: its envelopes and commitments still fit in its budget and
    its period."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    contract_check(contract=contract, **_contract_checked(values))
    for name, value in values.items():
        setattr(contract, name, value)
    _saved(contract, reason=reason, user=user)
    return contract


def _contract_checked(values: dict) -> dict:
    names = ("region", "slug", "start_date", "end_date", "budget_eur", "strategy")
    checked = {name: values[name] for name in names}
    checked["signing_commune"] = values.get("signing_commune")
    return checked


@transaction.atomic
def contract_publish(*, contract: Contract, published: bool, user=None) -> Contract:
    """Publish a contract (the public sees it and its published parts) or withdraw it."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    contract.is_published = published
    reason = _("Publication") if published else _("Retrait de la publication")
    history.correct(contract, reason=reason, user=user, fields=["is_published"])
    return contract


# Actors


@transaction.atomic
def actor_add(
    *, contract: Contract, organisation: Organisation, role: str, description: str = "", user=None
) -> ContractActor:
    if ContractActor.objects.filter(
        contract=contract, organisation=organisation, role=role
    ).exists():
        raise Refused(
            "actor.already_there",
            _("Cette organisation a déjà ce rôle dans le contrat."),
            field="organisation",
        )
    actor = ContractActor(
        contract=contract, organisation=organisation, role=role, description=description
    )
    _saved(actor, reason=None, user=user)
    return actor


def actor_remove(*, actor: ContractActor, reason: str, user=None) -> None:
    history.delete(actor, reason=_check_reason(reason), user=user)


# Axes


def _check_axis(*, contract: Contract, number: int, excluding=None) -> None:
    if Axis.objects.filter(contract=contract, number=number).exclude(pk=excluding).exists():
        raise Refused(
            "axis.number_taken", _("Le contrat a déjà un axe de ce numéro."), field="number"
        )


@transaction.atomic
def axis_create(*, contract: Contract, number: int, title: str, summary: str = "", user=None):
    _check_axis(contract=contract, number=number)
    axis = Axis(contract=contract, number=number, title=title, summary=summary)
    _saved(axis, reason=None, user=user)
    return axis


@transaction.atomic
def axis_update(
    *, axis: Axis, number: int, title: str, summary: str, reason: str, user=None
) -> Axis:
    _check_axis(contract=axis.contract, number=number, excluding=axis.pk)
    axis.number, axis.title, axis.summary = number, title, summary
    _saved(axis, reason=reason, user=user)
    return axis


@transaction.atomic
def axis_delete(*, axis: Axis, reason: str, user=None) -> None:
    """Remove an axis that has no action left."""
    reason = _check_reason(reason)
    if axis.actions.exists():
        raise Refused(
            "axis.has_actions",
            _("Cet axe a des actions : retirez-les d'abord, ou dépubliez-les."),
        )
    history.delete(axis, reason=reason, user=user)


# Actions and their partners


def _check_action(*, contract: Contract, axis: Axis, code: str, excluding=None) -> None:
    if axis.contract_id != contract.pk:
        raise Refused("action.axis_of_another_contract", _("Axe inconnu."), field="axis")
    # An action's pages are found by its code within the contract: one action per code.
    same_code = Action.objects.filter(axis__contract=contract, code=code).exclude(pk=excluding)
    if same_code.exists():
        raise Refused(
            "action.code_taken", _("Le contrat a déjà une action de ce code."), field="code"
        )


@transaction.atomic
def action_create(*, contract: Contract, axis: Axis, code: str, user=None, **values) -> Action:
    _check_action(contract=contract, axis=axis, code=code)
    action = Action(axis=axis, code=code, **values)
    _saved(action, reason=None, user=user)
    return action


@transaction.atomic
def action_update(
    *, action: Action, axis: Axis, code: str, reason: str, user=None, **values
) -> Action:
    contract = action.axis.contract
    _check_action(contract=contract, axis=axis, code=code, excluding=action.pk)
    action.axis, action.code = axis, code
    for name, value in values.items():
        setattr(action, name, value)
    _saved(action, reason=reason, user=user)
    return action


def action_records(action: Action) -> bool:
    """Whether anything is recorded against the action: envelopes, commitments, indicators."""
    return (
        BudgetAllocation.objects.filter(action=action).exists()
        or BudgetCommitment.objects.filter(action=action).exists()
        or Indicator.objects.filter(action=action).exists()
    )


@transaction.atomic
def action_delete(*, action: Action, reason: str, user=None) -> None:
    """Remove an action against which nothing is recorded."""
    reason = _check_reason(reason)
    if action_records(action):
        raise Refused(
            "action.has_records",
            _(
                "Des enveloppes, des engagements ou des indicateurs portent sur cette action : "
                "elle ne se retire plus. Vous pouvez la dépublier."
            ),
        )
    for partnership in action.partnerships.all():
        history.delete(partnership, reason=reason, user=user)
    history.delete(action, reason=reason, user=user)


@transaction.atomic
def partner_add(
    *, action: Action, organisation: Organisation, role: str = "", user=None
) -> ActionPartner:
    if ActionPartner.objects.filter(action=action, organisation=organisation).exists():
        raise Refused(
            "partner.already_there",
            _("Cette organisation est déjà partenaire de l'action."),
            field="organisation",
        )
    partnership = ActionPartner(action=action, organisation=organisation, role=role)
    _saved(partnership, reason=None, user=user)
    return partnership


def partner_remove(*, partnership: ActionPartner, reason: str, user=None) -> None:
    history.delete(partnership, reason=_check_reason(reason), user=user)


# Indicators


def _check_indicator(
    *,
    contract: Contract,
    code: str,
    action: Action | None,
    pillar: Pillar | None,
    baseline_value,
    baseline_date,
    target_value,
    target_factor,
    computed_source: str,
    indicator: Indicator | None = None,
) -> None:
    excluding = indicator.pk if indicator else None
    if Indicator.objects.filter(contract=contract, code=code).exclude(pk=excluding).exists():
        raise Refused(
            "indicator.code_taken", _("Le contrat a déjà un indicateur de ce code."), field="code"
        )
    if action is not None and action.axis.contract_id != contract.pk:
        raise Refused("indicator.action_of_another_contract", _("Action inconnue."), field="action")
    if pillar is not None and pillar.strategy_id != contract.strategy_id:
        raise Refused(
            "indicator.pillar_of_another_strategy",
            _("Ce pilier n'est pas celui de la stratégie du contrat."),
            field="pillar",
        )
    if baseline_value is not None and baseline_date is None:
        raise Refused(
            "indicator.baseline_undated",
            _("Datez la valeur de référence."),
            field="baseline_date",
        )
    if target_value is not None and target_factor is not None:
        raise Refused(
            "indicator.two_targets",
            _("Donnez la cible en valeur ou en multiple de la référence, pas les deux."),
            field="target_factor",
        )
    if computed_source and get_source(computed_source) is None:
        raise Refused(
            "indicator.unknown_source", _("Source de calcul inconnue."), field="computed_source"
        )
    measured = indicator is not None and Measurement.objects.filter(indicator=indicator).exists()
    if computed_source and measured:
        raise Refused(
            "indicator.measured",
            _("Des mesures sont saisies sur cet indicateur : il reste en saisie manuelle."),
            field="computed_source",
        )


@transaction.atomic
def indicator_create(*, contract: Contract, user=None, **values) -> Indicator:
    _check_indicator(contract=contract, **_indicator_checked(values))
    indicator = Indicator(contract=contract, **values)
    _saved(indicator, reason=None, user=user)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, reason: str, user=None, **values) -> Indicator:
    _check_indicator(contract=indicator.contract, indicator=indicator, **_indicator_checked(values))
    for name, value in values.items():
        setattr(indicator, name, value)
    _saved(indicator, reason=reason, user=user)
    return indicator


def _indicator_checked(values: dict) -> dict:
    names = (
        "code",
        "action",
        "pillar",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_factor",
        "computed_source",
    )
    return {name: values.get(name) for name in names} | {
        "computed_source": values.get("computed_source") or ""
    }


@transaction.atomic
def indicator_delete(*, indicator: Indicator, reason: str, user=None) -> None:
    """Remove an indicator that has no measurement."""
    reason = _check_reason(reason)
    if Measurement.objects.filter(indicator=indicator).exists():
        raise Refused(
            "indicator.has_measurements",
            _(
                "Des mesures sont saisies sur cet indicateur : il ne se retire plus. "
                "Vous pouvez le dépublier."
            ),
        )
    history.delete(indicator, reason=reason, user=user)


# The Region's strategy a contract belongs to, its pillars and their commitments.


@transaction.atomic
def strategy_create(*, contract: Contract, user=None, **values) -> Strategy:
    """A strategy of the contract's région, which the contract then belongs to."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.strategy_id is not None:
        raise Refused(
            "strategy.already_set", _("Ce contrat appartient déjà à une stratégie régionale.")
        )
    strategy = Strategy(region_id=contract.region_id, **values)
    _saved(strategy, reason=None, user=user)
    contract.strategy = strategy
    history.correct(contract, reason=_("Stratégie régionale créée"), user=user, fields=["strategy"])
    return strategy


@transaction.atomic
def strategy_update(*, strategy: Strategy, reason: str, user=None, **values) -> Strategy:
    for name, value in values.items():
        setattr(strategy, name, value)
    _saved(strategy, reason=reason, user=user)
    return strategy


def _check_pillar(*, strategy: Strategy, number: int, excluding=None) -> None:
    if Pillar.objects.filter(strategy=strategy, number=number).exclude(pk=excluding).exists():
        raise Refused(
            "pillar.number_taken", _("La stratégie a déjà un pilier de ce numéro."), field="number"
        )


@transaction.atomic
def pillar_create(*, strategy: Strategy, number: int, title: str, user=None) -> Pillar:
    _check_pillar(strategy=strategy, number=number)
    pillar = Pillar(strategy=strategy, number=number, title=title)
    _saved(pillar, reason=None, user=user)
    return pillar


@transaction.atomic
def pillar_update(*, pillar: Pillar, number: int, title: str, reason: str, user=None) -> Pillar:
    _check_pillar(strategy=pillar.strategy, number=number, excluding=pillar.pk)
    pillar.number, pillar.title = number, title
    _saved(pillar, reason=reason, user=user)
    return pillar


@transaction.atomic
def pillar_delete(*, pillar: Pillar, reason: str, user=None) -> None:
    """Remove a pillar that has no commitment and no indicator."""
    reason = _check_reason(reason)
    if pillar.commitments.exists() or Indicator.objects.filter(pillar=pillar).exists():
        raise Refused(
            "pillar.in_use",
            _("Des engagements ou des indicateurs portent sur ce pilier : retirez-les d'abord."),
        )
    history.delete(pillar, reason=reason, user=user)


def _check_pillar_commitment(*, pillar: Pillar, position: int, excluding=None) -> None:
    taken = PillarCommitment.objects.filter(pillar=pillar, position=position)
    if taken.exclude(pk=excluding).exists():
        raise Refused(
            "pillar_commitment.position_taken",
            _("Le pilier a déjà un engagement à cette place."),
            field="position",
        )


@transaction.atomic
def pillar_commitment_create(*, pillar: Pillar, position: int, user=None, **values):
    _check_pillar_commitment(pillar=pillar, position=position)
    commitment = PillarCommitment(pillar=pillar, position=position, **values)
    _saved(commitment, reason=None, user=user)
    return commitment


@transaction.atomic
def pillar_commitment_update(
    *, commitment: PillarCommitment, position: int, reason: str, user=None, **values
) -> PillarCommitment:
    _check_pillar_commitment(pillar=commitment.pillar, position=position, excluding=commitment.pk)
    commitment.position = position
    for name, value in values.items():
        setattr(commitment, name, value)
    _saved(commitment, reason=reason, user=user)
    return commitment


def pillar_commitment_delete(*, commitment: PillarCommitment, reason: str, user=None) -> None:
    history.delete(commitment, reason=_check_reason(reason), user=user)
