"""Read and validate the reference files of ``data/`` (territory and NAF).

Every reader returns plain rows and appends located errors instead of raising,
so that one run reports every problem of every file before anything is written.
"""

import csv
import gzip
import io
import json
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from filiere.common.command import LocatedError
from filiere.territory.enums import CommuneKind

FILES = {
    "regions": "geo/regions.json",
    "departements": "geo/departements.json",
    "communes": "geo/communes.json.gz",
    "epci": "geo/epci.json.gz",
    "centroids": "geo/communes_2018_centroids.csv.gz",
    "code_history": "geo/commune_code_history_to_2026.parquet",
    "region_boundaries": "geo/regions.geojson.gz",
    "departement_boundaries": "geo/departements.geojson.gz",
    "naf": "nomenclatures/naf_rev2.json",
}
# The commune outlines of one département (2026 codes), read by the observatory's maps.
COMMUNE_OUTLINES = "geo/communes/{departement}.geojson.gz"
NAF_LEVELS = ("section", "division", "groupe", "classe")
# The type of the municipal districts of Paris, Lyon and Marseille in ``communes``.
DISTRICT = "arrondissement-municipal"


@dataclass
class ReferenceData:
    regions: list[dict] = field(default_factory=list)
    departements: list[dict] = field(default_factory=list)
    epcis: list[dict] = field(default_factory=list)
    communes: list[dict] = field(default_factory=list)
    code_changes: list[dict] = field(default_factory=list)
    region_boundaries: dict[str, dict] = field(default_factory=dict)
    departement_boundaries: dict[str, dict] = field(default_factory=dict)
    naf: list[dict] = field(default_factory=list)


class _Reader:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.errors: list[LocatedError] = []

    def path(self, key: str) -> Path | None:
        path = self.data_dir / FILES[key]
        if not path.is_file():
            self.errors.append(LocatedError(str(path), "fichier introuvable"))
            return None
        return path

    def read_text(self, key: str) -> str | None:
        """The file's text, uncompressed when its name ends with ``.gz``."""
        path = self.path(key)
        if path is None:
            return None
        try:
            if path.suffix == ".gz":
                return gzip.decompress(path.read_bytes()).decode("utf-8")
            return path.read_text(encoding="utf-8")
        except (OSError, EOFError, zlib.error) as exc:
            self.errors.append(LocatedError(str(path), f"fichier gzip illisible ({exc})"))
        except UnicodeDecodeError as exc:
            self.errors.append(LocatedError(str(path), f"encodage non UTF-8 ({exc.reason})"))
        return None

    def json(self, key: str):
        text = self.read_text(key)
        if text is None:
            return None
        path = self.data_dir / FILES[key]
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            self.errors.append(
                LocatedError(
                    str(path), f"JSON invalide, colonne {exc.colno} : {exc.msg}", exc.lineno
                )
            )
        return None

    def records(self, key: str) -> list[tuple[str, dict]]:
        """The items of a JSON list, each with its location (``[12]``)."""
        content = self.json(key)
        if content is None:
            return []
        if not isinstance(content, list):
            self.errors.append(LocatedError(FILES[key], "une liste JSON est attendue"))
            return []
        located = []
        for index, item in enumerate(content):
            if isinstance(item, dict):
                located.append((f"[{index}]", item))
            else:
                self.errors.append(LocatedError(FILES[key], "objet attendu", field=f"[{index}]"))
        return located

    def text(self, key: str, where: str, item: dict, name: str, *, required=True) -> str:
        value = item.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.errors.append(
                LocatedError(
                    FILES[key], "texte non vide attendu", field=f"{where}.{name}", value=repr(value)
                )
            )
            return ""
        return value.strip()

    def count(self, key: str, where: str, item: dict, name: str) -> int | None:
        value = item.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.errors.append(
                LocatedError(
                    FILES[key], "entier positif attendu", field=f"{where}.{name}", value=repr(value)
                )
            )
            return None
        return value

    def known(self, key: str, where: str, name: str, value: str, known: set[str]) -> None:
        if value and value not in known:
            self.errors.append(
                LocatedError(FILES[key], "code inconnu", field=f"{where}.{name}", value=value)
            )


