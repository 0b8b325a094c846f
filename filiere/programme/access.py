"""Who may see and change what in a contract: one access function per object type.

- The public sees published contracts, and their published actions and indicators.
- A programme officer of the contract's owner (the Region) sees and edits everything: its
  fields, actors, axes, actions, indicators and strategy (``access_contract_to_edit``); a
  Region's officers steer only its own contracts, and create contracts owned by the
  organisations where they are officers (``owner_choices``).
- A coordinator edits the actions its organisation coordinates, and their indicators.
- Any other signed-in member of a contract's actor sees the unpublished parts too, and the
  pages of its records (a commitment, a payment, an envelope, a measurement) with their
  history.
- Whoever may enter a record corrects it or cancels it: one rule for both.
Views and the API go through these functions and nothing else; the budget and
measurement rules themselves are the services' (``services``).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from filiere.accounts.access import has_role, is_admin, organisation_ids, organisation_ids_in_role
from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.programme.models import (
    Action,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Indicator,
    Measurement,
    Payment,
    Strategy,
)


def is_contract_officer(user, contract: Contract) -> bool:
    """A programme officer of the contract's owner (the Region), or an administrator."""
    return is_admin(user) or has_role(user, contract.owner_id, Role.PROGRAMME_OFFICER)


def is_insider(user, contract: Contract) -> bool:
    """A signed-in member of one of the contract's actors, or an officer."""
    if is_contract_officer(user, contract):
        return True
    organisations = organisation_ids(user)
    if not organisations:
        return False
    known = user.__dict__.setdefault("_filiere_insider", {})
    if contract.pk not in known:
        known[contract.pk] = contract.actors.filter(organisation_id__in=organisations).exists()
    return known[contract.pk]


def can_set_allocation(user, action: Action) -> bool:
    """Envelopes are the Region's: its programme officers set them."""
    return is_contract_officer(user, action.axis.contract)


def can_edit_action(user, action: Action) -> bool:
    """Commitments and payments: the Region's officers, and the action's coordinator."""
    return is_contract_officer(user, action.axis.contract) or has_role(
        user, action.coordinator_id, Role.COORDINATOR
    )


def can_record_measurement(user, indicator: Indicator) -> bool:
    if indicator.computed_source:
        return False
    if indicator.action_id is not None:
        return can_edit_action(user, indicator.action)
    return is_contract_officer(user, indicator.contract)


def visible_contracts(user):
    """Published contracts, plus those the user's organisations take part in (one query)."""
    contracts = Contract.objects.select_related("region", "owner")
    if is_admin(user):
        return contracts
    organisations = organisation_ids(user)
    return contracts.filter(
        Q(is_published=True)
        | Q(owner_id__in=organisations)
        | Q(actors__organisation_id__in=organisations)
    ).distinct()


def access_contract(user, slug: str) -> Contract:
    """The contract if the user may see it; 404 otherwise (its existence stays private)."""
    contract = get_object_or_404(Contract.objects.select_related("owner", "region"), slug=slug)
    if not contract.is_published and not is_insider(user, contract):
        raise Http404
    return contract


def access_action(user, contract: Contract, code: str, *, check=None) -> Action:
    """The action if the user may see it (404 otherwise); with ``check`` (one of the
    ``can_…`` functions above), only if it allows the user (403 otherwise)."""
    action = get_object_or_404(
        Action.objects.select_related("axis__contract", "coordinator"),
        axis__contract=contract,
        code=code,
    )
    if not action.is_published and not is_insider(user, contract):
        raise Http404
    if check is not None and not check(user, action):
        raise PermissionDenied
    return action


def access_indicator(user, contract: Contract, code: str, *, check=None) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("contract", "action__axis__contract", "pillar"),
        contract=contract,
        code=code,
    )
    if not indicator.is_published and not is_insider(user, contract):
        raise Http404
    if check is not None and not check(user, indicator):
        raise PermissionDenied
    return indicator


def visible_actions(user, contract: Contract):
    actions = Action.objects.filter(axis__contract=contract)
    return actions if is_insider(user, contract) else actions.published()


