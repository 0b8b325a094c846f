from datetime import date, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership, OutgoingMail
from filiere.activity import selectors, tasks
from filiere.activity.services import last_quarter
from filiere.common.workdays import easter_sunday, working_days_between
from filiere.needs.enums import Domain, NeedStatus
from filiere.needs.models import Need
from filiere.support.enums import Subject, SupportStatus
from filiere.support.models import SupportNeed
from tests.factories import CommuneFactory, LegalUnitFactory, OrganisationFactory, member


def at(day: str, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour))


def test_working_days_leave_out_weekends_and_french_public_holidays():
    assert easter_sunday(2019) == date(2019, 4, 21)
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert working_days_between(date(2019, 5, 3), date(2019, 5, 3)) == 0
    # Friday to Monday is one working day; 8 May 2019 (a Wednesday) is none.
    assert working_days_between(date(2019, 5, 3), date(2019, 5, 6)) == 1
    assert working_days_between(date(2019, 5, 3), date(2019, 5, 13)) == 5
    # Easter Monday, Ascension Thursday and Whit Monday 2019.
    assert working_days_between(date(2019, 4, 19), date(2019, 4, 23)) == 1
    assert working_days_between(date(2019, 5, 29), date(2019, 5, 31)) == 1
    assert working_days_between(date(2019, 6, 7), date(2019, 6, 11)) == 1


@pytest.fixture
def offices(db):
    cci = OrganisationFactory(
        slug="cci", name="CCI", kind=OrganisationKind.CHAMBER_OF_COMMERCE, area=["14"]
    )
    cma = OrganisationFactory(
        slug="cma", name="CMA", kind=OrganisationKind.CHAMBER_OF_TRADES, area=["50"]
    )
    region = OrganisationFactory(
        slug="region", name="Région", kind=OrganisationKind.REGIONAL_COUNCIL
    )
    manager = member(cci, Role.ADVISER, email="manager@cci.test")
    Membership.objects.filter(user=manager).update(is_admin=True)
    cma_manager = member(cma, Role.ADVISER, email="manager@cma.test")
    Membership.objects.filter(user=cma_manager).update(is_admin=True)
    unit = LegalUnitFactory()

    def support(created, offices, *, taken_by=None, taken=None, status=SupportStatus.NEW, **kw):
        need = SupportNeed.objects.create(
            legal_unit=unit,
            subject=Subject.FINANCE,
            description="Plan de financement",
            departement_code="14",
            created_at=at(created),
            taken_office=taken_by,
            taken_at=at(taken) if taken else None,
            status=status,
            **kw,
        )
        need.offices.set(offices)
        return need

    support("2019-05-03", [cci], taken_by=cci, taken="2019-05-13", status="done", satisfaction=4)
    support("2019-05-06", [cci, cma], taken_by=cma, taken="2019-05-20", status="taken")
    support("2019-06-01", [cci], status=SupportStatus.ABANDONED)
    support("2018-12-31", [cci])  # before the period
    need = Need.objects.create(
        text="Un site",
        domain=Domain.WEB,
        commune=CommuneFactory(),
        departement_code="14",
        company_name="Cidrerie",
        contact_name="Jeanne",
        contact_email="jeanne@cidrerie.test",
        status=NeedStatus.CLOSED,
        confirmed_at=at("2019-05-02"),
        taken_office=cci,
        taken_at=at("2019-05-03"),
    )
    # Received when its address was confirmed, not when it was posted.
    Need.objects.filter(pk=need.pk).update(created_at=at("2019-03-28"))
    return {
        "cci": cci,
        "cma": cma,
        "manager": manager,
        "cma_manager": cma_manager,
        "officer": member(region, Role.PROGRAMME_OFFICER, email="officier@region.test"),
    }


def test_each_figure_per_office_and_subject(offices):
    rows = selectors.office_activity(
        selectors.receiving_offices(), start=date(2019, 4, 1), end=date(2019, 6, 30)
    ).rows
    assert [row.as_dict() for row in rows] == [
        {
            "office": "cci",
            "subject": "finance",
            "received": 3,
            "taken": 1,
            "taken_within_5_days": 1,
            "median_days_to_take": 5.0,
            "closed": 1,
            "closed_by_outcome": {
                "done": 1,
                "done_without_help": 0,
                "not_reachable": 0,
                "closed": 0,
            },
            "abandoned": 1,
            "satisfaction_average": 4.0,
            "satisfaction_answers": 1,
        },
        {
            "office": "cci",
            "subject": "web",
            "received": 1,
            "taken": 1,
            "taken_within_5_days": 1,
            "median_days_to_take": 1.0,
            "closed": 1,
            "closed_by_outcome": {
                "done": 0,
                "done_without_help": 0,
                "not_reachable": 0,
                "closed": 1,
            },
            "abandoned": 0,
            "satisfaction_average": None,
            "satisfaction_answers": 0,
        },
        {
            "office": "cma",
            "subject": "finance",
            "received": 1,
            "taken": 1,
            "taken_within_5_days": 0,
            "median_days_to_take": 9.0,
            "closed": 0,
            "closed_by_outcome": {
                "done": 0,
                "done_without_help": 0,
                "not_reachable": 0,
                "closed": 0,
            },
            "abandoned": 0,
            "satisfaction_average": None,
            "satisfaction_answers": 0,
        },
    ]


