"""Backups of the platform: the database and every stored document in one .tar.gz with a
manifest, and their restoration into an empty database, checked against that manifest.

The archive holds ``manifest.json`` (format, database vendor, the last migration applied per
app, the rows of every table, each document's size and SHA-256), the database (``pg_dump``'s
custom format, or a copy made by SQLite's online backup) and the documents under ``media/``.
Both copies are consistent while the site runs: PostgreSQL's rows are counted in the snapshot
pg_dump reads, SQLite's in the copy itself.
"""

import hashlib
import io
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection, connections
from django.utils import timezone
from psycopg import IsolationLevel

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restoration that cannot go on; the message says why, and what was left."""


@dataclass(frozen=True)
class DatabaseState:
    migrations: dict[str, str]
    counts: dict[str, int]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_state(cursor, tables: list[str]) -> DatabaseState:
    """The last migration applied per app and the rows of each table, read through ``cursor``
    (a DB-API cursor: Django's or sqlite3's)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    return DatabaseState(migrations=migrations, counts=counts)


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [name for (name,) in rows]


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """The connection parameters for pg_dump and pg_restore, in libpq's environment variables:
    never on a command line, where `ps` and the logs would show the password."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()}")


def _dump_database(target: Path) -> DatabaseState:
    """Copy the database to ``target``; the state returned is that of the copy."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        with (
            closing(sqlite3.connect(settings_dict["NAME"])) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
            return database_state(copy.cursor(), _sqlite_tables(copy))
    # pg_dump reads the snapshot that a transaction of our own exports, where the rows are
    # counted; a connection apart from Django's, whose transactions the callers own.
    with closing(connection.get_new_connection(connection.get_connection_params())) as db:
        db.isolation_level = IsolationLevel.REPEATABLE_READ
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_environment(settings_dict),
            )
            return database_state(cursor, connection.introspection.table_names(cursor))


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file of ``storage``, folder by folder (listdir works on disk and in a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from storage_names(storage, posixpath.join(folder, sub) if folder else sub)


class _Hashing:
    """A file read through, counting its SHA-256 as tarfile copies it."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while data := handle.read(CHUNK):
        digest.update(data)
    return digest.hexdigest()


def backup_create(*, out: Path, storage: Storage, progress: Progress) -> dict:
    """Write the database, every file of ``storage`` and the manifest to ``out`` (.tar.gz);
    return the manifest. ``out`` appears only once complete."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Base {connection.vendor} : seules PostgreSQL et SQLite.")
    partial = out.with_name(out.name + ".partial")
    try:
        manifest = _write_archive(partial, storage, progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return manifest


def _write_archive(partial: Path, storage: Storage, progress: Progress) -> dict:
    with tempfile.TemporaryDirectory(prefix="filiere-backup-") as work:
        database_file = DATABASE_FILES[connection.vendor]
        progress("base de données")
        state = _dump_database(Path(work) / database_file)
        files = []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / database_file, arcname=database_file)
            for name in storage_names(storage):
                progress(name)
                info = tarfile.TarInfo(f"{MEDIA}/{name}")
                info.size = storage.size(name)
                info.mtime = int(timezone.now().timestamp())
                with storage.open(name, "rb") as handle:
                    hashing = _Hashing(handle)
                    archive.addfile(info, hashing)
                sha256 = hashing.sha256.hexdigest()
                files.append({"name": name, "size": info.size, "sha256": sha256})
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "vendor": connection.vendor,
                "database_file": database_file,
                "migrations": state.migrations,
                "tables": state.counts,
                "files": files,
            }
            content = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(content)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(content))
    return manifest


