"""The SIRENE import pipeline, the directory's bulk write.

read (engine.register, streaming) → validate (located problems) → map (current
commune codes, coordinates), kept on local disk → upsert by SIRET / SIREN in one
transaction → report. ``register_import`` runs it all; a background import
(``observatory.tasks``) runs the read and the write apart, to say how far it is.
"""

import pickle
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from engine.geo import lambert93_to_wgs84
from engine.register import reader
from filiere.accounts.models import Organisation
from filiere.directory.models import Establishment, LegalUnit, RegisterImport
from filiere.territory.models import Commune
from filiere.territory.selectors import former_commune_codes

# Column order of the rows written by the import (``_establishment`` builds them).
ESTABLISHMENT_COLUMNS = [
    "siret", "siren", "name", "naf", "headcount_band", "is_head_office", "is_employer",
    "created_on", "status", "status_since", "closed_on", "commune_code", "commune",
    "departement_code", "postcode", "city", "street", "latitude", "longitude", "is_demo",
    "updated_at",
]  # fmt: skip
# Fields the reader gives that are stored as they are.
DIRECT_COLUMNS = [
    "siret", "siren", "headcount_band", "is_head_office", "is_employer", "created_on",
    "status", "status_since",
]  # fmt: skip
# The reader's legal-unit fields, then the two the import adds.
LEGAL_UNIT_COLUMNS = [*reader.LEGAL_UNIT_SELECT, "is_demo", "updated_at"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    # Legal units created or changed.
    legal_units: int = 0
    kept: int = 0
    rejected: int = 0
    problems: list[reader.Problem] = field(default_factory=list)
    record: RegisterImport | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.legal_units)


class RejectedRows(Exception):
    """Rows were rejected and the caller did not accept to write the others."""

    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__(f"{result.rejected} rejected {'row' if result.rejected == 1 else 'rows'}")


def departement_of(commune_code: str) -> str:
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


class _CommuneMapper:
    """Register commune codes (possibly pre-merger) → current communes and their centroids."""

    def __init__(self):
        self.communes = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Commune.objects.current().values_list(
                "code", "id", "latitude", "longitude"
            )
        }
        self.former = former_commune_codes()

    def __call__(self, code: str) -> tuple[str, tuple | None]:
        # A split commune's old code has no single answer: it is kept as the register gave it.
        current = self.former.get(code, code) or code
        return current, self.communes.get(current)


def _establishment(row: dict, mapper: _CommuneMapper, is_demo: bool, now) -> tuple:
    """One register row as the values of ``ESTABLISHMENT_COLUMNS``, in that order."""
    code, commune = mapper(row["commune_code"])
    latitude = longitude = None
    if row["lambert_x"] and row["lambert_y"]:
        latitude, longitude = lambert93_to_wgs84(row["lambert_x"], row["lambert_y"])
    elif commune:
        latitude, longitude = commune[1], commune[2]
    closed = row["status"] == "F"
    values = {
        **{name: row[name] for name in DIRECT_COLUMNS},
        "name": row["name"][:255],
        "naf": row["naf"][:6],
        "closed_on": (row["status_since"] or row["created_on"]) if closed else None,
        "commune_code": code,
        "commune": commune[0] if commune else None,
        "departement_code": departement_of(code),
        "postcode": row["postcode"][:5],
        "city": row["city"][:100],
        "street": row["street"][:255],
        "latitude": latitude,
        "longitude": longitude,
        "is_demo": is_demo,
        "updated_at": now,
    }
    return tuple(values[name] for name in ESTABLISHMENT_COLUMNS)