def read_reference_data(
    data_dir: Path, regions: Collection[str] | None = None
) -> tuple[ReferenceData, list[LocatedError]]:
    """Every reference row of ``data_dir``, checked, and the problems found.

    With ``regions`` (région codes), only the communes of those régions and the EPCI with a
    member among them are kept; the régions, départements, their outlines, the code history
    and the NAF are always whole.
    """
    reader = _Reader(data_dir)
    data = ReferenceData()

    for where, item in reader.records("regions"):
        data.regions.append(
            {
                "code": reader.text("regions", where, item, "code"),
                "name": reader.text("regions", where, item, "nom"),
            }
        )
    region_codes = {r["code"] for r in data.regions}
    if regions is not None and region_codes:
        for code in sorted(set(regions) - region_codes):
            reader.errors.append(LocatedError("--regions", "région inconnue", value=code))

    for where, item in reader.records("departements"):
        row = {
            "code": reader.text("departements", where, item, "code"),
            "name": reader.text("departements", where, item, "nom"),
            "region": reader.text("departements", where, item, "region"),
        }
        reader.known("departements", where, "region", row["region"], region_codes)
        data.departements.append(row)
    departement_codes = {d["code"] for d in data.departements}
    kept_departements = (
        departement_codes
        if regions is None
        else {d["code"] for d in data.departements if d["region"] in regions}
    )

    epci_members: dict[str, list[str]] = {}
    for where, item in reader.records("epci"):
        code = reader.text("epci", where, item, "code")
        data.epcis.append(
            {
                "code": code,
                "name": reader.text("epci", where, item, "nom"),
                "kind": reader.text("epci", where, item, "type"),
                "population": reader.count("epci", where, item, "populationTotale"),
            }
        )
        members = item.get("membres")
        if not isinstance(members, list):
            reader.errors.append(
                LocatedError(FILES["epci"], "liste attendue", field=f"{where}.membres")
            )
            continue
        epci_members[code] = []
        for position, member in enumerate(members):
            member_code = member.get("code") if isinstance(member, dict) else None
            if not isinstance(member_code, str):
                reader.errors.append(
                    LocatedError(
                        FILES["epci"], "code attendu", field=f"{where}.membres[{position}]"
                    )
                )
                continue
            epci_members[code].append(member_code)
    commune_epci = {member: code for code, members in epci_members.items() for member in members}

    centroids = _read_centroids(reader)
    history = _read_code_history(reader)
    data.code_changes = [
        {"old_code": old, "current_code": new, "name": name} for old, new, name in history
    ]

    merged_into: dict[str, list[str]] = {}
    for old, new, _name in history:
        merged_into.setdefault(new, []).append(old)
    kinds = set(CommuneKind.values)
    districts: list[tuple[str, dict]] = []
    for where, item in reader.records("communes"):
        if item.get("type") == DISTRICT:
            districts.append((where, item))
            continue
        # Another région's commune is left unread; one of no known département is reported.
        departement = item.get("departement")
        if departement in departement_codes and departement not in kept_departements:
            continue
        row = {
            "code": reader.text("communes", where, item, "code"),
            "name": reader.text("communes", where, item, "nom"),
            "kind": reader.text("communes", where, item, "type"),
            "departement": reader.text("communes", where, item, "departement"),
            "siren": reader.text("communes", where, item, "siren", required=False),
            "population": reader.count("communes", where, item, "population"),
            "parent": reader.text("communes", where, item, "chefLieu", required=False),
        }
        reader.known("communes", where, "departement", row["departement"], departement_codes)
        reader.known("communes", where, "type", row["kind"], kinds)
        postcodes = item.get("codesPostaux", [])
        if not isinstance(postcodes, list) or not all(
            isinstance(p, str) and len(p) == 5 and p.isdigit() for p in postcodes
        ):
            reader.errors.append(
                LocatedError(
                    FILES["communes"],
                    "liste de codes postaux à 5 chiffres attendue",
                    field=f"{where}.codesPostaux",
                    value=repr(postcodes),
                )
            )
            postcodes = []
        row["postcodes"] = postcodes
        row["epci"] = commune_epci.get(row["code"])
        row["latitude"], row["longitude"] = commune_centroid(row["code"], centroids, merged_into)
        row["where"] = where
        data.communes.append(row)
    current_codes = {c["code"] for c in data.communes if c["kind"] == CommuneKind.CURRENT}
    seen: set[tuple[str, str]] = set()
    for row in data.communes:
        where = row.pop("where")
        if (row["code"], row["kind"]) in seen:
            reader.errors.append(
                LocatedError(
                    FILES["communes"],
                    "commune en double (même code et même type)",
                    field=f"{where}.code",
                    value=row["code"],
                )
            )
        seen.add((row["code"], row["kind"]))
        reader.known("communes", where, "chefLieu", row["parent"], current_codes)
    data.code_changes += _district_code_changes(
        reader, districts, {new for _old, new, _n in history}
    )
    # The EPCI of the communes read (all of them without ``regions``).
    data.epcis = [
        epci
        for epci in data.epcis
        if any(member in current_codes for member in epci_members.get(epci["code"], ()))
    ]

    data.region_boundaries = _read_boundaries(reader, "region_boundaries", region_codes)
    data.departement_boundaries = _read_boundaries(
        reader, "departement_boundaries", departement_codes
    )
    data.naf = _read_naf(reader)
    return data, reader.errors


