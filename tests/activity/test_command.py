"""The ``office_activity`` command gives, for the demo's period, the figures one counts by hand
from the support and needs CSV exports of the same period."""

import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime
from statistics import median

import pytest
from django.core.management.base import CommandError

from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, Organisation
from filiere.common.workdays import working_days_between

START, END = "2018-01-01", "2019-12-31"
OUTCOMES = {"done", "done_without_help", "not_reachable", "closed"}


def download(client, path: str) -> list[dict]:
    response = client.get(path, {"start": START, "end": END, "format": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode()[1:]), delimiter=";"))


def day(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


def by_hand(support: list[dict], needs: list[dict]) -> list[dict]:
    """The figures per office slug and subject, from the exports' columns alone."""
    offices = {str(office): office for office in Organisation.objects.all()}
    areas = {
        m.organisation: m.organisation.area
        for m in Membership.objects.active()
        .filter(role=Role.ADVISER)
        .select_related("organisation")
    }
    received = defaultdict(list)  # (office, subject) -> [(received, taken or None, status, rating)]
    for row in support:
        names = set(filter(None, row["bureaux"].split(", "))) | {row["pris_par"]} - {""}
        for name in names:
            mine = name == row["pris_par"]
            received[offices[name], row["sujet_code"]].append(
                (
                    day(row["enregistre_le"]),
                    day(row["pris_le"]) if mine else None,
                    row["etat_code"],
                    int(row["satisfaction"]) if mine and row["satisfaction"] else None,
                )
            )
    for row in needs:
        if row["reoriente_vers"]:
            going = {offices[row["reoriente_vers"]]}
        else:
            going = {o for o, area in areas.items() if not area or row["departement"] in area}
        if row["pris_par"]:
            going.add(offices[row["pris_par"]])
        for office in going:
            mine = str(office) == row["pris_par"]
            received[office, row["domaine_code"]].append(
                (day(row["recu_le"]), day(row["pris_le"]) if mine else None, row["etat_code"], None)
            )
    figures = []
    for (office, subject), needs_of in received.items():
        delays = [working_days_between(got, taken) for got, taken, _s, _r in needs_of if taken]
        ratings = [rating for *_rest, rating in needs_of if rating]
        figures.append(
            {
                "office": office.slug,
                "subject": subject,
                "received": len(needs_of),
                "taken": len(delays),
                "taken_within_5_days": sum(d <= 5 for d in delays),
                "median_days_to_take": float(median(delays)) if delays else None,
                "closed": sum(1 for _g, taken, s, _r in needs_of if taken and s in OUTCOMES),
                "abandoned": sum(1 for _g, _t, s, _r in needs_of if s == "abandoned"),
                "satisfaction_average": round(sum(ratings) / len(ratings), 2) if ratings else None,
                "satisfaction_answers": len(ratings),
            }
        )
    return sorted(figures, key=lambda f: (f["office"], f["subject"]))


@pytest.mark.django_db
def test_the_commands_figures_are_those_of_the_support_and_needs_exports(demo, client, run_command):
    client.force_login(Membership.objects.get(user__email="officier@demo.filiere.fr").user)
    support = download(client, "/accompagnement/")
    needs = download(client, "/besoins/conseil/")
    assert support
    assert needs

    out, err = run_command("office_activity", "--office", "all", "--from", START, "--to", END)
    rows = json.loads(out)
    # The demo's needs make every figure count something.
    assert {row["subject"] for row in rows} & {"finance", "web"} == {"finance", "web"}
    for figure in ("taken", "taken_within_5_days", "closed", "satisfaction_answers"):
        assert sum(row[figure] for row in rows), figure
    for row in rows:
        assert row["closed"] == sum(row.pop("closed_by_outcome").values())
    assert sorted(rows, key=lambda r: (r["office"], r["subject"])) == by_hand(support, needs)
    assert "lignes du 2018-01-01 au 2019-12-31" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--office", "nulle-part"], "--office : aucun bureau ne reçoit de besoins"),
        (["--office", "all", "--from", "2019-13-01"], "--from : date invalide '2019-13-01'"),
        (["--office", "all", "--to", "2017-12-31"], "--to : le 2017-12-31 précède le début"),
        (["--office", "all", "--subject", "cuisine"], "--subject : sujet inconnu 'cuisine'"),
    ],
)
def test_bad_arguments_say_what_is_wrong(run_command, args, error):
    defaults = {"--from": START, "--to": END}
    for option, value in zip(args[::2], args[1::2], strict=True):
        defaults[option] = value
    with pytest.raises(CommandError, match=error):
        run_command("office_activity", *[part for pair in defaults.items() for part in pair])
