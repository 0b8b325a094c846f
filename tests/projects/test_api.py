def test_the_catalogue_is_searched_and_filtered_over_http(client, iw):
    response = client.get("/api/projects/aid-schemes", {"q": "santé numérique"})
    assert response.status_code == 200
    schemes = response.json()
    assert schemes[0]["title"] == "Appel à projets Santé numérique"
    assert schemes[0]["themes"] == ["health"]
    titles = [
        s["title"] for s in client.get("/api/projects/aid-schemes", {"market": "tourism"}).json()
    ]
    assert titles == ["Tourisme connecté"]
    sized = client.get("/api/projects/aid-schemes", {"size": "GE"}).json()
    assert [s["title"] for s in sized] == ["Tourisme connecté"]


def test_bad_filters_are_refused_with_their_field(client, iw):
    response = client.get("/api/projects/aid-schemes", {"size": "ENORME", "market": "espace"})
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"size", "market"}
