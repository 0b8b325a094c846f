"""backup and restore: what the platform holds (rows of several apps, a project's document)
comes back whole into an empty database and an empty storage, on SQLite and PostgreSQL."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from filiere.common.backups import database_state
from filiere.projects.documents import check_document
from filiere.projects.services.follow_up import document_add
from tests.factories import CommitmentFactory, PaymentFactory, ThirdPlaceFactory
from tests.projects.conftest import bare_draft
from tests.worlds import innovation_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def empty_database(tmp_path: Path):
    """The address of a new database, empty, on the server the tests use."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"filiere_restore_{uuid.uuid4().hex[:12]}"
    admin = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with closing(psycopg.connect(dbname="postgres", autocommit=True, **admin)) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        yield f"postgres://{params['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with closing(psycopg.connect(dbname="postgres", autocommit=True, **admin)) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts_in(database_url: str) -> dict[str, int]:
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return database_state(db.cursor(), tables).counts
    with closing(psycopg.connect(database_url)) as db, db.cursor() as cursor:
        return database_state(cursor, connection.introspection.table_names(cursor)).counts


def restore(archive: Path, database_url: str, media: Path, *options: str):
    """``python -m filiere restore`` as an administrator runs it, with production settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FILIERE_", "DJANGO_", "SENTRY_", "AWS_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "filiere.settings.base",
        "DJANGO_SECRET_KEY": "restore-test-not-secret-" + "x" * 40,
        "DATABASE_URL": database_url,
        "FILIERE_MEDIA_ROOT": str(media),
        "FILIERE_VAR_DIR": str(media.parent / "var"),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "filiere", "restore", str(archive), *options],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_comes_back_whole_into_an_empty_database(tmp_path, settings, run_command):
    settings.MEDIA_ROOT = tmp_path / "media"
    iw = innovation_world()
    project = bare_draft(iw)
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    document = document_add(project=project, user=iw.lead_member, document=check_document(upload))
    PaymentFactory(commitment=CommitmentFactory())
    ThirdPlaceFactory()

    archive = tmp_path / "filiere.tar.gz"
    out, _err = run_command("backup", out=str(archive))
    assert "Terminé" in out
    with connection.cursor() as cursor:
        expected = database_state(cursor, connection.introspection.table_names(cursor)).counts
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == expected
    assert manifest["migrations"]["projects"]
    assert [f["name"] for f in manifest["files"]] == [document.file.name]
    for table in ["accounts_user", "projects_project", "programme_payment"]:
        assert expected[table] > 0, table

    restored_media = tmp_path / "restored-media"
    with empty_database(tmp_path) as database_url:
        result = restore(archive, database_url, restored_media)
        assert result.returncode == 0, result.stderr
        assert "restaurée et vérifiée" in result.stdout
        assert counts_in(database_url) == expected
        assert (restored_media / document.file.name).read_bytes() == PDF

        # Into a database that is no longer empty, nothing happens without --force.
        again = restore(archive, database_url, restored_media)
        assert again.returncode != 0
        assert "n'est pas vide" in again.stderr
        assert "Rien n'a été modifié" in again.stderr
        assert counts_in(database_url) == expected
