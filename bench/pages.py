"""Server time of the contract pages on the demo data (run `make bench`).

Renders each page through Django's test client against the configured database
(the one `make run` fills) and prints the median and worst of several runs,
with the number of SQL queries. The target is under 150 ms per page.
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
RUNS = 30
TARGET_MS = 150


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
        client.get(url)  # warm up caches and templates
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(timings)
        worst_median = max(worst_median, median)
        print(f"{name:22} {median:7.1f}ms {max(timings):7.1f}ms {len(queries):9d}")
    verdict = "OK" if worst_median < TARGET_MS else "OVER TARGET"
    print(f"slowest median: {worst_median:.1f} ms (target < {TARGET_MS} ms): {verdict}")


if __name__ == "__main__":
    main()
