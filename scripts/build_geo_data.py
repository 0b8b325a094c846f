"""Build the national territory files of ``data/geo/`` from their published sources.

A developer's tool, run when a source is updated (``data/SOURCES.md`` says how):

    python scripts/build_geo_data.py \\
        --decoupage path/to/@etalab/decoupage-administratif/data \\
        --france-geojson path/to/gregoiredavid/france-geojson \\
        --out data/geo

``--france-geojson`` is a checkout of the repository or a bare git mirror (read with
``git show HEAD:path``). The commune code history (``--code-history``, shipped in
``data/geo/``) maps the 2018 commune polygons to the 2026 codes. Every coordinate is
rounded to 4 decimals (about 10 m) and the outlines are simplified (Douglas-Peucker) so
that what ships stays small; every file is written in a stable order, so that a rebuild
from the same sources changes nothing.
"""

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

# The régions and départements of France proper (metropolitan and overseas départements):
# the collectivités d'outre-mer (zone "com": Saint-Martin, Polynésie…) are not départements
# and IGN publishes no outline of them.
ZONES = {"metro", "drom"}
# The commune types Filière knows (territory.enums.CommuneKind), and the municipal districts
# of Paris, Lyon and Marseille, which the register's establishments carry as their commune:
# the load maps them to their commune.
COMMUNE_TYPES = {"commune-actuelle", "commune-deleguee", "commune-associee"}
DISTRICT = "arrondissement-municipal"
PRECISION = 4
# Douglas-Peucker tolerances, in degrees (0.001° ≈ 100 m): région and département outlines
# are drawn at the scale of a région, commune outlines at the scale of a département.
OUTLINE_TOLERANCE = 0.001
COMMUNE_TOLERANCE = 0.0003


class Source:
    """The france-geojson files, from a checkout or from a bare git mirror."""

    def __init__(self, root: Path):
        self.root = root
        self.is_git = not (root / "departements").is_dir()

    def names(self, folder: str) -> list[str]:
        if not self.is_git:
            return sorted(p.name for p in (self.root / folder).iterdir())
        out = self._git("ls-tree", "--name-only", f"HEAD:{folder}")
        return sorted(out.decode().split())

    def json(self, path: str) -> dict:
        if not self.is_git:
            return json.loads((self.root / path).read_text(encoding="utf-8"))
        return json.loads(self._git("show", f"HEAD:{path}"))

    def _git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", "--git-dir", str(self.root), *args], check=True, capture_output=True
        ).stdout


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify_ring(ring: list, tolerance: float) -> list:
    """Douglas-Peucker on a closed ring, then rounded; a ring that collapses is dropped
    (an empty list)."""
    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    if len(points) < 3:
        return []
    keep = [False] * len(points)
    keep[0] = True
    # Split the ring at its farthest point from the first, so that each half is an open line.
    far = max(range(len(points)), key=lambda i: _perpendicular(points[i], points[0], points[0]))
    keep[far] = True
    stack = [(0, far), (far, len(points))]
    while stack:
        first, last = stack.pop()
        end = points[last % len(points)]
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], end)
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    rounded = []
    for point, kept in zip(points, keep, strict=True):
        if kept:
            xy = [round(point[0], PRECISION), round(point[1], PRECISION)]
            if not rounded or rounded[-1] != xy:
                rounded.append(xy)
    if len(rounded) < 3:
        return []
    return [*rounded, rounded[0]]


def polygons_of(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"géométrie inattendue : {geometry['type']}")


def simplified(polygons: list, tolerance: float) -> dict:
    """A MultiPolygon of the polygons simplified; a polygon whose outer ring collapses is
    dropped, unless it is the only one (then it is kept rounded, unsimplified)."""
    kept = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        if outer:
            holes = [r for r in (simplify_ring(h, tolerance) for h in polygon[1:]) if r]
            kept.append([outer, *holes])
    if not kept:
        largest = max(polygons, key=lambda p: abs(_area(p[0])))
        kept = [[[[round(x, PRECISION), round(y, PRECISION)] for x, y in largest[0]]]]
    return {"type": "MultiPolygon", "coordinates": kept}


def feature(code: str, name: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"code": code, "nom": name}, "geometry": geometry}


def _area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def centroid(geometry: dict) -> tuple[float, float]:
    """The area-weighted centroid (lat, lon) of the outer rings, in plane coordinates."""
    total = cx = cy = 0.0
    for polygon in polygons_of(geometry):
        ring = polygon[0]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            cross = x1 * y2 - x2 * y1
            total += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if total == 0:
        xs = [x for polygon in polygons_of(geometry) for x, _y in polygon[0]]
        ys = [y for polygon in polygons_of(geometry) for _x, y in polygon[0]]
        return sum(ys) / len(ys), sum(xs) / len(xs)
    return cy / (3 * total), cx / (3 * total)


def write_gz(path: Path, text: str) -> None:
    # mtime=0 and no file name: the same content gives the same bytes, so a rebuild from the
    # same sources changes nothing.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def write_json_gz(path: Path, content) -> None:
    write_gz(path, json.dumps(content, ensure_ascii=False, separators=(",", ":")))


