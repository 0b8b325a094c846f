"""Stream INSEE's SIRENE stock files with DuckDB: filter, validate, hand back batches.

The national establishment file has about 40 million rows: DuckDB reads it
(CSV, gzipped CSV, zipped CSV or parquet) in bounded memory, filters it on the
territory and the activity codes, and yields the rows that are kept in
batches. Problems are collected with their place in the file:

- a wrong header, an unreadable or truncated archive, a quote left open (the rest of
  the file would be one value): fatal, nothing is kept, the line said when it is known;
- a row with missing or extra columns: rejected by DuckDB with its line number;
- a row with a malformed value (SIRET, date, status): rejected, located by line;
- a row whose key (SIRET, SIREN) an earlier row of the file already has: rejected, with
  the line of that earlier row (a file applies each key once).

Line numbers count the header as line 1.
"""

import csv
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from engine.register.columns import ESTABLISHMENT_COLUMNS, LEGAL_UNIT_COLUMNS

# How many row-level problems are listed in full; the rest are only counted.
MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        text = f"{where} : {self.message}"
        if self.value is not None:
            text += f" (valeur : {self.value!r})"
        return text


@dataclass
class ReadReport:
    file: str
    rows_kept: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False

    def problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)


class RegisterFileError(Exception):
    """A file that cannot be read at all: nothing from it may be written."""

    def __init__(self, report: ReadReport):
        self.report = report
        super().__init__("\n".join(str(p) for p in report.problems))


# Establishment fields handed to the application, with the SQL that computes each.
ESTABLISHMENT_SELECT = {
    "siret": "siret",
    "siren": "siren",
    "created_on": "try_strptime(nullif(dateCreationEtablissement, ''), '%Y-%m-%d')::DATE",
    "headcount_band": "coalesce(nullif(trancheEffectifsEtablissement, ''), 'NN')",
    "is_head_office": "coalesce(etablissementSiege = 'true', false)",
    "commune_code": "coalesce(codeCommuneEtablissement, '')",
    "postcode": "coalesce(codePostalEtablissement, '')",
    "city": "coalesce(libelleCommuneEtablissement, '')",
    "street": (
        "trim(concat_ws(' ', numeroVoieEtablissement, indiceRepetitionEtablissement, "
        "typeVoieEtablissement, libelleVoieEtablissement))"
    ),
    "lambert_x": "try_cast(coordonneeLambertAbscisseEtablissement AS DOUBLE)",
    "lambert_y": "try_cast(coordonneeLambertOrdonneeEtablissement AS DOUBLE)",
    "status": "etatAdministratifEtablissement",
    "status_since": "try_strptime(nullif(dateDebut, ''), '%Y-%m-%d')::DATE",
    "name": (
        "coalesce(nullif(denominationUsuelleEtablissement, ''), nullif(enseigne1Etablissement, ''),"
        " '')"
    ),
    "naf": "coalesce(activitePrincipaleEtablissement, '')",
    "naf_nomenclature": "coalesce(nomenclatureActivitePrincipaleEtablissement, '')",
    "is_employer": "coalesce(caractereEmployeurEtablissement = 'O', false)",
}

# Each check: (source column, SQL true when the value is malformed, message).
ESTABLISHMENT_CHECKS = [
    (
        "siret",
        "NOT regexp_full_match(coalesce(siret, ''), '[0-9]{14}')",
        "SIRET de 14 chiffres attendu",
    ),
    (
        "siren",
        "coalesce(siren, '') <> left(coalesce(siret, ''), 9)",
        "le SIREN doit être le début du SIRET",
    ),
    (
        "dateCreationEtablissement",
        "dateCreationEtablissement <> ''"
        " AND try_strptime(dateCreationEtablissement, '%Y-%m-%d') IS NULL",
        "date AAAA-MM-JJ attendue",
    ),
    (
        "dateDebut",
        "dateDebut <> '' AND try_strptime(dateDebut, '%Y-%m-%d') IS NULL",
        "date AAAA-MM-JJ attendue",
    ),
    (
        "etatAdministratifEtablissement",
        "coalesce(etatAdministratifEtablissement, '') NOT IN ('A', 'F')",
        "état administratif A ou F attendu",
    ),
]