def visible_indicators(user, contract: Contract):
    indicators = Indicator.objects.filter(contract=contract)
    if is_insider(user, contract):
        return indicators
    return indicators.published().exclude(action__is_published=False)


def sees_records(user, action: Action) -> bool:
    """The pages of an action's records name who entered and corrected them: for the
    contract's insiders, and whoever may enter them (a coordinator not listed as an actor)."""
    return is_insider(user, action.axis.contract) or can_edit_action(user, action)


def _records_only(user, action: Action | None, contract: Contract) -> None:
    if not (is_insider(user, contract) or (action is not None and sees_records(user, action))):
        raise Http404


def access_commitment(user, action: Action, pk: int) -> BudgetCommitment:
    """A commitment of the action, for those who see its records (404 otherwise); who may
    correct it is ``can_edit_action``."""
    _records_only(user, action, action.axis.contract)
    return get_object_or_404(
        BudgetCommitment.objects.select_related("beneficiary", "action__axis__contract"),
        action=action,
        pk=pk,
    )


def access_payment(user, action: Action, pk: int) -> Payment:
    """A payment of one of the action's commitments, as :func:`access_commitment`."""
    _records_only(user, action, action.axis.contract)
    return get_object_or_404(
        Payment.objects.select_related("commitment__action__axis__contract"),
        commitment__action=action,
        pk=pk,
    )


def access_allocation(user, action: Action, year: int) -> BudgetAllocation:
    """The action's envelope of a year, as :func:`access_commitment`; who may correct it
    is ``can_set_allocation``."""
    _records_only(user, action, action.axis.contract)
    return get_object_or_404(
        BudgetAllocation.objects.select_related("action__axis__contract"), action=action, year=year
    )


def access_measurement(user, indicator: Indicator, pk: int) -> Measurement:
    """A measurement of the indicator, as :func:`access_commitment`; who may correct it is
    ``can_record_measurement``."""
    _records_only(user, indicator.action, indicator.contract)
    return get_object_or_404(Measurement, indicator=indicator, pk=pk)


# Setting a contract up and editing its parts (``contract_setup``): its owner's programme
# officers only. Every editing view goes through :func:`access_contract_to_edit`.


def owner_choices(user):
    """The organisations whose contracts the user may create: those where they are a
    programme officer (any organisation for an administrator)."""
    organisations = Organisation.objects.order_by("name")
    if is_admin(user):
        return organisations
    return organisations.filter(pk__in=organisation_ids_in_role(user, Role.PROGRAMME_OFFICER))


def can_create_contract(user) -> bool:
    return is_admin(user) or bool(organisation_ids_in_role(user, Role.PROGRAMME_OFFICER))


def check_create_contract(user) -> None:
    if not (user.is_authenticated and can_create_contract(user)):
        raise PermissionDenied


def can_edit_contract(user, contract: Contract) -> bool:
    """A contract's fields, actors, axes, actions, indicators and strategy: its owner's
    programme officers (the Region that steers it)."""
    return is_contract_officer(user, contract)


def access_contract_to_edit(user, slug: str) -> Contract:
    """The contract if the user may edit it: 404 if they may not see it, 403 otherwise."""
    contract = access_contract(user, slug)
    if not can_edit_contract(user, contract):
        raise PermissionDenied
    return contract


def can_edit_strategy(user, strategy: Strategy) -> bool:
    """A Region's strategy: the programme officers of the organisation that owns its
    contracts (a strategy is created from a contract's set-up, and only its owner's contracts
    join it: ``contract_setup``), or an administrator."""
    if is_admin(user):
        return True
    owners = set(strategy.contracts.values_list("owner_id", flat=True))
    return bool(owners) and owners <= organisation_ids_in_role(user, Role.PROGRAMME_OFFICER)


def access_strategy_to_edit(user, contract: Contract) -> Strategy:
    """The strategy of a contract the user edits (:func:`access_contract_to_edit`), if they
    may edit it too: 404 when the contract has none, 403 otherwise."""
    if contract.strategy_id is None:
        raise Http404
    strategy = Strategy.objects.select_related("region").get(pk=contract.strategy_id)
    if not can_edit_strategy(user, strategy):
        raise PermissionDenied
    return strategy