def write_json(path: Path, items: list[dict]) -> None:
    """A JSON list, one item a line (as the package publishes it)."""
    lines = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def build(decoupage: Path, geojson: Source, code_history: Path, out: Path) -> None:
    load = lambda name: json.loads((decoupage / name).read_text(encoding="utf-8"))  # noqa: E731
    regions = [r for r in load("regions.json") if r.get("zone") in ZONES]
    departements = [d for d in load("departements.json") if d.get("zone") in ZONES]
    departement_codes = {d["code"] for d in departements}
    write_json(out / "regions.json", regions)
    write_json(out / "departements.json", departements)

    communes = [
        {key: value for key, value in c.items() if key not in {"typeLiaison", "zone"}}
        for c in load("communes.json")
        if c["type"] in COMMUNE_TYPES | {DISTRICT} and c.get("departement") in departement_codes
    ]
    write_json_gz(out / "communes.json.gz", communes)
    current_names = {c["code"]: c["nom"] for c in communes if c["type"] == "commune-actuelle"}
    current_departement = {
        c["code"]: c["departement"] for c in communes if c["type"] == "commune-actuelle"
    }

    epcis = []
    for epci in load("epci.json"):
        members = [{"code": m["code"]} for m in epci["membres"] if m["code"] in current_names]
        if members:
            fields = ("code", "nom", "type", "populationTotale")
            epcis.append({**{k: epci[k] for k in fields if k in epci}, "membres": members})
    write_json_gz(out / "epci.json.gz", epcis)

    history: dict[str, set[str]] = defaultdict(set)
    for old, new in (
        duckdb.read_parquet(str(code_history)).select("code_insee", "code_insee_2026").fetchall()
    ):
        history[old].add(new)

    folders = {name.split("-", 1)[0]: name for name in geojson.names("departements")}
    centroid_rows = []
    polygons_2026: dict[str, list] = defaultdict(list)
    unmapped = []
    departement_outlines = {}
    for code in sorted(departement_codes):
        folder = folders[code]
        base = f"departements/{folder}"
        shapes = geojson.json(f"{base}/communes-{folder}.geojson")["features"]
        for shape in shapes:
            old, name = shape["properties"]["code"], shape["properties"]["nom"]
            lat, lon = centroid(shape["geometry"])
            centroid_rows.append((old, name, code, round(lat, 6), round(lon, 6)))
            # A 2018 commune's polygon is drawn as the 2026 commune it became; one later split
            # between several is drawn as the one that kept its code, if any.
            targets = history.get(old, {old})
            target = old if old in targets else (min(targets) if len(targets) == 1 else None)
            if target in current_names:
                polygons_2026[target] += polygons_of(shape["geometry"])
            else:
                unmapped.append(old)
        if code.startswith("97"):
            outline = geojson.json(f"{base}/departement-{folder}.geojson")
            departement_outlines[code] = outline["geometry"]
    for shape in geojson.json("departements-version-simplifiee.geojson")["features"]:
        departement_outlines[shape["properties"]["code"]] = shape["geometry"]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code_insee", "nom", "departement", "lat", "lon"])
    writer.writerows(sorted(centroid_rows))
    write_gz(out / "communes_2018_centroids.csv.gz", buffer.getvalue())

    (out / "communes").mkdir(exist_ok=True)
    by_departement: dict[str, list] = defaultdict(list)
    for code in sorted(polygons_2026):
        geometry = simplified(polygons_2026[code], COMMUNE_TOLERANCE)
        by_departement[current_departement[code]].append(
            feature(code, current_names[code], geometry)
        )
    for code in sorted(departement_codes):
        write_json_gz(
            out / "communes" / f"{code}.geojson.gz",
            {"type": "FeatureCollection", "features": by_departement[code]},
        )

    names = {d["code"]: d["nom"] for d in departements}
    write_json_gz(
        out / "departements.geojson.gz",
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    code,
                    names[code],
                    simplified(polygons_of(departement_outlines[code]), OUTLINE_TOLERANCE),
                )
                for code in sorted(departement_codes)
            ],
        },
    )
    region_outlines = {
        shape["properties"]["code"]: shape["geometry"]
        for shape in geojson.json("regions-version-simplifiee.geojson")["features"]
    }
    # The overseas régions are each one département: the same outline.
    for d in departements:
        if d["code"].startswith("97"):
            region_outlines[d["region"]] = departement_outlines[d["code"]]
    write_json_gz(
        out / "regions.geojson.gz",
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    r["code"],
                    r["nom"],
                    simplified(polygons_of(region_outlines[r["code"]]), OUTLINE_TOLERANCE),
                )
                for r in sorted(regions, key=lambda r: r["code"])
            ],
        },
    )
    missing = sorted(set(current_names) - set(polygons_2026))
    print(
        f"{len(regions)} régions, {len(departements)} départements, {len(communes)} communes "
        f"({len(current_names)} current), {len(epcis)} EPCI, {len(centroid_rows)} 2018 polygons; "
        f"2026 communes without a polygon: {len(missing)} {missing[:10]}; "
        f"2018 polygons without a 2026 commune: {len(unmapped)} {unmapped[:10]}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoupage", type=Path, required=True, help="its data/ folder")
    parser.add_argument("--france-geojson", type=Path, required=True)
    parser.add_argument(
        "--code-history",
        type=Path,
        default=Path("data/geo/commune_code_history_to_2026.parquet"),
    )
    parser.add_argument("--out", type=Path, default=Path("data/geo"))
    args = parser.parse_args(argv)
    build(args.decoupage, Source(args.france_geojson), args.code_history, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
