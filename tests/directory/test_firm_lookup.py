"""Firm suggestions: the API Recherche d'entreprises' answers (replayed by a local server in
the API's documented format) parsed and cached, the imported register answering whenever the
API cannot, and the endpoint the forms call."""

import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.directory import firm_lookup
from filiere.directory.firm_lookup import suggest_firms
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory
from tests.processes import free_port
from tests.sirene_api import RECORDED_SIRET, replay_server

URL = "/annuaire/suggestions/"


@pytest.fixture
def sirene_api(settings):
    with replay_server() as replay:
        settings.SIRENE_API_URL = replay.url
        settings.SIRENE_API_TIMEOUT = 0.5
        yield replay


@pytest.fixture
def caen(db):
    return CommuneFactory(code="14118", name="Caen")


@pytest.fixture
def register_firm(caen):
    """A firm of the imported register whose name also starts with « Cidre »."""
    unit = LegalUnitFactory(siren="423891456", name="Cidre et Code", naf="62.01Z")
    EstablishmentFactory(
        legal_unit=unit,
        siret="42389145600000",
        is_head_office=True,
        street="4 RUE ECUYERE",
        postcode="14000",
        city="CAEN",
        commune_code="14118",
        commune=caen,
        naf="62.02A",
    )
    return unit


def test_a_search_by_name_is_parsed_from_the_api_answer(sirene_api, caen):
    first, second = suggest_firms("  cidrerie ")

    assert first.as_json() == {
        "name": "CIDRERIE DU BOCAGE",
        "siren": "812345676",
        "siret": "81234567600009",
        "address": "12 RUE DES POMMIERS",
        "postcode": "14000",
        "commune": "14118",
        "city": "CAEN",
        "place": "Caen (14118)",
        "naf": "11.03Z",
        "headcount_band": "11",
        "source": "api",
        "source_label": "Répertoire Sirene",
    }
    # Vire Normandie is not in this territory: its commune is given, not named as the forms do.
    assert (second.name, second.commune, second.place) == ("VERGERS DU BOCAGE NORMAND", "14762", "")
    assert sirene_api.queries == [
        {"q": "cidrerie", "page": "1", "per_page": "8", "etat_administratif": "A"}
    ]


def test_a_search_by_siret_gives_that_establishment_not_the_head_office(sirene_api, db):
    (found,) = suggest_firms("812 345 676 00108")

    assert (found.siren, found.siret) == ("812345676", RECORDED_SIRET)
    assert (found.address, found.postcode, found.commune, found.city) == (
        "3 CHEMIN DU PRESSOIR",
        "14400",
        "14047",
        "BAYEUX",
    )
    # The establishment's activity; the firm's headcount band.
    assert (found.naf, found.headcount_band) == ("47.25Z", "11")
    # A SIRET search takes no filter (the API would ignore them).
    assert sirene_api.queries == [{"q": RECORDED_SIRET, "page": "1", "per_page": "8"}]


def test_answers_are_cached_names_for_hours_identifiers_longer(sirene_api, db):
    with mock.patch.object(firm_lookup.cache, "set", wraps=cache.set) as cache_set:
        assert suggest_firms("Cidrerie") == suggest_firms("cidrerie")
        suggest_firms(RECORDED_SIRET)
        suggest_firms(RECORDED_SIRET)

    assert [q["q"] for q in sirene_api.queries] == ["Cidrerie", RECORDED_SIRET]
    assert [c.args[2] for c in cache_set.call_args_list] == [
        firm_lookup.NAME_CACHE_SECONDS,
        firm_lookup.NUMBER_CACHE_SECONDS,
    ]
    assert firm_lookup.NAME_CACHE_SECONDS >= 3600
    assert firm_lookup.NUMBER_CACHE_SECONDS > firm_lookup.NAME_CACHE_SECONDS


@pytest.mark.parametrize("failure", ["500", "429", "malformed", "wrong_shape", "slow"])
def test_the_register_answers_when_the_api_fails(sirene_api, register_firm, failure, caplog):
    sirene_api.failure = failure

    with caplog.at_level(logging.WARNING, logger="filiere.directory.firm_lookup"):
        (found,) = suggest_firms("cidre")

    assert (found.name, found.siret, found.source) == (
        "Cidre et Code",
        "42389145600000",
        "register",
    )
    assert (found.address, found.postcode, found.place, found.naf) == (
        "4 RUE ECUYERE",
        "14000",
        "Caen (14118)",
        "62.02A",
    )
    assert "the register answers" in caplog.text
    # The API is left alone a while: the next keystrokes do not wait for it again.
    suggest_firms("cidre et")
    assert len(sirene_api.queries) == 1
    # Nothing from a failure is cached as an answer.
    sirene_api.failure = None
    cache.delete(firm_lookup.PAUSE_KEY)
    assert suggest_firms("cidre")[0].source == "api"


