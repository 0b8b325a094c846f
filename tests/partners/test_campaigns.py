"""The contract's indicators break down by the campaign the needs came through."""

import json
from datetime import date, timedelta

from filiere.needs import services
from filiere.needs.models import Need
from filiere.partners.enums import Scope
from tests.factories import ContractFactory, IndicatorFactory
from tests.partners.conftest import bearer
from tests.partners.test_api import NEED


def _accepted(world, need: Need) -> None:
    match = need.matches.get(legal_unit=world.pixel)
    services.match_request(match=match)
    services.match_answer(match=match, user=world.pixel_member, accept=True)


def test_the_matches_indicator_breaks_down_by_campaign(client, world, make_key):
    created = make_key(Scope.NEEDS_WRITE)
    for campaign, email in (("salon-2018", "a@cidre.test"), ("", "b@cidre.test")):
        body = {**NEED, "campaign": campaign, "contact_email": email}
        response = client.post(
            "/api/needs/", json.dumps(body), content_type="application/json", **bearer(created)
        )
        assert response.status_code == 201
    for need in Need.objects.all():
        _accepted(world, need)
    contract = ContractFactory(
        slug="numerique",
        region=world.caen.departement.region,
        end_date=date.today() + timedelta(days=365),
    )
    IndicatorFactory(contract=contract, code="mises", computed_source="needs.matches_accepted")

    client.force_login(world.officer)
    page = client.get("/contrats/numerique/indicateurs/mises/").content.decode()
    table = page[page.index('id="indicator-breakdown"') :]
    table = table[: table.index("</table>")]
    assert "salon-2018" in table
    assert "sans campagne" in table
    assert table.count('<td class="num">1</td>') == 2
    # A day before any match: nothing yet.
    before = client.get(
        "/contrats/numerique/indicateurs/mises/", {"au": "2017-06-01"}
    ).content.decode()
    assert "Aucune valeur à cette date." in before
