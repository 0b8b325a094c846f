"""Import throughput and memory on a generated stock file in the real 53-column layout.

    python bench/register_import.py [--rows 5000000]

Prints, for the same file in the same run:
- the filtered read by the engine (DuckDB, streaming): rows of the file per second
  and the peak memory of the process that read it;
- the whole import (read + upsert of the kept rows into a scratch SQLite database);
- the baseline: pandas ``read_csv`` (chunked, the same columns) + a row-by-row ORM
  ``update_or_create`` loop, timed on a sample of the kept rows and extrapolated.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NORMANDY = ["14", "27", "50", "61", "76"]


def child_read(path: str) -> None:
    """Run in a child process, so that its peak memory is the reader's alone."""
    from engine.register.reader import establishments

    start = time.perf_counter()
    stock, batches = establishments(Path(path), departements=NORMANDY)
    kept = sum(len(batch) for batch in batches)
    print(f"{kept} {time.perf_counter() - start:.3f}")


def measure_read(path: Path) -> tuple[int, float, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child-read", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return int(output[0]), float(output[1]), peak_mb


def django_setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings.dev")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)


def baseline(path: Path, sample: int) -> tuple[float, int, float]:
    """pandas read + filter of the whole file, and the ORM loop's rate on a sample."""
    import pandas as pd

    from filiere.directory.models import Establishment

    columns = [
        "siret",
        "siren",
        "dateCreationEtablissement",
        "trancheEffectifsEtablissement",
        "codeCommuneEtablissement",
        "etatAdministratifEtablissement",
        "dateDebut",
        "activitePrincipaleEtablissement",
        "denominationUsuelleEtablissement",
    ]
    start = time.perf_counter()
    kept = []
    for chunk in pd.read_csv(
        path, dtype=str, usecols=columns, keep_default_na=False, chunksize=500_000
    ):
        kept.append(chunk[chunk["codeCommuneEtablissement"].str[:2].isin(NORMANDY)])
    frame = pd.concat(kept)
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    for row in frame.head(sample).itertuples(index=False):
        Establishment.objects.update_or_create(
            siret=row.siret,
            defaults={
                "siren": row.siren,
                "name": row.denominationUsuelleEtablissement,
                "naf": row.activitePrincipaleEtablissement,
                "headcount_band": row.trancheEffectifsEtablissement or "NN",
                "status": row.etatAdministratifEtablissement,
                "created_on": row.dateCreationEtablissement or None,
                "commune_code": row.codeCommuneEtablissement,
                "departement_code": row.codeCommuneEtablissement[:2],
            },
        )
    orm_rate = sample / (time.perf_counter() - start)
    Establishment.objects.all().delete()
    return read_seconds, len(frame), orm_rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--baseline-sample", type=int, default=5_000)
    parser.add_argument("--child-read")
    args = parser.parse_args()
    if args.child_read:
        child_read(args.child_read)
        return

    from engine.register.synthetic import generate_bulk_establishments

    with tempfile.TemporaryDirectory(prefix="filiere-bench-") as tmp:
        path = Path(tmp) / "StockEtablissement_utf8.csv"
        start = time.perf_counter()
        generate_bulk_establishments(path, rows=args.rows)
        size_mb = path.stat().st_size / 1e6
        print(
            f"Generated {args.rows:,} rows ({size_mb:,.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )

        kept, read_seconds, peak_mb = measure_read(path)
        print(
            f"Engine filtered read: {kept:,} rows kept in {read_seconds:.1f} s — "
            f"{args.rows / read_seconds:,.0f} rows/s, peak memory {peak_mb:,.0f} MB"
        )

        django_setup(Path(tmp) / "bench.sqlite3")
        from filiere.directory.services.register import register_import

        start = time.perf_counter()
        result = register_import(
            establishment_files=[path],
            legal_unit_files=[],
            departements=NORMANDY,
            territory_label="bench",
        )
        import_seconds = time.perf_counter() - start
        print(
            f"Engine full import: {result.created:,} establishments upserted in "
            f"{import_seconds:.1f} s — {args.rows / import_seconds:,.0f} file rows/s"
        )
        from filiere.directory.models import Establishment

        Establishment.objects.all().delete()

        pandas_seconds, pandas_kept, orm_rate = baseline(path, args.baseline_sample)
        baseline_seconds = pandas_seconds + pandas_kept / orm_rate
        print(
            f"Baseline pandas read + filter: {pandas_seconds:.1f} s "
            f"({args.rows / pandas_seconds:,.0f} rows/s); ORM loop {orm_rate:,.0f} rows/s "
            f"on {args.baseline_sample:,} rows"
        )
        print(
            f"Baseline full import (extrapolated): {baseline_seconds:,.0f} s — "
            f"{args.rows / baseline_seconds:,.0f} file rows/s"
        )
        print(
            f"Speed-up of the full import: {baseline_seconds / import_seconds:.1f}× "
            f"(target ≥ 20×); filtered read {args.rows / read_seconds:,.0f} rows/s "
            f"(target ≥ 200,000); peak read memory {peak_mb:,.0f} MB (target < 2,000)"
        )


if __name__ == "__main__":
    main()
