"""The aid import from Aides-territoires, against a local server replaying the API's answers
(tests/fixtures/aides-territoires: its shape and where it comes from)."""

import json
import os
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management.base import CommandError
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.projects.enums import AidImportStatus, AidImportTrigger, AidSource
from filiere.projects.models import AidImportRun, AidScheme
from filiere.projects.tasks import import_aides_territoires
from tests.factories import (
    DepartementFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    member,
)
from tests.processes import free_port

FIXTURES = Path(__file__).parent.parent / "fixtures" / "aides-territoires"
LIVE = "https://aides-territoires.beta.gouv.fr"
API_TOKEN = "at-api-token-for-tests"
PERIMETER = "70971-normandie"
NORMANDY = {"14": "Calvados", "27": "Eure", "50": "Manche", "61": "Orne", "76": "Seine-Maritime"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class AidesTerritoires(ThreadingHTTPServer):
    """The API as the import sees it: ``/api/connexion/`` for the account's token, then the
    pages of ``/api/aids/`` (``pages[n]``: the status and body of page n)."""

    def __init__(self):
        super().__init__(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.pages: dict[int, tuple[int, bytes]] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.bearer = json.loads(fixture("connexion.json"))["token"]

    def serve(self, *names: str) -> None:
        self.pages = {n: (200, fixture(name)) for n, name in enumerate(names, start=1)}


class Handler(BaseHTTPRequestHandler):
    server: AidesTerritoires

    def do_POST(self):
        self.server.requests.append(
            ("POST", self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        if self.path != "/api/connexion/" or self.headers.get("X-AUTH-TOKEN") != API_TOKEN:
            return self.answer(401, b'{"message": "User not found"}')
        return self.answer(200, fixture("connexion.json"))

    def do_GET(self):
        self.server.requests.append(
            ("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        url = urlsplit(self.path)
        if self.headers.get("Authorization") != f"Bearer {self.server.bearer}":
            return self.answer(401, b'{"code": 401, "message": "JWT Token not found"}')
        if url.path != "/api/aids/":
            return self.answer(404, b"{}")
        page = int(parse_qs(url.query).get("page", ["1"])[0])
        status, body = self.server.pages[page]
        # The real API gives its own address in ``next``: this server gives its own.
        return self.answer(status, body.replace(LIVE.encode(), self.server.url.encode()))

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def api(settings):
    server = AidesTerritoires()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AIDES_TERRITOIRES_URL = server.url
    settings.AIDES_TERRITOIRES_TOKEN = API_TOKEN
    settings.AIDES_TERRITOIRES_PERIMETER = PERIMETER
    settings.AIDES_TERRITOIRES_FILTERS = "targeted_audiences=private_sector"
    settings.FILIERE_REGION = "28"
    server.serve("aids-page-1.json", "aids-page-2.json")
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def normandy(db):
    region = RegionFactory(code="28", name="Normandie")
    for code, name in NORMANDY.items():
        DepartementFactory(code=code, name=name, region=region)
    DepartementFactory(
        code="75", name="Paris", region=RegionFactory(code="11", name="Île-de-France")
    )


def imported(source_id: str) -> AidScheme:
    return AidScheme.objects.get(source_id=source_id)


def test_the_import_creates_the_schemes_of_every_page_in_our_terms(api, normandy, run_command):
    printed, _ = run_command("import_aides_territoires")

    # Signed in with the account's token, then every page with the bearer token it gave,
    # filtered on the région and the firms.
    (method, path, headers), *pages = api.requests
    assert (method, path, headers["x-auth-token"]) == ("POST", "/api/connexion/", API_TOKEN)
    assert [parse_qs(urlsplit(p).query).get("page", ["1"]) for _m, p, _h in pages] == [["1"], ["2"]]
    first = parse_qs(urlsplit(pages[0][1]).query)
    assert first["perimeter"] == [PERIMETER]
    assert first["targeted_audiences"] == ["private_sector"]

    assert AidScheme.objects.count() == 3
    conseil = imported("158532")
    assert conseil.source == AidSource.AIDES_TERRITOIRES
    assert conseil.source_url == f"{api.url}/aides/8b1c-impulsion-conseil/"
    assert conseil.source_updated_at.isoformat() == "2026-10-02T08:21:33+00:00"
    assert not conseil.edited_here
    assert (conseil.title, conseil.promise, conseil.funder) == (
        "Impulsion Conseil",
        "Financer une prestation de conseil",
        "AD Normandie",
    )
    assert conseil.description == (
        "Prise en charge d'une partie d'une prestation de conseil externe (stratégie, "
        "numérique, export).\nTaux majoré pour les projets innovants."
    )
    assert conseil.eligibility == "PME de moins de 250 salariés, établies en Normandie."
    assert (conseil.form, conseil.level, conseil.rate) == ("grant", "regional", "30 % à 50 %")
    assert sorted(conseil.departements) == sorted(NORMANDY)
    assert conseil.themes == ["industry"]
    assert (conseil.opens_on, conseil.closes_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert conseil.url == "https://adnormandie.fr/impulsion-conseil"
    assert conseil.is_published

    loan = imported("160001")
    assert (loan.form, loan.level, loan.departements) == ("loan", "national", [])
    assert (loan.ceiling, loan.themes, loan.promise) == (Decimal("30000"), ["tourism"], "")
    call = imported("160777")
    assert (call.form, call.departements, call.themes) == ("call", ["14"], ["health"])
    assert call.description.startswith("Soutien aux projets de télésanté & de e-santé")
    assert call.rate == "jusqu'à 80 %"

    # The certificates have no form of ours: not imported, and said so.
    assert not AidScheme.objects.filter(source_id="161234").exists()
    assert "type d'aide : Certificat d'économie d'énergie (CEE)" in printed
    assert "périmètre : Caen la Mer (EPCI)" in printed
    assert "thématique : Économie / Numérique" in printed
    assert "créés: 3" in printed
    assert "doublons: 1" in printed  # the loan, listed on both pages, imported once

    run = AidImportRun.objects.get()
    assert (run.status, run.trigger, run.error) == (
        AidImportStatus.SUCCEEDED,
        AidImportTrigger.COMMAND,
        "",
    )
    assert run.counts["créés"] == 3
    assert "type d'aide : Certificat d'économie d'énergie (CEE)" in run.unknown_values


def test_a_second_run_updates_what_changed_and_unpublishes_what_the_source_dropped(
    api, normandy, run_command
):
    run_command("import_aides_territoires")
    loan_updated_at = imported("160001").updated_at
    api.serve("aids-updated.json")
    printed, _ = run_command("import_aides_territoires")

    assert AidScheme.objects.count() == 3
    conseil = imported("158532")
    assert conseil.closes_on == date(2027, 6, 30)
    assert conseil.rate == "30 % à 60 %"
    assert "RSE" in conseil.description
    assert conseil.source_updated_at.isoformat() == "2026-11-28T15:45:02+00:00"
    assert imported("160001").updated_at == loan_updated_at  # unchanged, not written
    assert not imported("160777").is_published
    assert "mis à jour: 1" in printed
    assert "inchangés: 1" in printed
    assert "dépubliés: 1" in printed

    # Listed again, it is published again.
    api.serve("aids-page-1.json", "aids-page-2.json")
    run_command("import_aides_territoires")
    assert imported("160777").is_published


def admin_edit(client, scheme: AidScheme, **changes):
    """The change form of the back office, as a programme officer with admin rights posts it."""
    data = {
        key: json.dumps(value) if isinstance(value, list) else ("" if value is None else value)
        for key, value in model_to_dict(scheme).items()
    }
    data = {k: v for k, v in data.items() if v is not False} | changes
    return client.post(reverse("admin:projects_aidscheme_change", args=[scheme.pk]), data)


def test_a_scheme_edited_here_is_never_written_over(api, normandy, run_command, client):
    run_command("import_aides_territoires")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = admin_edit(
        client, imported("158532"), eligibility="PME normandes, après avis de la CCI."
    )
    assert response.status_code == 302
    conseil = imported("158532")
    assert conseil.edited_here
    assert conseil.eligibility == "PME normandes, après avis de la CCI."

    page = client.get(reverse("projects:scheme", args=[conseil.pk])).content.decode()
    assert "source :" in page
    assert f'href="{api.url}/aides/8b1c-impulsion-conseil/"' in page
    assert "modifié ici depuis l'import" in page

    api.serve("aids-updated.json")
    printed, _ = run_command("import_aides_territoires")
    conseil.refresh_from_db()
    assert conseil.eligibility == "PME normandes, après avis de la CCI."
    assert conseil.closes_on == date(2026, 12, 31)
    assert "Gardé, modifié ici : Impulsion Conseil" in printed
    assert "gardés (modifiés ici): 1" in printed
    assert AidImportRun.objects.first().kept_edited == ["Impulsion Conseil"]

    # Editing a scheme typed here marks nothing: the import never writes it anyway.
    typed = AidScheme.objects.create(
        title="Pass Export",
        description="d",
        eligibility="e",
        form="grant",
        level="regional",
        funder="Région",
    )
    assert admin_edit(client, typed, rate="50 %").status_code == 302
    typed.refresh_from_db()
    assert (typed.rate, typed.edited_here) == ("50 %", False)


def test_a_scheme_typed_here_with_the_same_title_and_funder_is_linked_not_duplicated(
    api, normandy, run_command
):
    typed = AidScheme.objects.create(
        title="IMPULSION  conseil",
        description="Notre fiche.",
        eligibility="Nos critères.",
        form="grant",
        level="regional",
        funder="AD normandie",
    )
    printed, _ = run_command("import_aides_territoires")
    assert "doublons saisis ici (liés): 1" in printed
    assert AidScheme.objects.count() == 3
    typed.refresh_from_db()
    assert (typed.source, typed.source_id) == (AidSource.TYPED, "158532")
    assert typed.source_url == f"{api.url}/aides/8b1c-impulsion-conseil/"
    assert (typed.title, typed.description, typed.closes_on) == (
        "IMPULSION  conseil",
        "Notre fiche.",
        None,
    )

    # Found again by its id on the next run: linked again, still not written over.
    api.serve("aids-updated.json")
    printed, _ = run_command("import_aides_territoires")
    assert "doublons saisis ici (liés): 1" in printed
    typed.refresh_from_db()
    assert (typed.description, typed.closes_on, typed.is_published) == ("Notre fiche.", None, True)
    assert AidScheme.objects.filter(title__icontains="impulsion").count() == 1


@pytest.mark.parametrize(
    ("page_2", "said"),
    [
        ((500, b"<html>Internal Server Error</html>"), "le serveur a répondu 500"),
        (
            (200, b'{"count": 4, "previous": null, "next": null, "results": [{"id": 1'),
            "JSON invalide",
        ),
        (
            (
                200,
                fixture("aids-page-2.json").replace(
                    b'"submission_deadline": "2027-01-15"', b'"submission_deadline": 20270115'
                ),
            ),
            "champ « results[0].submission_deadline »",
        ),
        (
            (200, fixture("aids-page-2.json").replace(b'"id": 160777', b'"id": "160777"')),
            "champ « results[0].id »",
        ),
    ],
    ids=["server-error", "malformed-json", "wrong-type", "id-as-text"],
)
def test_a_bad_page_is_reported_where_it_is_and_nothing_is_written(
    api, normandy, run_command, page_2, said
):
    api.pages[2] = page_2
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run_command("import_aides_territoires")
    assert not AidScheme.objects.exists()
    run = AidImportRun.objects.get()
    assert run.status == AidImportStatus.FAILED
    assert said in run.error
    assert f"{api.url}/api/aids/?" in run.error
    assert "page=2" in run.error


def test_a_refused_token_is_reported_and_nothing_is_written(api, normandy, run_command, settings):
    settings.AIDES_TERRITOIRES_TOKEN = "revoked"
    with pytest.raises(CommandError):
        run_command("import_aides_territoires")
    assert (
        f"{api.url}/api/connexion/ : le serveur a répondu 401" in AidImportRun.objects.get().error
    )
    assert not AidScheme.objects.exists()


def test_a_dry_run_reads_and_counts_but_writes_nothing(api, normandy, run_command):
    printed, _ = run_command("import_aides_territoires", dry_run=True)
    assert "créés: 3" in printed
    assert "simulation" in printed
    assert not AidScheme.objects.exists()
    assert not AidImportRun.objects.exists()


def test_since_imports_only_the_aids_updated_since_and_unpublishes_nothing(
    api, normandy, run_command
):
    run_command("import_aides_territoires")
    api.serve("aids-updated.json")
    printed, _ = run_command("import_aides_territoires", since="2026-11-01")
    assert imported("158532").closes_on == date(2027, 6, 30)
    assert imported("160777").is_published  # absent from a partial listing: kept
    assert "non modifiées depuis: 2" in printed
    assert AidImportRun.objects.first().since == date(2026, 11, 1)
    with pytest.raises(CommandError, match="--since"):
        run_command("import_aides_territoires", since="01/11/2026")


def test_without_a_token_the_command_says_so_and_fails(db, run_command, settings):
    settings.AIDES_TERRITOIRES_TOKEN = ""
    with pytest.raises(CommandError, match="AIDES_TERRITOIRES_TOKEN"):
        run_command("import_aides_territoires")
    assert AidImportRun.objects.get().status == AidImportStatus.NOT_CONFIGURED


def test_the_daily_task_runs_the_import(api, normandy):
    assert (
        django_settings.CELERY_BEAT_SCHEDULE["import-aides-territoires"]["task"]
        == import_aides_territoires.name
    )
    counts = import_aides_territoires.delay().get()
    assert counts["créés"] == 3
    assert AidScheme.objects.filter(source=AidSource.AIDES_TERRITOIRES).count() == 3
    assert AidImportRun.objects.get().trigger == AidImportTrigger.DAILY


def test_the_task_not_configured_records_and_logs_it(db, settings, caplog):
    settings.AIDES_TERRITOIRES_TOKEN = ""
    assert import_aides_territoires.delay().get() == {}
    run = AidImportRun.objects.get()
    assert (run.status, run.trigger) == (AidImportStatus.NOT_CONFIGURED, AidImportTrigger.DAILY)
    assert "not configured" in caplog.text


def test_the_task_after_a_bad_answer_records_it_and_changes_nothing(api, normandy, caplog):
    api.pages[2] = (503, b"")
    assert import_aides_territoires.delay().get() == {}
    assert AidImportRun.objects.get().status == AidImportStatus.FAILED
    assert not AidScheme.objects.exists()
    assert "nothing written" in caplog.text


def test_the_programme_officers_read_the_runs_beside_the_catalogue(
    api, normandy, run_command, client, django_assert_num_queries
):
    run_command("import_aides_territoires")
    api.pages[2] = (500, b"")
    with pytest.raises(CommandError):
        run_command("import_aides_territoires")

    assert (
        "Imports depuis Aides-territoires"
        not in client.get(reverse("projects:catalogue")).content.decode()
    )
    assert client.get(reverse("projects:aid_imports")).status_code == 302  # signed in first
    client.force_login(member(OrganisationFactory(kind="firm"), Role.COMPANY_MEMBER))
    assert client.get(reverse("projects:aid_imports")).status_code == 403

    client.force_login(member(OrganisationFactory(kind="regional_council"), Role.PROGRAMME_OFFICER))
    assert (
        "Imports depuis Aides-territoires"
        in client.get(reverse("projects:catalogue")).content.decode()
    )
    # The session, the user, their roles, the rows and their count.
    with django_assert_num_queries(5):
        page = client.get(reverse("projects:aid_imports")).content.decode()
    assert "Réussi" in page
    assert "Commande" in page
    assert "créés : 3" in page
    assert "Échoué, rien n&#x27;a été écrit" in page
    assert "le serveur a répondu 500" in page


def test_python_m_filiere_without_a_token_exits_non_zero():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDES_TERRITOIRES_")}
    env["DJANGO_SETTINGS_MODULE"] = "filiere.settings.test"
    done = subprocess.run(
        [sys.executable, "-m", "filiere", "import_aides_territoires", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Import non configuré" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_python_m_filiere_imports_and_summarises(api, normandy):
    """The command as an operator runs it, on the test database (committed, read by the
    command's own process)."""
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        s = connection.settings_dict
        database_url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AIDES_TERRITOIRES_", "FILIERE_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "filiere.settings.test",
        "DATABASE_URL": database_url,
        "AIDES_TERRITOIRES_URL": api.url,
        "AIDES_TERRITOIRES_TOKEN": API_TOKEN,
        "AIDES_TERRITOIRES_PERIMETER": PERIMETER,
    }
    done = subprocess.run(
        [sys.executable, "-m", "filiere", "import_aides_territoires"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Terminé — aides lues: 5" in done.stdout
    assert "créés: 3" in done.stdout
    assert AidScheme.objects.count() == 3


def test_a_next_page_off_the_configured_server_is_refused(api, normandy, run_command):
    """The bearer token goes to the configured server only."""
    api.pages[1] = (
        200,
        fixture("aids-page-1.json").replace(LIVE.encode(), b"https://elsewhere.example"),
    )
    with pytest.raises(CommandError):
        run_command("import_aides_territoires")
    assert "https://elsewhere.example/api/aids/" in AidImportRun.objects.get().error
    assert [path for _m, path, _h in api.requests if "elsewhere" in path] == []
    assert not AidScheme.objects.exists()


def test_the_older_perimeter_shape_is_read_too(api, normandy, run_command):
    """The Django API named the perimeter « Calvados (Département) », with no scale."""
    older = fixture("aids-page-2.json").replace(
        '"perimeter": "Calvados",\n      "perimeter_scale": "Département",'.encode(),
        '"perimeter": "Calvados (Département)",'.encode(),
    )
    assert b"perimeter_scale" not in older.split(b'"id": 160001')[0]
    api.pages[2] = (200, older)
    run_command("import_aides_territoires")
    assert (imported("160777").level, imported("160777").departements) == ("regional", ["14"])