LEGAL_UNIT_SELECT = {
    "siren": "siren",
    "name": (
        "coalesce(nullif(denominationUniteLegale, ''), nullif(trim(concat_ws(' ', "
        "prenomUsuelUniteLegale, coalesce(nullif(nomUsageUniteLegale, ''), nomUniteLegale))), ''),"
        " '[ND]')"
    ),
    "acronym": "coalesce(sigleUniteLegale, '')",
    "created_on": "try_strptime(nullif(dateCreationUniteLegale, ''), '%Y-%m-%d')::DATE",
    "headcount_band": "coalesce(nullif(trancheEffectifsUniteLegale, ''), 'NN')",
    "company_category": "coalesce(categorieEntreprise, '')",
    "legal_category": "coalesce(categorieJuridiqueUniteLegale, '')",
    "naf": "coalesce(activitePrincipaleUniteLegale, '')",
    "status": "coalesce(etatAdministratifUniteLegale, '')",
    "is_ess": "coalesce(economieSocialeSolidaireUniteLegale = 'O', false)",
}

LEGAL_UNIT_CHECKS = [
    (
        "siren",
        "NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}')",
        "SIREN de 9 chiffres attendu",
    ),
    (
        "etatAdministratifUniteLegale",
        "coalesce(etatAdministratifUniteLegale, '') NOT IN ('A', 'C')",
        "état administratif A ou C attendu",
    ),
]


def _sql_text(value) -> str:
    """A SQL string literal (file paths and codes come from users)."""
    return "'" + str(value).replace("'", "''") + "'"


def _sql_list(values: Collection[str]) -> str:
    return ", ".join(_sql_text(v) for v in sorted(values))


def territory_condition(departements: Collection[str]) -> str:
    """SQL true for establishments whose commune lies in one of the départements."""
    two = [d for d in departements if len(d) == 2]
    three = [d for d in departements if len(d) == 3]
    parts = []
    if two:
        parts.append(f"left(codeCommuneEtablissement, 2) IN ({_sql_list(two)})")
    if three:
        parts.append(f"left(codeCommuneEtablissement, 3) IN ({_sql_list(three)})")
    return "(" + " OR ".join(parts) + ")" if parts else "TRUE"


