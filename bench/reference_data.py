"""The reference data of all of France: how long reading ``data/`` and loading it take.

    python bench/reference_data.py [--regions 28]

Reads and checks the shipped files (régions, départements, communes, EPCI, centroids, code
history, outlines, NAF), then loads them into a scratch SQLite database twice (the first load
inserts, the second finds everything in place), and into PostgreSQL too when
``DATABASE_URL`` names one (a scratch database ``<name>_bench_reference`` is created next to
it and dropped). Target: the full load well under 60 s on these machines (issue 20).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(regions: list[str] | None) -> None:
    """Read, then load twice, in the database of ``DATABASE_URL`` (run in a fresh process)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from filiere.common.command import Summary
    from filiere.territory.reference import read_reference_data
    from filiere.territory.services import reference_data_load

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    data, errors = read_reference_data(settings.DATA_DIR, regions)
    read = time.perf_counter() - start
    assert not errors, errors
    print(
        f"[{connection.vendor}] read {len(data.communes):,} communes, {len(data.epcis):,} EPCI, "
        f"{len(data.code_changes):,} old codes in {read:.1f} s"
    )
    for attempt in ("first load", "second load (nothing changes)"):
        start = time.perf_counter()
        reference_data_load(data=data, summary=Summary())
        print(f"[{connection.vendor}] {attempt}: {time.perf_counter() - start:.1f} s")


def run_in(database_url: str, regions: list[str] | None) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "filiere.settings.dev"),
    }
    arguments = ["--measure"] + (["--regions", ",".join(regions)] if regions else [])
    subprocess.run([sys.executable, __file__, *arguments], env=env, check=True, cwd=ROOT)


def postgres_scratch(database_url: str) -> tuple[str, str, str]:
    """(scratch URL, server URL, scratch name) next to the database of ``database_url``."""
    base, _slash, name = database_url.rpartition("/")
    scratch = f"{name.split('?')[0]}_bench_reference"
    return f"{base}/{scratch}", f"{base}/postgres", scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=lambda text: text.split(","), default=None)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure:
        measure(args.regions)
        return
    database_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="filiere-bench-") as tmp:
        os.environ["FILIERE_VAR_DIR"] = tmp
        run_in(f"sqlite:///{Path(tmp) / 'reference.sqlite3'}", args.regions)
        if database_url.startswith("postgres"):
            import psycopg

            scratch_url, server_url, scratch = postgres_scratch(database_url)
            with psycopg.connect(server_url, autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
                server.execute(f'CREATE DATABASE "{scratch}"')
            try:
                run_in(scratch_url, args.regions)
            finally:
                with psycopg.connect(server_url, autocommit=True) as server:
                    server.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


if __name__ == "__main__":
    main()
