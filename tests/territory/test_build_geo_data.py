"""scripts/build_geo_data.py on a tiny copy of its sources: what it keeps, how 2018 polygons
become 2026 communes, and that a rebuild gives the same bytes."""

import gzip
import importlib.util
import json
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_geo_data.py"


@pytest.fixture(scope="module")
def build_geo_data():
    spec = importlib.util.spec_from_file_location("build_geo_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def square(x: float, y: float, size: float = 0.1) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code, "nom": name}, "geometry": geometry}
            for code, name, geometry in features
        ],
    }


def write(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content), encoding="utf-8")


@pytest.fixture
def sources(tmp_path):
    decoupage, geojson = tmp_path / "decoupage", tmp_path / "france-geojson"
    write(
        decoupage / "regions.json",
        [
            {"code": "28", "nom": "Normandie", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
    )
    write(
        decoupage / "departements.json",
        [
            {"code": "14", "region": "28", "nom": "Calvados", "zone": "metro"},
            {"code": "975", "region": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
    )
    commune = {"departement": "14", "region": "28", "zone": "metro", "typeLiaison": 0}
    write(
        decoupage / "communes.json",
        [
            {**commune, "code": "14118", "nom": "Caen", "type": "commune-actuelle"},
            {**commune, "code": "14150", "nom": "Thue et Mue", "type": "commune-actuelle"},
            {**commune, "code": "14002", "nom": "Acqueville", "type": "commune-deleguee"},
            {**commune, "code": "14999", "nom": "Quartier", "type": "arrondissement-municipal"},
            {"code": "97501", "nom": "Miquelon", "type": "commune-actuelle", "zone": "com"},
        ],
    )
    write(
        decoupage / "epci.json",
        [
            {"code": "1", "nom": "CU Caen", "type": "CU", "membres": [{"code": "14118"}]},
            {"code": "2", "nom": "Ailleurs", "type": "CC", "membres": [{"code": "97501"}]},
        ],
    )
    history = tmp_path / "history.parquet"
    duckdb.sql(
        "SELECT * FROM (VALUES ('14118', '14118', 'Caen'), ('14150', '14150', 'Thue et Mue'), "
        "('14002', '14150', 'Acqueville')) AS t(code_insee, code_insee_2026, commune)"
    ).write_parquet(str(history))
    write(
        geojson / "departements" / "14-calvados" / "communes-14-calvados.geojson",
        collection(
            ("14118", "Caen", square(-0.4, 49.1)),
            ("14150", "Thue et Mue", square(-0.6, 49.2)),
            ("14002", "Acqueville", square(-0.7, 49.2)),
        ),
    )
    write(
        geojson / "departements-version-simplifiee.geojson",
        collection(("14", "Calvados", square(-1.0, 49.0, 1))),
    )
    write(
        geojson / "regions-version-simplifiee.geojson",
        collection(("28", "Normandie", square(-2.0, 48.0, 3))),
    )
    return decoupage, geojson, history


def read_gz(path: Path):
    return json.loads(gzip.decompress(path.read_bytes()))


def test_builds_compact_national_files_from_the_sources(build_geo_data, sources, tmp_path):
    decoupage, geojson, history = sources
    out = tmp_path / "out"
    out.mkdir()
    arguments = ["--decoupage", str(decoupage), "--france-geojson", str(geojson)]
    build_geo_data.main([*arguments, "--code-history", str(history), "--out", str(out)])

    assert [r["code"] for r in json.loads((out / "regions.json").read_text())] == ["28"]
    communes = read_gz(out / "communes.json.gz")
    # Not the collectivité d'outre-mer's commune; the municipal district, for its code.
    assert [c["code"] for c in communes] == ["14118", "14150", "14002", "14999"]
    assert [e["code"] for e in read_gz(out / "epci.json.gz")] == ["1"]
    centroids = gzip.decompress((out / "communes_2018_centroids.csv.gz").read_bytes()).decode()
    assert "14118,Caen,14,49.15,-0.35" in centroids.splitlines()
    # Acqueville's 2018 polygon is drawn as Thue et Mue, which it joined.
    outlines = read_gz(out / "communes" / "14.geojson.gz")["features"]
    assert [f["properties"]["code"] for f in outlines] == ["14118", "14150"]
    assert len(outlines[1]["geometry"]["coordinates"]) == 2
    assert outlines[0]["geometry"]["type"] == "MultiPolygon"
    region = read_gz(out / "regions.geojson.gz")["features"][0]
    assert region["properties"] == {"code": "28", "nom": "Normandie"}

    built = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    build_geo_data.main([*arguments, "--code-history", str(history), "--out", str(out)])
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == built


def test_simplification_keeps_the_shape_and_rounds(build_geo_data):
    # A square with a point 1 m off its side, and a detour of 1 km.
    ring = [[0, 0], [0.5, 0.00001], [1, 0], [1, 1], [0.5, 1.01], [0, 1], [0, 0]]
    simplified = build_geo_data.simplify_ring(ring, 0.001)
    assert simplified == [[0, 0], [1, 0], [1, 1], [0.5, 1.01], [0, 1], [0, 0]]
    assert build_geo_data.simplify_ring([[0, 0], [0.00001, 0], [0, 0.00001], [0, 0]], 0.001) == []
