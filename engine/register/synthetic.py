"""Generated SIRENE stock files in the exact current layouts, for demos, tests and benchmarks.

Everything here is invented (names say so), but the files follow INSEE's
53- and 33-column layouts, so they go through the same import as the real ones.
Deterministic for a given seed.
"""

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from engine.identifiers import luhn_complete
from engine.register.columns import ESTABLISHMENT_COLUMNS, LEGAL_UNIT_COLUMNS

# Bands and their share among establishments (most have no or few employees).
BAND_WEIGHTS = {
    "NN": 46,
    "00": 14,
    "01": 14,
    "02": 9,
    "03": 6,
    "11": 5,
    "12": 3.5,
    "21": 1.3,
    "22": 0.7,
    "31": 0.2,
    "32": 0.2,
    "41": 0.07,
    "42": 0.02,
    "51": 0.01,
}
STREET_TYPES = ["RUE", "AV", "BD", "PL", "CHE", "ZA", "RTE"]
STREET_NAMES = [
    "DE LA REPUBLIQUE",
    "DU GENERAL LECLERC",
    "DES ENTREPRENEURS",
    "DU PORT",
    "JEAN JAURES",
    "DE L INNOVATION",
    "DES TILLEULS",
    "PASTEUR",
    "DE LA GARE",
]
WORDS = [
    "Atelier",
    "Digital",
    "Solutions",
    "Réseaux",
    "Données",
    "Logiciels",
    "Conseil",
    "Services",
    "Web",
    "Systèmes",
    "Studio",
    "Labo",
    "Informatique",
    "Cloud",
    "Data",
]


@dataclass(frozen=True)
class Place:
    commune_code: str
    postcode: str
    name: str
    weight: float
    lambert: tuple[float, float] | None = None


@dataclass
class GeneratedStock:
    establishments: Path
    legal_units: Path
    rows: int