def test_an_office_manager_sees_their_office_and_its_csv(client, offices):
    client.force_login(offices["manager"])
    page = client.get("/accompagnement/activite/", {"start": "2019-04-01", "end": "2019-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activité des bureaux" in html
    assert 'value="cma"' not in html
    assert "T2 2019" in html
    response = client.get(
        "/accompagnement/activite/",
        {"start": "2019-04-01", "end": "2019-06-30", "format": "csv"},
    )
    lines = response.content.decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("bureau;bureau_code;sujet;sujet_code;recus;pris;pris_sous_5_jours")
    assert [line.split(";")[1:8] for line in lines[1:]] == [
        ["cci", "Ingénierie financière", "finance", "3", "1", "1", "33,3"],
        ["cci", "Site web, e-commerce", "web", "1", "1", "1", "100"],
    ]
    # Another office's figures are not theirs to read.
    other = client.get("/accompagnement/activite/", {"office": "cma", "format": "csv"})
    assert len(other.content.decode().splitlines()) == 3


def test_only_managers_and_programme_officers_see_the_activity(client, offices):
    adviser = member(offices["cci"], Role.ADVISER, email="conseil@cci.test")
    client.force_login(adviser)
    assert client.get("/accompagnement/activite/").status_code == 403
    assert "Activité des bureaux" not in client.get("/accompagnement/").content.decode()
    client.force_login(offices["officer"])
    html = client.get("/accompagnement/").content.decode()
    assert "Activité des bureaux" in html
    page = client.get("/accompagnement/activite/", {"office": "cma"}).content.decode()
    assert "Identifiant" not in page
    assert "CMA" in page


def test_the_page_reads_in_a_fixed_number_of_queries(client, offices):
    client.force_login(offices["officer"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accompagnement/activite/").status_code == 200
        return len(captured)

    before = queries()
    more = SupportNeed.objects.create(
        legal_unit=LegalUnitFactory(),
        subject=Subject.EXPORT,
        description="Salon",
        departement_code="50",
        created_at=at("2019-05-10"),
    )
    more.offices.set([offices["cma"], offices["cci"]])
    assert queries() == before


def test_the_quarter_before_today():
    assert last_quarter(date(2019, 7, 1)) == (date(2019, 4, 1), date(2019, 6, 30))
    assert last_quarter(date(2020, 2, 15)) == (date(2019, 10, 1), date(2019, 12, 31))


def test_the_quarterly_task_mails_each_offices_managers_their_figures(offices, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at("2019-07-01", 7))
    mail.outbox.clear()
    assert tasks.send_quarterly_activity.delay().get() == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == ["manager@cci.test", "manager@cma.test"]
    cci = sent["manager@cci.test"]
    assert cci.subject == "[Filière] Activité de CCI du 01/04/2019 au 30/06/2019"
    assert "Ingénierie financière\n  Reçus : 3 — pris en charge : 1 — en 5 jours ouvrés : 1" in (
        cci.body
    )
    assert "Satisfaction : 4/5 (1 avis)" in cci.body
    assert "?office=cci&start=2019-04-01&end=2019-06-30" in cci.body
    assert "Reçus : 1 — pris en charge : 1 — en 5 jours ouvrés : 0" in sent["manager@cma.test"].body


def test_the_command_mails_the_quarter_before_a_day_and_its_dry_run_nothing(offices, run_command):
    mail.outbox.clear()
    out, _err = run_command("send_office_activity", "--today", "2019-07-01", "--dry-run")
    assert "bureaux informés: 2 (simulation" in out
    assert not OutgoingMail.objects.exists()
    mail.outbox.clear()
    out, _err = run_command("send_office_activity", "--today", "2019-10-01")
    assert "bureaux informés: 0" in out
    run_command("send_office_activity", "--today", "2019-07-01")
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@cci.test", "manager@cma.test"]


def test_the_support_and_needs_exports_keep_the_needs_received_in_their_period(client, offices):
    client.force_login(offices["officer"])

    def exported(path: str, start: str, end: str) -> int:
        response = client.get(path, {"start": start, "end": end, "format": "csv"})
        return len(response.content.decode().splitlines()) - 1

    assert exported("/accompagnement/", "2019-01-01", "2019-12-31") == 3
    assert exported("/accompagnement/", "2018-12-31", "2018-12-31") == 1
    # A digitalisation need is received when its address is confirmed, not when posted.
    assert exported("/besoins/conseil/", "2019-03-01", "2019-04-30") == 0
    assert exported("/besoins/conseil/", "2019-05-02", "2019-05-02") == 1
    page = client.get("/accompagnement/", {"start": "2019-12-31", "end": "2019-01-01"})
    assert "La fin de la période précède son début." in page.content.decode()
