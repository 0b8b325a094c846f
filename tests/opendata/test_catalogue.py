import html
import json
from datetime import datetime

from django.urls import reverse
from pyld import jsonld

from filiere.opendata.catalogue import DATASETS, LICENCE
from filiere.opendata.exports import EXPORTS
from filiere.registers.models import ThirdPlace
from tests.factories import RegionFactory

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"


def catalogue(client) -> tuple[dict, list[dict]]:
    """The catalogue as served, and its JSON-LD expanded (every term a full IRI)."""
    response = client.get(reverse("catalogue_jsonld"))
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    return document, jsonld.expand(document)


def nodes_of(expanded: list[dict], kind: str) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if kind in node.get("@type", []):
                found.append(node)
            for value in node.values():
                walk(value)

    walk(expanded)
    return found


def ids(node: dict, term: str) -> list[str]:
    return [value["@id"] for value in node.get(term, [])]


def values(node: dict, term: str) -> list[str]:
    return [value["@value"] for value in node.get(term, [])]


def test_the_catalogue_is_dcat_ap_json_ld_listing_every_dataset_and_the_exports(open_world, client):
    _document, expanded = catalogue(client)
    (catalog,) = nodes_of(expanded, f"{DCAT}Catalog")
    assert values(catalog, f"{DCT}title") == ["Données ouvertes du contrat de filière"]
    assert values(catalog, f"{DCT}description")
    (publisher,) = catalog[f"{DCT}publisher"]
    assert values(publisher, f"{FOAF}name") == ["Région Normandie"]
    assert ids(catalog, f"{DCT}license") == [LICENCE]

    datasets = nodes_of(expanded, f"{DCAT}Dataset")
    assert sorted(values(d, f"{DCT}identifier")[0] for d in datasets) == sorted(
        d.slug for d in DATASETS
    )
    for dataset in datasets:
        # DCAT-AP's mandatory properties and those it recommends that we know.
        assert values(dataset, f"{DCT}title")
        assert values(dataset, f"{DCT}description")
        assert dataset[f"{DCT}publisher"]
        assert dataset[f"{DCAT}contactPoint"]
        assert values(dataset, f"{DCAT}keyword")
        assert ids(dataset, f"{DCAT}theme")
        assert dataset[f"{DCAT}distribution"]
        assert ids(dataset, f"{DCT}license") == [LICENCE]
        for distribution in dataset[f"{DCAT}distribution"]:
            assert ids(distribution, f"{DCAT}accessURL")[0].startswith("http://testserver/")
            assert ids(distribution, f"{DCT}license") == [LICENCE]
            assert ids(distribution, f"{DCAT}mediaType")

    distributions = nodes_of(expanded, f"{DCAT}Distribution")
    conforming = {
        ids(d, f"{DCAT}downloadURL")[0]: ids(d, f"{DCT}conformsTo")
        for d in distributions
        if f"{DCT}conformsTo" in d
    }
    assert conforming == {
        f"http://testserver{reverse('opendata:export', args=[name])}": [export.conforms_to]
        for name, export in EXPORTS.items()
    }
    (subventions,) = [d for d in datasets if values(d, f"{DCT}identifier") == ["subventions"]]
    (period,) = subventions[f"{DCT}temporal"]
    assert values(period, f"{DCAT}startDate") == ["2017-01-01"]
    assert values(period, f"{DCAT}endDate") == ["2019-12-31"]


def test_the_catalogue_says_when_the_data_last_changed(open_world, client):
    def modified(document, slug):
        (dataset,) = [d for d in document["dcat:dataset"] if d["dct:identifier"] == slug]
        return datetime.fromisoformat(dataset["dct:modified"])

    before, _ = catalogue(client)
    place = ThirdPlace.objects.first()
    place.name = "Tiers-lieu renommé"
    place.save()
    after, _ = catalogue(client)
    assert modified(after, "tiers-lieux") > modified(before, "tiers-lieux")
    assert modified(after, "tiers-lieux") == place.history.latest().history_date
    assert datetime.fromisoformat(after["dct:modified"]) >= modified(after, "tiers-lieux")
    # The indicators count the labelled places: their data changed too.
    assert modified(after, "indicateurs") > modified(before, "indicateurs")
    assert modified(after, "parcours-formation") == modified(before, "parcours-formation")


def test_the_catalogue_reads_in_a_fixed_number_of_queries(
    open_world, client, django_assert_num_queries
):
    other = open_world
    other.pk, other.slug, other.title = None, "autre-contrat", "Autre contrat"
    other.save()
    # The published contracts, then one aggregate for each dataset's last change, however many
    # contracts and rows.
    with django_assert_num_queries(13):
        document = client.get(reverse("catalogue_jsonld")).json()
    (budget,) = [d for d in document["dcat:dataset"] if d["dct:identifier"] == "budget"]
    assert len(budget["dcat:distribution"]) == 4


def test_the_open_data_page_lists_the_same_datasets_and_the_footer_links_it(open_world, client):
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("opendata:home")}"' in home
    page = html.unescape(client.get(reverse("opendata:home")).content.decode())
    document, _ = catalogue(client)
    for dataset in document["dcat:dataset"]:
        assert dataset["dct:title"]["@value"] in page
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dcat:accessURL"].removeprefix("http://testserver") in page
    assert reverse("catalogue_jsonld") in page
    assert "Licence Ouverte 2.0" in page


def test_without_a_published_contract_the_site_region_publishes_the_other_datasets(db, client):
    RegionFactory(code="28", name="Normandie")
    document, expanded = catalogue(client)
    assert document["dct:publisher"]["foaf:name"] == "Normandie"
    assert document["dct:spatial"]["dct:identifier"] == "REG-28"
    listed = {dataset["dct:identifier"] for dataset in document["dcat:dataset"]}
    assert listed == {d.slug for d in DATASETS if not d.of_contracts}
    # Nothing has changed yet: no date is given rather than a made-up one.
    assert "dct:modified" not in document
    assert nodes_of(expanded, f"{DCAT}Catalog")
