"""The register's imports started from the observatory's page: a worker runs them (eagerly
here), the page follows them, a watch ends those whose worker stopped."""

import csv
import threading
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from engine.register.synthetic import Place, generate_stock
from filiere.accounts.enums import Role
from filiere.directory.models import Establishment
from filiere.observatory import services, tasks
from filiere.observatory.enums import ImportStatus
from filiere.observatory.models import SireneImport
from filiere.observatory.tasks import import_register, watch_register_imports
from tests.factories import DepartementFactory, OrganisationFactory, RegionFactory, member

pytestmark = pytest.mark.django_db

IMPORTS = reverse("observatory:imports")


@pytest.fixture(autouse=True)
def normandy(db):
    region = RegionFactory(code="28", name="Normandie")
    DepartementFactory(code="14", name="Calvados", region=region)
    DepartementFactory(code="50", name="Manche", region=region)


@pytest.fixture
def stock(tmp_path):
    return generate_stock(
        tmp_path / "stock",
        rows=30,
        places=[Place("14118", "14000", "Caen", 1.0), Place("50129", "50100", "Cherbourg", 1.0)],
        naf_weights={"62.01Z": 1.0},
    )


@pytest.fixture
def queue(monkeypatch):
    """The imports the page queues, held there until the test runs one as a worker would
    (the tests run what is queued at once otherwise)."""
    queued: list[int] = []
    monkeypatch.setattr(tasks, "import_register", SimpleNamespace(delay=queued.append))
    return queued


@pytest.fixture
def officer(client):
    user = member(OrganisationFactory(kind="regional_council"), Role.PROGRAMME_OFFICER)
    client.force_login(user)
    return user


def start(client, establishments: Path, legal_units: Path | None = None, **fields):
    data = {"territory": "28", "sector": "", "form_token": uuid.uuid4().hex, **fields}
    with establishments.open("rb") as etab:
        data["establishments"] = etab
        if legal_units is None:
            return client.post(IMPORTS, data)
        with legal_units.open("rb") as units:
            data["legal_units"] = units
            return client.post(IMPORTS, data)


def test_an_officer_imports_a_stock_and_follows_it_to_its_summary(client, officer, stock):
    response = start(client, stock.establishments, stock.legal_units)

    register_import = SireneImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("observatory:import", args=[register_import.pk])
    created = Establishment.objects.count()
    assert created > 0
    assert register_import.status == ImportStatus.DONE
    assert register_import.establishments_created == created == register_import.rows_kept
    assert register_import.legal_units > 0
    assert register_import.started_by == officer
    assert register_import.started_at
    assert register_import.finished_at
    assert register_import.task_id
    # The stored files are deleted once the import is over; their names stay.
    assert not register_import.establishments_file
    assert not register_import.legal_units_file
    assert not default_storage.listdir("private/register-imports")[1]
    assert register_import.establishments_name == "StockEtablissement_utf8.csv"

    page = client.get(response["Location"]).content.decode()
    assert "Terminé" in page
    assert f"<dd>\n        {created}\n      </dd>" in page
    assert "hx-get" not in page  # done: the page stops polling
    assert "Annuler l'import" not in page
    listing = client.get(IMPORTS).content.decode()
    assert "Terminé" in listing
    assert "StockEtablissement_utf8.csv" in listing

    # A message delivered twice does nothing to an import that is over.
    import_register.delay(register_import.pk)
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.DONE
    assert register_import.establishments_created == created


def test_a_bad_line_is_shown_where_it_is_and_nothing_is_written(client, officer, stock, tmp_path):
    with stock.establishments.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    siret = rows[0].index("siret")
    rows[4][siret] = "1234"
    bad = tmp_path / "StockEtablissement_bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    response = start(client, bad)

    register_import = SireneImport.objects.get()
    assert register_import.status == ImportStatus.FAILED
    assert Establishment.objects.count() == 0
    assert register_import.errors_total == 1
    [error] = register_import.errors
    assert error["file"] == "StockEtablissement_bad.csv"
    assert (error["line"], error["column"], error["value"]) == (5, "siret", "1234")
    page = client.get(response["Location"]).content.decode()
    assert "rien n&#x27;a été écrit" in page
    assert "<td>StockEtablissement_bad.csv</td>" in page
    assert "SIRET de 14 chiffres attendu" in page


def test_only_programme_officers_see_and_start_imports(client, stock):
    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    assert client.get(IMPORTS).status_code == 403
    assert start(client, stock.establishments).status_code == 403
    assert not SireneImport.objects.exists()


def test_a_second_import_is_refused_while_one_waits(client, officer, stock, queue):
    start(client, stock.establishments)
    assert SireneImport.objects.get().status == ImportStatus.QUEUED

    response = start(client, stock.establishments)

    assert response.status_code == 422
    assert "déjà en cours" in response.content.decode()
    assert SireneImport.objects.count() == 1


