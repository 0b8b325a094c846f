"""A scratch platform for the benches: a SQLite database in a temporary folder with its cache
table, the reference data, and a generated Normandy stock of ``rows`` establishments imported
through the same pipeline as ``import_sirene``."""

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_register(rows: int) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="filiere-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["FILIERE_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings.dev")
        import django

        django.setup()
        from django.core.management import call_command

        from filiere.observatory.demo import demo_register_load

        call_command("migrate", verbosity=0)
        call_command("createcachetable")  # the shared cache of the figures (no REDIS_URL)
        call_command("load_reference_data", verbosity=0)
        start = time.perf_counter()
        result = demo_register_load(rows=rows)
        print(f"Loaded {result.created:,} establishments in {time.perf_counter() - start:.0f} s")
        yield Path(tmp)