def _district_code_changes(
    reader: _Reader, districts: list[tuple[str, dict]], current_codes: set[str]
) -> list[dict]:
    """A municipal district of Paris, Lyon or Marseille (75108) as a code that names its
    commune (75056): the register's establishments there carry the district's code."""
    changes = []
    for where, item in districts:
        code = reader.text("communes", where, item, "code")
        commune = reader.text("communes", where, item, "commune")
        reader.known("communes", where, "commune", commune, current_codes)
        changes.append(
            {
                "old_code": code,
                "current_code": commune,
                "name": reader.text("communes", where, item, "nom"),
            }
        )
    return changes


def commune_centroid(
    code: str,
    centroids: dict[str, tuple[float, float]],
    merged_into: dict[str, list[str]],
) -> tuple[float | None, float | None]:
    """A 2026 commune's centroid: its own 2018 one, else the mean of those merged into it."""
    if code in centroids:
        return centroids[code]
    merged = [centroids[old] for old in merged_into.get(code, []) if old in centroids]
    if not merged:
        return None, None
    return (
        sum(lat for lat, _ in merged) / len(merged),
        sum(lon for _, lon in merged) / len(merged),
    )


def _read_centroids(reader: _Reader) -> dict[str, tuple[float, float]]:
    text = reader.read_text("centroids")
    if text is None:
        return {}
    centroids = {}
    with io.StringIO(text, newline="") as handle:
        rows = csv.DictReader(handle)
        missing = {"code_insee", "lat", "lon"} - set(rows.fieldnames or [])
        if missing:
            reader.errors.append(
                LocatedError(FILES["centroids"], f"colonnes manquantes : {sorted(missing)}", 1)
            )
            return {}
        for row in rows:
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                reader.errors.append(
                    LocatedError(
                        FILES["centroids"],
                        "coordonnée non numérique",
                        rows.line_num,
                        "lat/lon",
                        f"{row['lat']},{row['lon']}",
                    )
                )
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                reader.errors.append(
                    LocatedError(
                        FILES["centroids"],
                        "coordonnée hors limites",
                        rows.line_num,
                        "lat/lon",
                        f"{lat},{lon}",
                    )
                )
                continue
            centroids[row["code_insee"]] = (lat, lon)
    return centroids


