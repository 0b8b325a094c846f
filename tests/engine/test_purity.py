"""The engine package must import and run with Django absent."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCK_DJANGO = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django.") or name.startswith("filiere"):
            raise ImportError(f"engine imported {name}")
        return None
sys.meta_path.insert(0, Blocker())
import importlib, pkgutil, engine
for module in pkgutil.walk_packages(engine.__path__, "engine."):
    importlib.import_module(module.name)
print("ok")
"""


def test_engine_imports_without_django():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_DJANGO], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