def _upsert(
    model, key: str, columns: list[str], rows: list[tuple], insert_only: dict | None = None
) -> int:
    """INSERT … ON CONFLICT (key) DO UPDATE, straight from tuples (SQLite and PostgreSQL);
    returns how many rows were inserted or changed.

    The ORM's bulk_create would build a model instance per row first: at millions of
    rows that is most of the import's time. A row whose values are already those of the
    file is left as it is (its ``updated_at`` too): an identical re-run changes nothing.
    ``insert_only`` gives values for new rows that an update leaves alone (what members
    wrote on their profile, say).
    """
    insert_only = insert_only or {}
    table = model._meta.db_table
    names = [model._meta.get_field(c).column for c in columns]
    quote = connection.ops.quote_name
    all_names = [*names, *(model._meta.get_field(c).column for c in insert_only)]
    placeholders = ", ".join(["%s"] * len(all_names))
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != key)
    compared = [n for n in names if n not in (key, "updated_at")]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    stored = ", ".join(f"{quote(table)}.{quote(n)}" for n in compared)
    given = ", ".join(f"excluded.{quote(n)}" for n in compared)
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in all_names)}) "
        f"VALUES ({placeholders}) ON CONFLICT ({quote(key)}) DO UPDATE SET {updates} "
        f"WHERE ({stored}) {differs} ({given})"
    )
    extra = tuple(insert_only.values())
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, *extra) for row in rows] if extra else rows)
        return cursor.rowcount


def register_import(
    *,
    establishment_files: list[Path],
    legal_unit_files: list[Path],
    departements: Collection[str],
    communes: Collection[str] = (),
    naf_codes: Collection[str] = (),
    territory_label: str,
    sector_label: str = "",
    accept_rejected_rows: bool = False,
    is_demo: bool = False,
    batch_size: int = 20_000,
    on_batch: Callable[[int], None] = lambda n: None,
) -> ImportResult:
    """Import establishments (and their legal units) of a territory: ``register_read`` then
    ``register_write``, the kept rows waiting in a temporary directory between the two.

    A fatal problem (unreadable file, wrong header) raises ``reader.RegisterFileError``
    and writes nothing. Rejected rows raise ``RejectedRows`` and write nothing, unless
    ``accept_rejected_rows``: then the good rows are written and the problems reported.
    """
    with tempfile.TemporaryDirectory(prefix="filiere-register-") as spool:
        read = register_read(
            establishment_files=establishment_files,
            legal_unit_files=legal_unit_files,
            departements=departements,
            communes=communes,
            naf_codes=naf_codes,
            is_demo=is_demo,
            spool=Path(spool),
            batch_size=batch_size,
            on_batch=on_batch,
        )
        return register_write(
            read,
            territory_label=territory_label,
            sector_label=sector_label,
            accept_rejected_rows=accept_rejected_rows,
        )


@dataclass
class RegisterRead:
    """What ``register_read`` kept, in files of its spool directory, for ``register_write``."""

    files: list[Path]
    departements: Collection[str]
    communes: Collection[str]
    is_demo: bool
    with_legal_units: bool
    establishments: Path
    legal_units: Path
    result: ImportResult


def register_read(
    *,
    establishment_files: list[Path],
    legal_unit_files: list[Path],
    departements: Collection[str],
    communes: Collection[str] = (),
    naf_codes: Collection[str] = (),
    is_demo: bool = False,
    spool: Path,
    batch_size: int = 20_000,
    on_batch: Callable[[int], None] = lambda n: None,
) -> RegisterRead:
    """Read, check and map every row of the files, writing nothing to the database: the kept
    rows wait in ``spool`` (a local directory) for ``register_write``.

    The read is most of an import's time (a national stock is read whole); holding no
    transaction meanwhile, it leaves the database free for others (on SQLite, a transaction
    that writes holds the whole file) and lets a background import say how far it is.
    ``on_batch`` is told the rows of each batch kept; what it raises stops the read.
    """
    now = timezone.now()
    known = Establishment.objects.filter(departement_code__in=departements)
    if communes:
        known = known.filter(commune_code__in=communes)
    read = RegisterRead(
        files=[*establishment_files, *legal_unit_files],
        departements=departements,
        communes=communes,
        is_demo=is_demo,
        with_legal_units=bool(legal_unit_files),
        establishments=spool / "establishments.pickle",
        legal_units=spool / "legal_units.pickle",
        result=ImportResult(),
    )
    known_sirets = set(known.values_list("siret", flat=True))
    mapper = _CommuneMapper()
    sirens: set[str] = set()
    with read.establishments.open("wb") as out:
        for path in establishment_files:
            stock, batches = reader.establishments(
                path,
                departements=departements,
                communes=communes,
                naf_codes=naf_codes,
                known_sirets=known_sirets,
                batch_size=batch_size,
            )
            with closing(batches):
                for batch in batches:
                    sirens.update(row["siren"] for row in batch)
                    pickle.dump(
                        [_establishment(row, mapper, is_demo, now) for row in batch],
                        out,
                        protocol=pickle.HIGHEST_PROTOCOL,
                    )
                    on_batch(len(batch))
            _collect(read.result, stock.report)
    with read.legal_units.open("wb") as out:
        for path in legal_unit_files:
            stock, batches = reader.legal_units(path, sirens=sirens, batch_size=batch_size)
            with closing(batches):
                for batch in batches:
                    pickle.dump(
                        [(*row.values(), is_demo, now) for row in batch],
                        out,
                        protocol=pickle.HIGHEST_PROTOCOL,
                    )
            _collect(read.result, stock.report)
    return read


