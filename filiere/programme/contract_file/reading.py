"""Reading a contract file: the format's own structure (sheets and rows, or the YAML document
with its lines) to rows, then each cell, then the rows together."""

import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
import yaml
from openpyxl.utils import get_column_letter

from filiere.common.command import InputErrors
from filiere.programme.contract_file.cells import check_cells
from filiere.programme.contract_file.checks import check_single_parts, cross_check
from filiere.programme.contract_file.layout import (
    FORMATS,
    PART_BY_NAME,
    PARTS,
    XLSX,
    ContractFile,
    Part,
    Problems,
    Row,
)


def contract_file_format(name: str) -> str | None:
    """The format a file name says (its extension), or None."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return FORMATS.get(suffix)


def contract_file_read(*, content: bytes, name: str) -> ContractFile:
    """The checked rows of a contract file; raises InputErrors with every problem."""
    problems = Problems(name)
    file_format = contract_file_format(name)
    if file_format is None:
        problems.add(
            "format inconnu : le nom du fichier doit finir par .yaml, .yml ou .xlsx", at={}
        )
        raise InputErrors(problems.errors)
    reader = _xlsx_rows if file_format == XLSX else _yaml_rows
    rows = reader(content, problems)
    if rows is None:
        raise InputErrors(problems.errors)
    for part_rows in rows.values():
        for row in part_rows:
            check_cells(row, problems)
    check_single_parts(rows, file_format, problems)
    cross_check(rows, problems)
    if problems.errors:
        # A parent's problem is also its nested rows' (YAML): said once.
        raise InputErrors(list(dict.fromkeys(problems.errors)))
    contract = rows["contrat"][0]
    return ContractFile(
        {name: [row.values for row in rows[name]] for name in PART_BY_NAME},
        source=name,
        contract_cells={column: contract.where(column) for column in contract.values},
    )


def _xlsx_rows(content: bytes, problems: Problems) -> dict[str, list[Row]] | None:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        problems.add(f"ce n'est pas un classeur XLSX lisible ({exc.__class__.__name__})", at={})
        return None
    rows: dict[str, list[Row]] = {part.name: [] for part in PARTS}
    try:
        for part in PARTS:
            if part.name not in workbook.sheetnames:
                problems.add(f"feuille « {part.name} » absente", at={})
                problems.incomplete.add(part.name)
                continue
            rows[part.name] = list(_sheet_rows(part, workbook[part.name], problems))
    finally:
        workbook.close()
    return rows


def _sheet_rows(part: Part, sheet, problems: Problems) -> Iterator[Row]:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, ())
    names: list[str | None] = []
    for index, title in enumerate(header, start=1):
        name = str(title).strip().lower() if title is not None else ""
        at = {"sheet": part.name, "line": 1, "field": name or get_column_letter(index)}
        if not name:
            names.append(None)
        elif name not in part.column_names:
            problems.add(
                f"colonne inconnue ; les colonnes sont : {', '.join(part.column_names)}", at=at
            )
            names.append(None)
        elif name in names:
            problems.add("colonne en double", at=at)
            names.append(None)
        else:
            names.append(name)
    missing = [c.name for c in part.columns if c.required and c.name not in names]
    for name in missing:
        problems.add(
            "colonne obligatoire absente", at={"sheet": part.name, "line": 1, "field": name}
        )
    if missing:
        problems.incomplete.add(part.name)
        return
    for line, values in enumerate(lines, start=2):
        cells = {}
        for index, value in enumerate(values):
            if isinstance(value, str):
                value = value.strip() or None
            name = names[index] if index < len(names) else None
            if name is None:
                if value is not None:
                    problems.add(
                        "valeur hors des colonnes nommées",
                        at={
                            "sheet": part.name,
                            "line": line,
                            "field": get_column_letter(index + 1),
                        },
                        value=value,
                    )
                continue
            cells[name] = value
        if all(value is None for value in cells.values()):
            continue
        yield Row(
            part,
            {"sheet": part.name, "line": line},
            cells,
            {name: {"sheet": part.name, "line": line, "field": name} for name in part.column_names},
        )


class _YamlLoader(yaml.SafeLoader):
    """Reads decimals exactly (``0.1`` is Decimal("0.1"), never a float)."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


_YamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _yaml_rows(content: bytes, problems: Problems) -> dict[str, list[Row]] | None:
    try:
        text = content.decode("utf-8-sig")
        document = yaml.compose(text, Loader=_YamlLoader)
    except UnicodeDecodeError:
        problems.add("ce n'est pas un texte YAML (UTF-8)", at={})
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        problems.add(f"YAML illisible : {reason}", at={"line": mark.line + 1} if mark else {})
        return None
    if not isinstance(document, yaml.MappingNode):
        problems.add("le document doit être un dictionnaire (contrat:, organisations:…)", at={})
        return None
    scalars = _YamlLoader("")
    rows: dict[str, list[Row]] = {part.name: [] for part in PARTS}
    top = [part for part in PARTS if part.nested_in is None]
    mapping = _yaml_mapping(document, "", scalars, problems, {p.name for p in top})
    for part in top:
        node = mapping.get(part.name)
        if node is None:
            continue
        _yaml_part(part, node, part.name, None, scalars, problems, rows)
    return rows


def _yaml_mapping(
    node, path: str, scalars, problems: Problems, allowed: set[str]
) -> dict[str, Any]:
    """A mapping node's children by key; unknown or repeated keys are problems."""
    children: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(scalars.construct_object(key_node))
        at = {"path": f"{path}.{key}" if path else key, "line": key_node.start_mark.line + 1}
        if key not in allowed:
            problems.add(f"clé inconnue ; les clés sont : {', '.join(sorted(allowed))}", at=at)
        elif key in children:
            problems.add("clé en double", at=at)
        else:
            children[key] = value_node
    return children


def _yaml_part(part: Part, node, path: str, parent: Row | None, scalars, problems, rows) -> None:
    """The rows of a part at ``node`` (a mapping for a single part, else a list of them) and
    of the parts nested in them; an empty value gives none."""
    if isinstance(node, yaml.ScalarNode) and scalars.construct_object(node) in (None, ""):
        return
    if part.single:
        items = [(path, node)]
    elif isinstance(node, yaml.SequenceNode):
        items = [(f"{path}[{index}]", child) for index, child in enumerate(node.value)]
    else:
        problems.add("une liste est attendue", at={"path": path, "line": _line(node)})
        problems.incomplete.update(_with_nested(part))
        return
    children = [child for child in PARTS if child.nested_in == part.name]
    own = [name for name in part.column_names if name != part.parent_column]
    for item_path, item in items:
        if not isinstance(item, yaml.MappingNode):
            problems.add("un dictionnaire est attendu", at={"path": item_path, "line": _line(item)})
            problems.incomplete.update(_with_nested(part))
            continue
        mapping = _yaml_mapping(
            item, item_path, scalars, problems, set(own) | {c.yaml_key for c in children}
        )
        row = Row(part, {"path": item_path, "line": _line(item)}, {})
        for name in own:
            if name in mapping:
                value_node = mapping[name]
                value = scalars.construct_object(value_node, deep=True)
                if isinstance(value, str):
                    value = value.strip() or None
                row.cells[name] = value
                row.cell_at[name] = {"path": f"{item_path}.{name}", "line": _line(value_node)}
        if parent is not None and part.parent_column:
            row.cells[part.parent_column] = parent.cells.get(part.parent_ref)
            row.cell_at[part.parent_column] = parent.where(part.parent_ref)
        rows[part.name].append(row)
        for child in children:
            if child.yaml_key in mapping:
                child_path = f"{item_path}.{child.yaml_key}"
                _yaml_part(child, mapping[child.yaml_key], child_path, row, scalars, problems, rows)


def _with_nested(part: Part) -> set[str]:
    """A part's name and those of the parts nested in it, at any depth."""
    names = {part.name}
    for child in PARTS:
        if child.nested_in == part.name:
            names |= _with_nested(child)
    return names


def _line(node) -> int:
    return node.start_mark.line + 1
