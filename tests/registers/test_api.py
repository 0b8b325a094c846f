from datetime import date

from tests.factories import ThirdPlaceFactory


def test_third_places_are_listed_and_filtered_over_http(client, db):
    ThirdPlaceFactory(name="Le Dôme", status="labelled", decided_on=date(2019, 3, 1))
    ThirdPlaceFactory(name="Fablab du port", departement_code="76")
    places = client.get("/api/registers/third-places", {"status": "labelled"}).json()
    assert [(p["name"], p["decided_on"]) for p in places] == [("Le Dôme", "2019-03-01")]
    places = client.get("/api/registers/third-places", {"departement": "76"}).json()
    assert [p["name"] for p in places] == ["Fablab du port"]
    response = client.get("/api/registers/third-places", {"status": "labellisé"})
    assert response.status_code == 422