class StockFile:
    """One stock file, establishments or legal units, opened for streaming reads."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, memory_limit: str = "1GB"):
        self.path = Path(path)
        self.columns = columns
        self.report = ReadReport(file=str(path))
        self.memory_limit = memory_limit

    # -- opening ---------------------------------------------------------------
    def _fatal(self, message: str, **where) -> RegisterFileError:
        self.report.fatal = True
        self.report.problems.append(Problem(str(self.path), message, **where))
        return RegisterFileError(self.report)

    @contextmanager
    def _readable(self) -> Iterator[tuple[Path, str]]:
        """The path DuckDB reads and its kind; a zip's CSV is extracted to a temporary file."""
        if not self.path.is_file():
            raise self._fatal("fichier introuvable")
        suffixes = "".join(self.path.suffixes).lower()
        if suffixes.endswith(".parquet"):
            yield self.path, "parquet"
            return
        if not suffixes.endswith(".zip"):
            yield self.path, "csv"
            return
        with tempfile.TemporaryDirectory(prefix="filiere-sirene-") as tmp:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
                    if len(members) != 1:
                        raise self._fatal("l'archive doit contenir un seul fichier CSV")
                    target = Path(tmp) / "stock.csv"
                    with archive.open(members[0]) as source, target.open("wb") as out:
                        shutil.copyfileobj(source, out, length=1 << 20)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise self._fatal(f"archive zip illisible ou tronquée ({exc})") from exc
            yield target, "csv"

    def _check_header(self, path: Path, kind: str, con) -> None:
        if kind == "parquet":
            try:
                found = tuple(
                    con.sql(f"DESCRIBE SELECT * FROM read_parquet({_sql_text(path)})").fetchall()
                )
            except duckdb.Error as exc:
                raise self._fatal(f"fichier parquet illisible ({exc})") from exc
            names = {row[0] for row in found}
            missing = [c for c in self.columns if c not in names]
            if missing:
                raise self._fatal(f"colonnes absentes : {', '.join(missing[:5])}")
            return
        opener = _open_text(path)
        try:
            with opener as handle:
                header = next(csv.reader(handle), [])
        except UnicodeDecodeError as exc:
            raise self._fatal(NOT_UTF8, line=_first_non_utf8_line(path)) from exc
        except (OSError, EOFError) as exc:
            raise self._fatal(f"fichier illisible ({exc})") from exc
        if tuple(header) != self.columns:
            for position, expected in enumerate(self.columns):
                found = header[position] if position < len(header) else None
                if found != expected:
                    raise self._fatal(
                        f"en-tête inattendu : « {expected} » attendue en colonne {position + 1}",
                        line=1,
                        column=str(position + 1),
                        value=found,
                    )
            raise self._fatal(
                f"en-tête inattendu : {len(header)} colonnes au lieu de {len(self.columns)}", line=1
            )

    def _source(self, path: Path, kind: str) -> str:
        if kind == "parquet":
            return f"read_parquet({_sql_text(path)})"
        columns = ", ".join(f"'{c}': 'VARCHAR'" for c in self.columns)
        return (
            f"read_csv({_sql_text(path)}, header = true, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{columns}}}, store_rejects = true, "
            "rejects_table = 'rejects', rejects_scan = 'reject_scans')"
        )

    def _connect(self):
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{self.memory_limit}'")
        con.execute("SET threads = 2")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        return con

    # -- reading ---------------------------------------------------------------
    def rows(
        self,
        select: dict[str, str],
        checks: list[tuple[str, str, str]],
        *,
        where: str = "TRUE",
        keys: Collection[str] = (),
        batch_size: int = 20_000,
    ) -> Iterator[list[dict]]:
        """Yield batches of kept rows (dicts of ``select``'s keys). Fills ``self.report``.

        ``where`` may name ``{keys}``: a sub-query of the ``keys`` given (SIRET or SIREN
        lists of any size, handed to DuckDB through a temporary file, not the SQL text).
        """
        with self._readable() as (path, kind), tempfile.TemporaryDirectory() as tmp:
            keys_file = Path(tmp) / "keys.csv"
            keys_file.write_text("".join(f"{key}\n" for key in keys))
            where = where.replace(
                "{keys}",
                f"(SELECT k FROM read_csv({_sql_text(keys_file)}, header = false, "
                "columns = {'k': 'VARCHAR'}))",
            )
            con = self._connect()
            try:
                self._check_header(path, kind, con)
                yield from self._stream(con, path, kind, select, checks, where, batch_size)
            finally:
                con.close()

    def _stream(self, con, path, kind, select, checks, where, batch_size):
        problem_sql = " ".join(f"WHEN {test} THEN {i}" for i, (_c, test, _m) in enumerate(checks))
        key = checks[0][0]
        seen: set[str] = set()
        duplicates: set[str] = set()
        query = (
            f"SELECT {', '.join(f'{sql} AS {name}' for name, sql in select.items())}, "
            f"CASE {problem_sql} ELSE NULL END AS _problem, {key} AS _key "
            f"FROM {self._source(path, kind)} WHERE {where}"
        )
        names = [*select, "_problem", "_key"]
        bad: list[tuple[str, int]] = []
        try:
            result = con.execute(query)
            while chunk := result.fetchmany(batch_size):
                batch = []
                for values in chunk:
                    row = dict(zip(names, values, strict=True))
                    if row["_problem"] is not None:
                        bad.append((row["_key"], row["_problem"]))
                    elif row["_key"] in seen:
                        duplicates.add(row["_key"])
                        self.report.rows_rejected += 1
                    else:
                        seen.add(row["_key"])
                        del row["_problem"], row["_key"]
                        batch.append(row)
                self.report.rows_kept += len(batch)
                if batch:
                    yield batch
        except duckdb.Error as exc:
            if kind == "csv":
                structural = _first_structural_problem(path, len(self.columns))
                if structural is not None:
                    line, message = structural
                    raise self._fatal(message, line=line) from exc
            said = str(exc).strip().splitlines() or [type(exc).__name__]
            raise self._fatal(f"lecture impossible ({said[0]})") from exc
        if kind == "csv":
            self._collect_rejects(con)
        self._locate(path, kind, bad, checks)
        self._locate_duplicates(path, kind, key, duplicates)

    def _collect_rejects(self, con) -> None:
        rows = con.execute(
            "SELECT line, column_name, error_type, error_message FROM rejects "
            "QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1 ORDER BY line"
        ).fetchall()
        self.report.rows_rejected += len(rows)
        for line, column, error_type, message in rows:
            text = {
                "MISSING COLUMNS": "colonnes manquantes (ligne tronquée ?)",
                "TOO MANY COLUMNS": "colonnes en trop",
                "UNQUOTED VALUE": "guillemets mal fermés",
                "INVALID UNICODE": "caractères non UTF-8",
            }.get(error_type, message)
            self.report.problem(Problem(str(self.path), text, line=int(line), column=column))

    def _locate(self, path, kind, bad, checks) -> None:
        """Give the malformed rows their line numbers (one more pass, only when there are any)."""
        if not bad:
            return
        self.report.rows_rejected += len(bad)
        wanted = dict(bad[:MAX_LISTED_PROBLEMS])
        lines: dict[str, tuple[int, dict]] = {}
        if kind == "csv":
            with _open_text(path) as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    key = row.get(checks[0][0])
                    if key in wanted and key not in lines:
                        lines[key] = (reader.line_num, row)
                        if len(lines) == len(wanted):
                            break
        for key, check_index in wanted.items():
            column, _test, message = checks[check_index]
            line, row = lines.get(key, (None, {}))
            self.report.problem(
                Problem(
                    str(self.path), message, line=line, column=column, value=row.get(column, key)
                )
            )

    def _locate_duplicates(self, path, kind, key: str, duplicates: set[str]) -> None:
        """Say, for each key met again, the lines of the rows rejected and of the first one."""
        if not duplicates:
            return
        if kind != "csv":
            for value in sorted(duplicates)[:MAX_LISTED_PROBLEMS]:
                self.report.problem(
                    Problem(str(self.path), "en double dans le fichier", column=key, value=value)
                )
            return
        first: dict[str, int] = {}
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                value = row.get(key)
                if value not in duplicates:
                    continue
                if value not in first:
                    first[value] = reader.line_num
                    continue
                self.report.problem(
                    Problem(
                        str(self.path),
                        f"{key} en double : déjà à la ligne {first[value]}",
                        line=reader.line_num,
                        column=key,
                        value=value,
                    )
                )