def _read_code_history(reader: _Reader) -> list[tuple[str, str, str]]:
    """(old code, 2026 code, name) rows; a split commune's old code appears once per part."""
    path = reader.path("code_history")
    if path is None:
        return []
    try:
        relation = duckdb.read_parquet(str(path))
        missing = {"code_insee", "code_insee_2026", "commune"} - set(relation.columns)
        if missing:
            reader.errors.append(
                LocatedError(FILES["code_history"], f"colonnes manquantes : {sorted(missing)}")
            )
            return []
        rows = relation.select("code_insee", "code_insee_2026", "commune").fetchall()
    except duckdb.Error as exc:
        reader.errors.append(LocatedError(FILES["code_history"], f"fichier illisible : {exc}"))
        return []
    history = []
    for number, (old, new, name) in enumerate(rows, start=1):
        if not (isinstance(old, str) and len(old) == 5 and isinstance(new, str) and len(new) == 5):
            reader.errors.append(
                LocatedError(
                    FILES["code_history"],
                    "codes commune à 5 caractères attendus",
                    number,
                    "code_insee/code_insee_2026",
                    f"{old}/{new}",
                )
            )
            continue
        history.append((old, new, name or ""))
    return history


def _read_boundaries(reader: _Reader, key: str, known_codes: set[str]) -> dict[str, dict]:
    content = reader.json(key)
    if content is None:
        return {}
    if not isinstance(content, dict):
        reader.errors.append(LocatedError(FILES[key], "un objet GeoJSON est attendu"))
        return {}
    features = content.get("features") if content.get("type") == "FeatureCollection" else [content]
    boundaries = {}
    for index, feature in enumerate(features or []):
        code = (feature.get("properties") or {}).get("code") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if code not in known_codes or not isinstance(geometry, dict):
            reader.errors.append(
                LocatedError(
                    FILES[key],
                    "entité sans code connu ni géométrie",
                    field=f"features[{index}]",
                    value=repr(code),
                )
            )
            continue
        boundaries[code] = feature
    return boundaries


def read_commune_outlines(data_dir: Path, departement: str) -> list[tuple[str, str, str]]:
    """(2026 code, name, GeoJSON geometry as text) of a département's communes; none for a
    département with no file. The geometry stays text: a map's answer copies it as it is, and
    text takes a tenth of the memory of the parsed coordinates."""
    path = data_dir / COMMUNE_OUTLINES.format(departement=departement)
    if not path.is_file():
        return []
    features = json.loads(gzip.decompress(path.read_bytes()))["features"]
    return [
        (
            feature["properties"]["code"],
            feature["properties"]["nom"],
            json.dumps(feature["geometry"], separators=(",", ":")),
        )
        for feature in features
    ]


def _read_naf(reader: _Reader) -> list[dict]:
    content = reader.json("naf")
    if content is None:
        return []
    if not isinstance(content, dict):
        reader.errors.append(LocatedError(FILES["naf"], "un objet JSON est attendu"))
        return []
    nodes: dict[str, dict] = {}
    for subclass_code, item in content.items():
        chain = []
        for level, name in enumerate(NAF_LEVELS, start=1):
            node = item.get(name) if isinstance(item, dict) else None
            if not isinstance(node, dict) or not node.get("code") or not node.get("description"):
                reader.errors.append(
                    LocatedError(FILES["naf"], "niveau incomplet", field=f"{subclass_code}.{name}")
                )
                break
            chain.append((level, node["code"], node["description"].strip()))
        else:
            label = item.get("description", "")
            if item.get("code") != subclass_code or not label:
                reader.errors.append(
                    LocatedError(FILES["naf"], "code ou libellé incohérent", field=subclass_code)
                )
                continue
            chain.append((5, subclass_code, label.strip()))
            parent = None
            for level, code, description in chain:
                nodes.setdefault(
                    code, {"code": code, "level": level, "label": description, "parent": parent}
                )
                parent = code
    return sorted(nodes.values(), key=lambda n: (n["level"], n["code"]))
