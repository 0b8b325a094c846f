"""The access rules of a contract, once, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.programme.access import (
    access_action,
    access_contract,
    access_indicator,
    can_edit_action,
    can_record_measurement,
    visible_indicators,
)
from filiere.programme.models import Action, Indicator
from tests.factories import OrganisationFactory, member

SLUG = "normandie-numerique-2017"


@pytest.fixture
def people(normandy_contract):
    org = Organisation.objects.get
    return {
        "officer": member(normandy_contract.owner, Role.PROGRAMME_OFFICER),
        "nwx": member(org(slug="nwx"), Role.COORDINATOR),
        "tes": member(org(slug="pole-tes"), Role.COORDINATOR),
        "cci_adviser": member(org(slug="cci-normandie"), Role.ADVISER),
        "company": member(OrganisationFactory(), Role.COMPANY_MEMBER),
        "public": AnonymousUser(),
    }


def test_who_edits_which_action(people, normandy_contract):
    actions = {a.code: a for a in Action.objects.filter(axis__contract=normandy_contract)}
    editors = {
        name: sorted(code for code, action in actions.items() if can_edit_action(user, action))
        for name, user in people.items()
    }
    assert editors["officer"] == sorted(actions)
    assert editors["nwx"] == ["2.1", "3.2", "4.1"]
    assert editors["tes"] == ["1.2", "2.2", "2.3", "4.2"]
    # An adviser of the CCI is not its coordinator: it reads 1.1, does not edit it.
    assert editors["cci_adviser"] == []
    assert editors["company"] == []
    assert editors["public"] == []
    with pytest.raises(PermissionDenied):
        access_action(people["nwx"], normandy_contract, "2.2", check=can_edit_action)
    assert (
        access_action(people["nwx"], normandy_contract, "2.1", check=can_edit_action).code == "2.1"
    )


def test_contract_level_indicators_are_the_officers(people, normandy_contract):
    thd = Indicator.objects.get(contract=normandy_contract, code="couverture-thd")
    computed = Indicator.objects.get(contract=normandy_contract, code="budget-engage")
    assert can_record_measurement(people["officer"], thd)
    assert not can_record_measurement(people["nwx"], thd)
    assert not can_record_measurement(people["officer"], computed)
    with pytest.raises(PermissionDenied):
        access_indicator(
            people["tes"], normandy_contract, "couverture-thd", check=can_record_measurement
        )


def test_the_public_sees_only_what_is_published(people, normandy_contract):
    Action.objects.filter(code="4.2").update(is_published=False)
    public = people["public"]
    with pytest.raises(Http404):
        access_action(public, normandy_contract, "4.2")
    with pytest.raises(Http404):  # a company member is not one of the contract's actors
        access_action(people["company"], normandy_contract, "4.2")
    assert access_action(people["nwx"], normandy_contract, "4.2").code == "4.2"
    codes = set(visible_indicators(public, normandy_contract).values_list("code", flat=True))
    assert "innovations-valorisees" not in codes  # indicator of the unpublished action
    normandy_contract.is_published = False
    normandy_contract.save()
    with pytest.raises(Http404):
        access_contract(public, SLUG)
    assert access_contract(people["nwx"], SLUG) == normandy_contract
