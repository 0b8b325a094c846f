"""The catalogue in DCAT-AP (JSON-LD): the catalogue, its datasets and their distributions,
with the properties DCAT-AP makes mandatory or recommends."""

from django.utils.translation import gettext as _

from filiere.opendata.catalogue import LICENCE, Catalogue, Listed

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:startDate": {"@type": "xsd:date"},
    "dcat:endDate": {"@type": "xsd:date"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
    "vcard:hasURL": {"@type": "@id"},
    "dct:license": {"@type": "@id"},
    "dct:conformsTo": {"@type": "@id"},
    "dct:format": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"},
    "dcat:theme": {"@type": "@id"},
    "dcat:themeTaxonomy": {"@type": "@id"},
    "dct:language": {"@type": "@id"},
}
EU = "http://publications.europa.eu/resource/authority"
THEMES = f"{EU}/data-theme"
FRENCH = f"{EU}/language/FRA"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types"


def _french(text) -> dict:
    return {"@value": str(text), "@language": "fr"}


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def _agent(catalogue: Catalogue, home: str) -> dict:
    return {
        "@id": f"{home}#editeur",
        "@type": "foaf:Agent",
        "foaf:name": catalogue.publisher,
        "dct:type": {"@id": "http://purl.org/adms/publishertype/RegionalAuthority"},
    }


def _spatial(catalogue: Catalogue) -> dict:
    return {
        "@type": "dct:Location",
        "skos:prefLabel": _french(catalogue.region_name),
        "dct:identifier": f"REG-{catalogue.region_code}",
    }


def _dataset(listed: Listed, catalogue: Catalogue, home: str) -> dict:
    dataset = listed.dataset
    node = {
        "@id": f"{home}#{dataset.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": _french(dataset.title),
        "dct:description": _french(dataset.description),
        "dct:publisher": {"@id": f"{home}#editeur"},
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": catalogue.publisher,
            "vcard:hasURL": home,
        },
        "dcat:keyword": [_french(word) for word in dataset.keywords],
        "dcat:theme": [f"{THEMES}/{theme}" for theme in dataset.themes],
        "dcat:landingPage": listed.page_url,
        "dct:language": FRENCH,
        "dct:license": LICENCE,
        "dct:spatial": _spatial(catalogue),
        "dcat:distribution": [
            {
                "@id": link.url,
                "@type": "dcat:Distribution",
                "dct:title": _french(link.title),
                "dcat:accessURL": link.url,
                **({"dcat:downloadURL": link.url} if link.is_download else {}),
                "dcat:mediaType": f"{MEDIA_TYPES}/{link.media_type}",
                "dct:format": f"{EU}/file-type/{link.format}",
                "dct:license": LICENCE,
                **({"dct:conformsTo": link.conforms_to} if link.conforms_to else {}),
            }
            for link in listed.links
        ],
    }
    if listed.modified:
        node["dct:modified"] = _moment(listed.modified)
    if listed.start:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": listed.start.isoformat(),
            "dcat:endDate": listed.end.isoformat(),
        }
    return node


def catalogue_jsonld(catalogue: Catalogue, *, url: str, home: str) -> dict:
    """``url``: the catalogue's own address; ``home``: the open-data page's."""
    document = {
        "@context": CONTEXT,
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": _french(_("Données ouvertes du contrat de filière")),
        "dct:description": _french(
            _(
                "Les jeux de données publics de la plateforme Filière : annuaire, observatoire, "
                "indicateurs et budget du contrat, subventions, aides, tiers-lieux, formations, "
                "résidences, datalab et événements."
            )
        ),
        "dct:publisher": _agent(catalogue, home),
        "foaf:homepage": home,
        "dct:language": FRENCH,
        "dct:license": LICENCE,
        "dct:spatial": _spatial(catalogue),
        "dcat:themeTaxonomy": THEMES,
        "dcat:dataset": [_dataset(listed, catalogue, home) for listed in catalogue.datasets],
    }
    if catalogue.modified:
        document["dct:modified"] = _moment(catalogue.modified)
    return document