def _identifier(rng: random.Random, used: set[str]) -> str:
    while True:
        siren = luhn_complete(f"{rng.randrange(10_000_000, 99_999_999)}")
        if siren not in used:
            used.add(siren)
            return siren


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def generate_stock(
    directory: Path,
    *,
    rows: int,
    places: Sequence[Place],
    naf_weights: dict[str, float],
    seed: int = 28,
    today: date = date(2026, 1, 1),
    name_prefix: str = "DEMO",
) -> GeneratedStock:
    """Write the establishment and legal-unit stock files into ``directory``."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    establishments = directory / "StockEtablissement_utf8.csv"
    units = directory / "StockUniteLegale_utf8.csv"
    place_weights = [p.weight for p in places]
    nafs, naf_w = list(naf_weights), list(naf_weights.values())
    bands, band_w = list(BAND_WEIGHTS), list(BAND_WEIGHTS.values())
    used: set[str] = set()
    index = {name: i for i, name in enumerate(ESTABLISHMENT_COLUMNS)}
    unit_index = {name: i for i, name in enumerate(LEGAL_UNIT_COLUMNS)}
    with (
        establishments.open("w", newline="", encoding="utf-8") as out,
        units.open("w", newline="", encoding="utf-8") as unit_out,
    ):
        writer, unit_writer = csv.writer(out), csv.writer(unit_out)
        writer.writerow(ESTABLISHMENT_COLUMNS)
        unit_writer.writerow(LEGAL_UNIT_COLUMNS)
        written = 0
        while written < rows:
            siren = _identifier(rng, used)
            naf = rng.choices(nafs, naf_w)[0]
            created = _day(rng, date(1975, 1, 1), today - timedelta(days=1))
            name = f"{name_prefix} {rng.choice(WORDS)} {rng.choice(WORDS)} {siren[:4]}"
            unit_closed = rng.random() < 0.35
            unit = [""] * len(LEGAL_UNIT_COLUMNS)
            unit[unit_index["siren"]] = siren
            unit[unit_index["statutDiffusionUniteLegale"]] = "O"
            unit[unit_index["dateCreationUniteLegale"]] = created.isoformat()
            unit[unit_index["trancheEffectifsUniteLegale"]] = rng.choices(bands, band_w)[0]
            unit[unit_index["categorieEntreprise"]] = "PME"
            unit[unit_index["dateDebut"]] = created.isoformat()
            unit[unit_index["etatAdministratifUniteLegale"]] = "C" if unit_closed else "A"
            unit[unit_index["denominationUniteLegale"]] = name
            unit[unit_index["categorieJuridiqueUniteLegale"]] = rng.choice(["5710", "5499", "1000"])
            unit[unit_index["activitePrincipaleUniteLegale"]] = naf
            unit[unit_index["nomenclatureActivitePrincipaleUniteLegale"]] = "NAFRev2"
            unit[unit_index["nicSiegeUniteLegale"]] = "00010"
            unit[unit_index["caractereEmployeurUniteLegale"]] = "N"
            unit_writer.writerow(unit)
            for position in range(1 if rng.random() < 0.9 else rng.randint(2, 4)):
                if written >= rows:
                    break
                nic = f"{position + 1:04d}"
                siret = luhn_complete(siren + nic)
                place = rng.choices(places, place_weights)[0]
                opened = created if position == 0 else _day(rng, created, today)
                closed = unit_closed or rng.random() < 0.2
                row = [""] * len(ESTABLISHMENT_COLUMNS)
                band = rng.choices(bands, band_w)[0]
                row[index["siren"]] = siren
                row[index["nic"]] = siret[9:]
                row[index["siret"]] = siret
                row[index["statutDiffusionEtablissement"]] = "O"
                row[index["dateCreationEtablissement"]] = opened.isoformat()
                row[index["trancheEffectifsEtablissement"]] = "" if band == "NN" else band
                row[index["anneeEffectifsEtablissement"]] = "" if band == "NN" else "2023"
                row[index["dateDernierTraitementEtablissement"]] = f"{today.isoformat()}T08:00:00"
                row[index["etablissementSiege"]] = "true" if position == 0 else "false"
                row[index["nombrePeriodesEtablissement"]] = "2" if closed else "1"
                row[index["numeroVoieEtablissement"]] = str(rng.randint(1, 120))
                row[index["typeVoieEtablissement"]] = rng.choice(STREET_TYPES)
                row[index["libelleVoieEtablissement"]] = rng.choice(STREET_NAMES)
                row[index["codePostalEtablissement"]] = place.postcode
                row[index["libelleCommuneEtablissement"]] = place.name.upper()
                row[index["codeCommuneEtablissement"]] = place.commune_code
                if place.lambert:
                    row[index["coordonneeLambertAbscisseEtablissement"]] = (
                        f"{place.lambert[0] + rng.uniform(-1500, 1500):.1f}"
                    )
                    row[index["coordonneeLambertOrdonneeEtablissement"]] = (
                        f"{place.lambert[1] + rng.uniform(-1500, 1500):.1f}"
                    )
                closed_on = _day(rng, opened, today) if closed else None
                row[index["dateDebut"]] = (closed_on or opened).isoformat()
                row[index["etatAdministratifEtablissement"]] = "F" if closed else "A"
                row[index["activitePrincipaleEtablissement"]] = naf
                row[index["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
                row[index["caractereEmployeurEtablissement"]] = "N" if band in {"NN", "00"} else "O"
                writer.writerow(row)
                written += 1
    return GeneratedStock(establishments=establishments, legal_units=units, rows=rows)


def generate_bulk_establishments(
    path: Path,
    *,
    rows: int,
    territory_share: float = 0.05,
    territory: Sequence[str] = ("14", "27", "50", "61", "76"),
    seed: float = 0.28,
) -> Path:
    """A large establishment stock file (millions of rows) written by DuckDB in seconds.

    Same 53-column layout; ``territory_share`` of the rows fall in the given
    départements, the rest elsewhere in France. Values are random but well formed.
    """
    import duckdb

    deps = ", ".join(f"'{d}'" for d in territory)
    value = dict.fromkeys(ESTABLISHMENT_COLUMNS, "''")
    bands = "['', '00', '01', '02', '03', '11', '12', '21']"
    activities = "['62.01Z', '62.02A', '47.11F', '56.10A', '68.20A', '70.22Z', '43.21A', '86.21Z']"
    value |= {
        "siren": "lpad(CAST(100000000 + i AS VARCHAR), 9, '0')",
        "nic": "'00011'",
        "siret": "lpad(CAST(100000000 + i AS VARCHAR), 9, '0') || '00011'",
        "statutDiffusionEtablissement": "'O'",
        "dateCreationEtablissement": (
            "strftime(DATE '1975-01-01' + CAST(floor(random() * 18000) AS INTEGER), '%Y-%m-%d')"
        ),
        "trancheEffectifsEtablissement": (
            f"list_element({bands}, 1 + CAST(floor(random() * 8) AS INTEGER))"
        ),
        "dateDernierTraitementEtablissement": "'2025-01-01T08:00:00'",
        "etablissementSiege": "'true'",
        "nombrePeriodesEtablissement": "'1'",
        "numeroVoieEtablissement": "CAST(1 + CAST(floor(random() * 99) AS INTEGER) AS VARCHAR)",
        "typeVoieEtablissement": "'RUE'",
        "libelleVoieEtablissement": "'DE LA REPUBLIQUE'",
        "codeCommuneEtablissement": (
            f"CASE WHEN random() < {territory_share} "
            f"THEN list_element([{deps}], 1 + CAST(floor(random() * {len(territory)}) AS INTEGER)) "
            "ELSE list_element(others, 1 + CAST(floor(random() * len(others)) AS INTEGER)) END "
            "|| lpad(CAST(1 + CAST(floor(random() * 600) AS INTEGER) AS VARCHAR), 3, '0')"
        ),
        "dateDebut": (
            "strftime(DATE '2000-01-01' + CAST(floor(random() * 9000) AS INTEGER), '%Y-%m-%d')"
        ),
        "etatAdministratifEtablissement": "CASE WHEN random() < 0.6 THEN 'A' ELSE 'F' END",
        "denominationUsuelleEtablissement": "'BENCH ' || CAST(i AS VARCHAR)",
        "activitePrincipaleEtablissement": (
            f"list_element({activities}, 1 + CAST(floor(random() * 8) AS INTEGER))"
        ),
        "nomenclatureActivitePrincipaleEtablissement": "'NAFRev2'",
        "caractereEmployeurEtablissement": "'N'",
    }
    others = ", ".join(
        f"'{d:02d}'" for d in range(1, 96) if f"{d:02d}" not in set(territory) and d != 20
    )
    select = ", ".join(f"{value[name]} AS {name}" for name in ESTABLISHMENT_COLUMNS)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SELECT setseed({seed})")
    con.execute(
        f"COPY (SELECT {select} FROM range({rows}) t(i), (SELECT [{others}] AS others)) "
        f"TO '{path}' (HEADER, DELIMITER ',')"
    )
    con.close()
    return path