def test_a_queued_import_is_cancelled_and_its_worker_then_does_nothing(
    client, officer, stock, queue
):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    stored = register_import.establishments_file.name
    page = client.get(reverse("observatory:import", args=[register_import.pk])).content.decode()
    assert "hx-get" in page
    assert "Annuler l'import" in page
    # The page's poll gets the status alone.
    polled = client.get(
        reverse("observatory:import", args=[register_import.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert polled.lstrip().startswith('<section id="import-status"')

    response = client.post(reverse("observatory:import_cancel", args=[register_import.pk]))

    assert response.status_code == 302
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.CANCELLED
    import_register.delay(register_import.pk)
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.CANCELLED
    assert Establishment.objects.count() == 0
    assert not register_import.establishments_file
    assert stored  # the file went with the cancel (on commit, which a test never reaches)


def test_a_cancel_stops_the_read_at_its_next_batch(client, officer, stock, queue, monkeypatch):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    read = services.register_read

    def cancelled_while_reading(**kwargs):
        services.register_import_cancel(register_import=register_import, user=officer)
        return read(**kwargs)

    monkeypatch.setattr(services, "register_read", cancelled_while_reading)
    import_register.delay(register_import.pk)

    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.CANCELLED
    assert Establishment.objects.count() == 0
    assert not register_import.establishments_file


def test_an_import_that_writes_is_no_longer_cancelled(client, officer, stock, queue):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    SireneImport.objects.update(status=ImportStatus.RUNNING, phase="writing")

    response = client.post(
        reverse("observatory:import_cancel", args=[register_import.pk]),
        HTTP_REFERER="http://testserver" + reverse("observatory:import", args=[register_import.pk]),
    )

    assert response.status_code == 302
    assert SireneImport.objects.get().status == ImportStatus.RUNNING


def test_the_watch_fails_an_import_whose_worker_stopped(client, officer, stock, queue):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    now = timezone.now()
    SireneImport.objects.update(
        status=ImportStatus.RUNNING, phase="reading", heartbeat=now - timedelta(seconds=90)
    )
    assert watch_register_imports.delay().get() == 0  # alive: its heartbeat is recent

    SireneImport.objects.update(heartbeat=now - timedelta(minutes=3))
    assert watch_register_imports.delay().get() == 1

    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.FAILED
    assert register_import.failure == ("interrompu : le worker s'est arrêté ; relancez l'import")
    page = client.get(reverse("observatory:import", args=[register_import.pk])).content.decode()
    assert "relancez l&#x27;import" in page
    assert "hx-get" not in page
    # Its place is free: a new import may start.
    assert start(client, stock.establishments).status_code == 302


@override_settings(FILIERE_UPLOAD_MAX_BYTES=100, FILIERE_REGISTER_UPLOAD_MAX_BYTES=5000)
def test_the_page_takes_files_up_to_its_own_limit(client, officer, stock, tmp_path):
    small = tmp_path / "StockEtablissement_small.csv"
    small.write_text("".join(stock.establishments.read_text().splitlines(True)[:3]))
    assert 100 < small.stat().st_size <= 5000 < stock.establishments.stat().st_size
    assert start(client, small).status_code == 302

    SireneImport.objects.all().delete()
    response = start(client, stock.establishments)
    assert response.status_code == 422
    assert "commande import_sirene" in response.content.decode()


def test_an_import_another_live_worker_runs_is_left_to_it(client, officer, stock, queue):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    SireneImport.objects.update(
        status=ImportStatus.RUNNING, phase="reading", task_id="other", heartbeat=timezone.now()
    )

    import_register.delay(register_import.pk)

    register_import.refresh_from_db()
    assert (register_import.status, register_import.task_id) == (ImportStatus.RUNNING, "other")
    assert Establishment.objects.count() == 0


def test_an_unexpected_error_fails_the_import_at_once(client, officer, stock, queue, monkeypatch):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()

    def broken(read, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(services, "register_write", broken)
    with pytest.raises(RuntimeError):
        import_register.delay(register_import.pk)

    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.FAILED
    assert "relancez l'import" in register_import.failure
    assert not register_import.establishments_file


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="on SQLite the write holds the whole database"
)
def test_the_watch_passes_over_an_import_that_writes(transactional_db):
    register_import = SireneImport.objects.create(
        establishments_name="StockEtablissement_utf8.csv",
        territory="28",
        territory_label="Normandie",
        status=ImportStatus.RUNNING,
        phase="writing",
        heartbeat=timezone.now() - timedelta(minutes=10),
    )
    locked, done = threading.Event(), threading.Event()

    def write():  # as the worker's write transaction does, for as long as it writes
        try:
            with transaction.atomic():
                list(SireneImport.objects.select_for_update().filter(pk=register_import.pk))
                locked.set()
                done.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert locked.wait(10)
        assert watch_register_imports.delay().get() == 0
    finally:
        done.set()
        writer.join()
    assert watch_register_imports.delay().get() == 1  # its worker is gone: now it fails


def test_the_list_of_imports_reads_in_a_fixed_number_of_queries(
    client, officer, django_assert_num_queries
):
    for _ in range(5):
        SireneImport.objects.create(
            started_by=member(OrganisationFactory(kind="regional_council"), Role.PROGRAMME_OFFICER),
            establishments_name="StockEtablissement_utf8.zip",
            territory="28",
            territory_label="Normandie",
            status=ImportStatus.DONE,
        )
    # The session, the user, their roles, the form's sectors (and their codes), the rows
    # (with who started each) and their count.
    with django_assert_num_queries(7):
        page = client.get(IMPORTS).content.decode()
    assert page.count("StockEtablissement_utf8.zip") == 5


def test_the_page_stops_following_an_import_no_worker_took(client, officer, stock, queue):
    start(client, stock.establishments)
    register_import = SireneImport.objects.get()
    SireneImport.objects.update(created_at=timezone.now() - timedelta(minutes=11))

    polled = client.get(
        reverse("observatory:import", args=[register_import.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "aucun worker ne l&#x27;a pris en charge" in polled
    assert "hx-get" not in polled
    assert SireneImport.objects.get().status == ImportStatus.FAILED