def test_a_429_pauses_the_api_for_its_retry_after(sirene_api, register_firm):
    sirene_api.failure = "429"

    with mock.patch.object(firm_lookup.cache, "set", wraps=cache.set) as cache_set:
        suggest_firms("cidre")

    cache_set.assert_called_once_with(firm_lookup.PAUSE_KEY, True, 7)


def test_the_register_answers_when_the_api_cannot_be_reached(settings, register_firm):
    settings.SIRENE_API_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    assert [s.source for s in suggest_firms("cidre")] == ["register"]


def test_the_register_answers_when_the_api_is_switched_off(settings, register_firm):
    settings.SIRENE_API_URL = ""

    assert [s.name for s in suggest_firms("cidre")] == ["Cidre et Code"]


def test_the_register_answers_what_the_api_does_not_know(sirene_api, register_firm):
    # A firm of the register the API finds nothing for (the demo's firms are fictitious).
    assert [s.name for s in suggest_firms("et code")] == ["Cidre et Code"]
    assert len(sirene_api.queries) == 1


def test_the_register_finds_by_siren_siret_and_the_start_of_a_name_word(settings, register_firm):
    settings.SIRENE_API_URL = ""
    LegalUnitFactory(name="Numérique Cidricole")  # « cidre » in the middle of a word: not found
    LegalUnitFactory(name="Cidre Fermé", status="C")  # ceased
    acronym = LegalUnitFactory(name="Société des Cidres Normands", acronym="SCN")

    assert [s.name for s in suggest_firms("cidre")] == ["Cidre et Code", acronym.name]
    assert [s.name for s in suggest_firms("et code")] == ["Cidre et Code"]
    assert [s.name for s in suggest_firms("scn")] == [acronym.name]
    assert [s.siret for s in suggest_firms("423 891 456")] == ["42389145600000"]
    assert [s.name for s in suggest_firms("423.891.456.00000")] == ["Cidre et Code"]
    # A firm with no establishment in the register is suggested without an address.
    (bare,) = suggest_firms(acronym.siren)
    assert (bare.siren, bare.siret, bare.address) == (acronym.siren, "", "")


def test_register_suggestions_cost_three_queries_whatever_their_number(settings, caen):
    settings.SIRENE_API_URL = ""
    for n in range(6):
        unit = LegalUnitFactory(name=f"Cidre {n}")
        EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=caen)

    with CaptureQueriesContext(connection) as queries:
        found = suggest_firms("cidre")

    assert len(found) == 6
    assert all(s.place == "Caen (14118)" for s in found)
    assert len(queries) == 3  # the firms, their establishments, their communes


def test_the_endpoint_answers_suggestions_as_json(client, sirene_api, caen):
    response = client.get(URL, {"q": "cidrerie"})

    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert [s["name"] for s in suggestions] == ["CIDRERIE DU BOCAGE", "VERGERS DU BOCAGE NORMAND"]
    assert suggestions[0]["place"] == "Caen (14118)"
    assert suggestions[0]["source_label"] == "Répertoire Sirene"


def test_the_endpoint_offers_the_register_alone_to_forms_that_store_a_register_firm(
    client, sirene_api, register_firm
):
    response = client.get(URL, {"q": "cidre", "registre": "1"})

    assert [s["source"] for s in response.json()["suggestions"]] == ["register"]
    assert sirene_api.queries == []


@pytest.mark.parametrize(
    ("params", "field"), [({}, "q"), ({"q": "ab"}, "q"), ({"q": "x" * 121}, "q")]
)
def test_the_endpoint_refuses_bad_input_with_a_located_error(client, db, params, field):
    response = client.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_endpoint_is_rate_limited_per_client_address(client, settings, register_firm):
    settings.SIRENE_API_URL = ""
    settings.FILIERE_LIMIT_FIRM_LOOKUP = "2/m"

    assert [client.get(URL, {"q": "cidre"}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_endpoint_reads_only(client, db):
    assert client.post(URL, {"q": "cidre"}).status_code == 405
