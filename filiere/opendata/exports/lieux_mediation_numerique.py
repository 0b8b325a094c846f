"""The third places in the national standard of digital-inclusion places (« lieux de médiation
numérique », v1.0.2).

A place lacking a value the standard requires (its SIRET or RNA number, its street address, a
five-digit postcode) is left out and said so, never written with an invented value.
"""

import re

from django.utils import timezone

from filiere.opendata.selectors import commune_code, commune_codes, third_places_with_changes

# The services as our sources word them (the ANCT map of 2022) → the standard's vocabulary.
SERVICES = {
    "prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "approfondir ma culture numérique": "Compréhension du monde numérique",
    "réaliser des démarches en ligne": "Aide aux démarches administratives",
    "accompagner les démarches de santé": "Aide aux démarches administratives",
    "trouver un emploi ou une formation": "Insertion professionnelle via le numérique",
    "créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "sécuriser mon usage du numérique": "Utilisation sécurisée du numérique",
    "accompagner son enfant": "Parentalité et éducation avec le numérique",
    "accéder à une connexion internet": "Accès internet et matériel informatique",
    "accéder à du matériel": "Accès internet et matériel informatique",
}
POSTCODE = re.compile(r"\d{5}")
TYPOLOGY = "TIERS_LIEUX"
PLATFORM = "Filière"


def standard_services(services: str) -> str:
    """Our services text (« a, b, c ») in the standard's words, each once, in its order."""
    named = (SERVICES.get(part.strip().lower()) for part in services.split(","))
    return "|".join(dict.fromkeys(name for name in named if name))


def _missing(place) -> list[str]:
    missing = []
    if not place.pivot:
        missing.append("SIRET ou RNA")
    if not place.address:
        missing.append("adresse")
    if not POSTCODE.fullmatch(place.postcode):
        missing.append("code postal")
    if place.changed_at is None:
        missing.append("date de mise à jour")
    return missing


def rows() -> tuple[list[dict], list[str]]:
    places = list(third_places_with_changes())
    codes = commune_codes({place.departement_code for place in places})
    written, left_out = [], []
    for place in places:
        missing = _missing(place)
        if missing:
            left_out.append(f"tiers-lieu {place.pk} « {place.name} » : {', '.join(missing)}")
            continue
        written.append(
            {
                "id": f"tiers-lieu-{place.pk}",
                "pivot": place.pivot,
                "nom": place.name,
                "commune": place.city,
                "code_postal": place.postcode,
                "code_insee": commune_code(codes, place.postcode, place.city),
                "adresse": place.address,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "typologie": TYPOLOGY,
                "site_web": place.website,
                "source": place.source or PLATFORM,
                "date_maj": timezone.localdate(place.changed_at).isoformat(),
                "services": standard_services(place.services),
            }
        )
    return written, left_out