@contextmanager
def opened_backup(path: Path) -> Iterator[tuple[dict, Path]]:
    """The manifest and the folder where the archive is unpacked, checked: a known format and
    every file it lists present."""
    with tempfile.TemporaryDirectory(prefix="filiere-restore-") as work:
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(work, filter="data")
            manifest = json.loads((Path(work) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, tarfile.TarError, ValueError) as exc:
            raise BackupError(f"{path} n'est pas une sauvegarde lisible : {exc}") from exc
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                f"Format de sauvegarde {manifest.get('format')!r} inconnu "
                f"(cette version lit le format {FORMAT_VERSION})."
            )
        missing = [
            name
            for name in [manifest["database_file"]]
            + [f"{MEDIA}/{entry['name']}" for entry in manifest["files"]]
            if not (Path(work) / name).is_file()
        ]
        if missing:
            raise BackupError(f"Sauvegarde incomplète, il manque : {', '.join(missing)}")
        yield manifest, Path(work)


def _current_state() -> DatabaseState:
    with connection.cursor() as cursor:
        return database_state(cursor, connection.introspection.table_names(cursor))


def _refusals(manifest: dict, storage: Storage) -> list[str]:
    """Why the restoration would overwrite something: a database with rows, a document of the
    same name with another content."""
    reasons = []
    filled = {table: rows for table, rows in _current_state().counts.items() if rows}
    if filled:
        reasons.append(
            f"La base visée n'est pas vide ({len(filled)} tables ont des lignes, "
            f"dont {', '.join(sorted(filled)[:3])})."
        )
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if _sha256(handle) != entry["sha256"]:
                    reasons.append(f"Le document {name} existe déjà avec un autre contenu.")
    return reasons


def _restore_database(manifest: dict, work: Path) -> None:
    dump = work / manifest["database_file"]
    settings_dict = dict(connection.settings_dict)
    connections.close_all()
    if connection.vendor == "sqlite":
        with (
            closing(sqlite3.connect(dump)) as source,
            closing(sqlite3.connect(settings_dict["NAME"])) as target,
        ):
            source.backup(target)
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings_dict['NAME']}",
                str(dump),
            ],
            _pg_environment(settings_dict),
        )


def _restore_files(manifest: dict, work: Path, storage: Storage, progress: Progress) -> None:
    for entry in manifest["files"]:
        name = entry["name"]
        progress(name)
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if _sha256(handle) == entry["sha256"]:
                    continue
            storage.delete(name)
        with (work / MEDIA / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"Le stockage a enregistré {name} sous le nom {saved}.")


def _differences(manifest: dict, storage: Storage) -> list[str]:
    """What the restored platform holds otherwise than the manifest says."""
    differences = []
    counts = _current_state().counts
    for table, rows in manifest["tables"].items():
        if counts.get(table) != rows:
            differences.append(f"table {table} : {counts.get(table)} lignes, {rows} attendues")
    for entry in manifest["files"]:
        if not storage.exists(entry["name"]):
            differences.append(f"document {entry['name']} absent")
            continue
        with storage.open(entry["name"], "rb") as handle:
            if _sha256(handle) != entry["sha256"]:
                differences.append(f"document {entry['name']} : contenu différent")
    return differences


def backup_restore(*, path: Path, storage: Storage, force: bool, progress: Progress) -> dict:
    """Restore the backup at ``path`` into this database and ``storage``, then check every
    table's rows and every document's SHA-256; return the manifest. Without ``force`` nothing
    is changed if the database has rows or a document would be overwritten."""
    with opened_backup(path) as (manifest, work):
        progress("vérifications")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"La sauvegarde est celle d'une base {manifest['vendor']}, la base visée est "
                f"{connection.vendor} : rien n'a été modifié."
            )
        refusals = _refusals(manifest, storage)
        if refusals and not force:
            raise BackupError(
                " ".join(refusals) + " Rien n'a été modifié : restaurez dans une base neuve, "
                "ou ajoutez --force pour remplacer ce qu'elle contient."
            )
        progress("base de données")
        _restore_database(manifest, work)
        _restore_files(manifest, work, storage, progress)
    progress("contrôle")
    differences = _differences(manifest, storage)
    if differences:
        raise BackupError("La restauration diffère de la sauvegarde : " + " ; ".join(differences))
    return manifest