def _spooled(path: Path) -> Iterator[list[tuple]]:
    """The batches ``register_read`` wrote to ``path``, in order (the spool is our own file)."""
    with path.open("rb") as spool:
        while True:
            try:
                yield pickle.load(spool)
            except EOFError:
                return


@transaction.atomic
def register_write(
    read: RegisterRead,
    *,
    territory_label: str,
    sector_label: str = "",
    accept_rejected_rows: bool = False,
    on_batch: Callable[[int], None] = lambda n: None,
) -> ImportResult:
    """Upsert what ``register_read`` kept, in one transaction; rejected rows raise
    ``RejectedRows`` before anything is written, unless ``accept_rejected_rows``."""
    result = read.result
    if result.rejected and not accept_rejected_rows:
        raise RejectedRows(result)
    known = Establishment.objects.filter(departement_code__in=read.departements)
    if read.communes:
        known = known.filter(commune_code__in=read.communes)
    previous = dict(known.values_list("siret", "status"))
    for values in _spooled(read.establishments):
        changed = _upsert(Establishment, "siret", ESTABLISHMENT_COLUMNS, values)
        _count(result, previous, values, changed)
        on_batch(len(values))
    for values in _spooled(read.legal_units):
        result.legal_units += _upsert(
            LegalUnit,
            "siren",
            LEGAL_UNIT_COLUMNS,
            values,
            insert_only={"description": "", "website": "", "contact_email": ""},
        )
    if read.with_legal_units:
        # A platform organisation with the same SIREN owns the directory's entry.
        LegalUnit.objects.filter(
            organisation__isnull=True,
            siren__in=Organisation.objects.exclude(siren="").values("siren"),
        ).update(
            organisation=Subquery(
                Organisation.objects.filter(siren=OuterRef("siren")).values("id")[:1]
            )
        )
        Establishment.objects.filter(
            legal_unit__isnull=True, siren__in=LegalUnit.objects.values("siren")
        ).update(
            legal_unit=Subquery(LegalUnit.objects.filter(siren=OuterRef("siren")).values("id")[:1])
        )
    if not result.changed:
        return result  # the register already says what the files say: nothing to record
    result.record = RegisterImport.objects.create(
        files=[str(p) for p in read.files],
        territory=territory_label,
        sector=sector_label,
        establishments_created=result.created,
        establishments_updated=result.updated,
        establishments_closed=result.closed,
        legal_units=result.legal_units,
        rows_rejected=result.rejected,
        report=[str(p) for p in result.problems],
        is_demo=read.is_demo,
    )
    return result


_SIRET = ESTABLISHMENT_COLUMNS.index("siret")
_STATUS = ESTABLISHMENT_COLUMNS.index("status")


def _count(result: ImportResult, previous: dict[str, str], batch: list[tuple], changed: int):
    """Created (new SIRETs), closed (active before, closed now), updated (the other rows the
    database changed) and unchanged (already as the file says)."""
    created = 0
    for row in batch:
        before = previous.get(row[_SIRET])
        if before is None:
            created += 1
        elif before == "A" and row[_STATUS] == "F":
            result.closed += 1
    result.created += created
    result.updated += changed - created
    result.unchanged += len(batch) - changed


def _collect(result: ImportResult, report: reader.ReadReport) -> None:
    result.kept += report.rows_kept
    result.rejected += report.rows_rejected
    result.problems += report.problems
