"""Server time of the contract pages on the demo data (run `make bench`).

Renders each page through Django's test client against the configured database
(the one `make run` fills) and prints the median and worst of several runs,
with the number of SQL queries. The target is under 150 ms per page; a date out of
the contract's reach (``?au=9999-12-31``, which once cost minutes) must be refused in
under 100 ms.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from filiere.accounts.models import User  # noqa: E402

SLUG = "normandie-numerique-2017"
PAGES = {
    "tableau de bord": f"/contrats/{SLUG}/",
    "axe 2": f"/contrats/{SLUG}/axes/2/",
    "action 2.1": f"/contrats/{SLUG}/actions/2.1/",
    "indicateur": f"/contrats/{SLUG}/indicateurs/parcours-formation/",
    "indicateur calculé": f"/contrats/{SLUG}/indicateurs/budget-engage/",
    "rapport": f"/contrats/{SLUG}/rapport/",
    "CSV indicateurs": f"/contrats/{SLUG}/rapport/indicateurs.csv",
}
# Dates out of reach: refused at the door (422).
REFUSED = {
    "?au=9999-12-31": f"/contrats/{SLUG}/?au=9999-12-31",
    "axe, ?au=9999-12-31": f"/contrats/{SLUG}/axes/2/?au=9999-12-31",
    "rapport, fin 9999": f"/contrats/{SLUG}/rapport/?start=2017-01-01&end=9999-12-31",
    "CSV, fin 9999": f"/contrats/{SLUG}/rapport/indicateurs.csv?start=2017-01-01&end=9999-12-31",
    "API, at=9999-12-31": f"/api/contracts/{SLUG}/indicators?at=9999-12-31",
}
RUNS = 30
TARGET_MS = 150
REFUSED_TARGET_MS = 100


def measure(client, url: str, status: int) -> tuple[float, float, int]:
    client.get(url)  # warm up caches and templates
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, (url, response.status_code)
    return statistics.median(timings), max(timings), len(queries)


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    officer = User.objects.filter(email="officier@demo.filiere.fr").first()
    if officer is None:
        sys.exit("Demo data missing: run `make setup` first.")
    client.force_login(officer)
    print(f"Signed in as the demo officer, {RUNS} runs per page.")
    print(f"{'page':22} {'médiane':>9} {'pire':>9} {'requêtes':>9}")
    worst_median = 0.0
    for name, url in PAGES.items():
        median, worst, queries = measure(client, url, 200)
        worst_median = max(worst_median, median)
        print(f"{name:22} {median:7.1f}ms {worst:7.1f}ms {queries:9d}")
    verdict = "OK" if worst_median < TARGET_MS else "OVER TARGET"
    print(f"slowest median: {worst_median:.1f} ms (target < {TARGET_MS} ms): {verdict}")
    print("Dates out of reach, refused (422):")
    slowest = 0.0
    for name, url in REFUSED.items():
        median, worst, queries = measure(client, url, 422)
        slowest = max(slowest, worst)
        print(f"{name:22} {median:7.1f}ms {worst:7.1f}ms {queries:9d}")
    verdict = "OK" if slowest < REFUSED_TARGET_MS else "OVER TARGET"
    print(f"slowest refusal: {slowest:.1f} ms (target < {REFUSED_TARGET_MS} ms): {verdict}")


if __name__ == "__main__":
    main()