def _first_structural_problem(path: Path, width: int) -> tuple[int, str] | None:
    """The first line that breaks the CSV's structure, read with Python's csv module: a quote
    left open (the line where its record starts), or a row of the wrong width."""
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle, strict=True)
            start = 1
            for row in reader:
                if len(row) != width and row:
                    return start, f"{len(row)} colonnes au lieu de {width}"
                start = reader.line_num + 1
    except csv.Error:
        return start, "guillemet ouvert et jamais fermé : la suite du fichier ferait une valeur"
    except UnicodeDecodeError:
        return _first_non_utf8_line(path), NOT_UTF8
    return None


NOT_UTF8 = "caractères qui ne sont pas de l'UTF-8 : le fichier doit être enregistré en UTF-8"


def _first_non_utf8_line(path: Path) -> int | None:
    if str(path).lower().endswith(".gz"):
        return None
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _open_text(path: Path):
    if str(path).lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")  # noqa: SIM115 (a context manager for callers)


def establishments(
    path: Path,
    *,
    departements: Collection[str] = (),
    communes: Collection[str] = (),
    naf_codes: Collection[str] = (),
    known_sirets: Collection[str] = (),
    batch_size: int = 20_000,
) -> tuple[StockFile, Iterator[list[dict]]]:
    """The establishments of a territory (and activities) in a stock file, in batches.

    ``known_sirets`` are kept wherever they now are, so that an establishment that
    moved out of the territory, or changed activity, is updated rather than forgotten.
    """
    stock = StockFile(path, ESTABLISHMENT_COLUMNS)
    where = territory_condition(departements)
    if communes:
        where += f" AND codeCommuneEtablissement IN ({_sql_list(communes)})"
    if naf_codes:
        where += f" AND activitePrincipaleEtablissement IN ({_sql_list(naf_codes)})"
    if known_sirets:
        where = f"({where}) OR siret IN {{keys}}"
    rows = stock.rows(
        ESTABLISHMENT_SELECT,
        ESTABLISHMENT_CHECKS,
        where=where,
        keys=known_sirets,
        batch_size=batch_size,
    )
    return stock, rows


def legal_units(
    path: Path, *, sirens: Collection[str] | None = None, batch_size: int = 20_000
) -> tuple[StockFile, Iterator[list[dict]]]:
    """The legal units of a stock file; only the listed SIRENs when a list is given."""
    stock = StockFile(path, LEGAL_UNIT_COLUMNS)
    where = "TRUE" if sirens is None else "siren IN {keys}"
    rows = stock.rows(
        LEGAL_UNIT_SELECT,
        LEGAL_UNIT_CHECKS,
        where=where,
        keys=sirens or (),
        batch_size=batch_size,
    )
    return stock, rows
