"""Writing a contract file out, YAML or XLSX: the same rows always give the same bytes."""

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from filiere.programme.contract_file.layout import (
    CODE,
    DATE,
    PARTS,
    SLUG,
    TEXT,
    XLSX,
    Column,
    ContractFile,
    Part,
)


def contract_file_render(contract_file: ContractFile, file_format: str) -> bytes:
    """The file's bytes; the same rows always give the same bytes."""
    if file_format == XLSX:
        return _render_xlsx(contract_file)
    return _render_yaml(contract_file)


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


class _YamlDumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = _decimal_text(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YamlDumper.add_representer(Decimal, _represent_decimal)
_YamlDumper.add_representer(str, _represent_text)

YAML_HEADER = (
    "# Un contrat de filière : le format est décrit dans docs/contract-file.md.\n"
    "# python -m filiere import_contract FICHIER [--update] [--dry-run]\n"
)


def _render_yaml(contract_file: ContractFile) -> bytes:
    document: dict[str, Any] = {}
    for part in PARTS:
        if part.nested_in is not None:
            continue
        rows = contract_file.rows.get(part.name, [])
        if part.single:
            if rows:
                document[part.name] = _yaml_item(part, rows[0], contract_file)
        elif rows:
            document[part.name] = [_yaml_item(part, row, contract_file) for row in rows]
    text = yaml.dump(
        document,
        Dumper=_YamlDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return (YAML_HEADER + text).encode()


def _yaml_item(part: Part, row: dict, contract_file: ContractFile) -> dict:
    item = {
        name: value
        for name, value in row.items()
        if name != part.parent_column and value not in (None, "")
    }
    for child in PARTS:
        if child.nested_in != part.name:
            continue
        nested = [
            _yaml_item(child, child_row, contract_file)
            for child_row in contract_file.rows.get(child.name, [])
            if child.parent_column is None
            or child_row[child.parent_column] == row[child.parent_ref]
        ]
        if nested:
            item[child.yaml_key] = nested
    return item


# A fixed moment for the workbook's properties and its zip entries: the same rows give the
# same bytes (the earliest date a zip entry can hold).
FIXED_MOMENT = datetime(1980, 1, 1)


def _render_xlsx(contract_file: ContractFile) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "Filière"
    workbook.properties.created = workbook.properties.modified = FIXED_MOMENT
    bold = Font(bold=True)
    for part in PARTS:
        sheet = workbook.create_sheet(part.name)
        sheet.append(part.column_names)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in contract_file.rows.get(part.name, []):
            sheet.append([_xlsx_value(row.get(column.name)) for column in part.columns])
        for index, column in enumerate(part.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = _width(column)
            for cell in sheet[letter][1:]:
                if column.kind == DATE:
                    cell.number_format = "dd/mm/yyyy"
                elif column.kind in (TEXT, SLUG, CODE):
                    cell.number_format = "@"
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # a text, never a formula
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_zip_times(buffer.getvalue())


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = _decimal_text(value)
        return int(text) if "." not in text else Decimal(text)
    return None if value == "" else value


def _width(column: Column) -> int:
    if column.kind == TEXT and not column.max_length:
        return 60
    if column.kind == TEXT:
        return 40
    return max(len(column.name) + 4, 14)


def _fixed_zip_times(content: bytes) -> bytes:
    """The same archive with every entry dated FIXED_MOMENT (a zip entry keeps the moment
    it was written)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
