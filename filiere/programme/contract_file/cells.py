"""Each cell of a contract file checked and converted to its column's type."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from filiere.programme.contract_file.layout import (
    BOOL,
    CHOICE,
    CODE,
    CODE_RE,
    DATE,
    DECIMAL,
    FALSE,
    INT,
    SLUG,
    SLUG_RE,
    TEXT,
    TRUE,
    Column,
    Problems,
    Row,
)


def check_cells(row: Row, problems: Problems) -> None:
    for column in row.part.columns:
        raw = row.cells.get(column.name)
        if raw is None:
            if column.required:
                problems.at_row(row, column.name, "valeur obligatoire")
            row.values[column.name] = _empty(column)
            continue
        try:
            row.values[column.name] = _convert(column, raw)
        except ValueError as exc:
            problems.at_row(row, column.name, str(exc), raw)
            row.values[column.name] = None


def _empty(column: Column) -> Any:
    if column.default is not None:
        return column.default
    return "" if column.kind in (TEXT, SLUG, CODE, CHOICE) else None


def _convert(column: Column, raw: Any) -> Any:
    converter = {
        TEXT: _text,
        SLUG: _slug,
        CODE: _code,
        INT: _integer,
        DECIMAL: _decimal,
        DATE: _date,
        BOOL: _boolean,
        CHOICE: _choice,
    }[column.kind]
    value = converter(column, raw)
    if column.max_length and isinstance(value, str) and len(value) > column.max_length:
        raise ValueError(f"{column.max_length} caractères au plus")
    if column.validator and value:
        try:
            column.validator(value)
        except ValidationError as error:
            raise ValueError(" ".join(str(m) for m in error.messages)) from None
    return value


def _text(column: Column, raw: Any) -> str:
    if isinstance(raw, (bool, date, list, dict)):
        raise ValueError("un texte est attendu")
    if isinstance(raw, float):
        return repr(raw)
    return str(raw)


def _slug(column: Column, raw: Any) -> str:
    value = _text(column, raw)
    if not SLUG_RE.fullmatch(value):
        raise ValueError("un identifiant : lettres sans accents, chiffres, tirets")
    return value


def _code(column: Column, raw: Any) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool) and column.width:
        raw = str(raw).zfill(column.width)
    value = _text(column, raw)
    if not CODE_RE.fullmatch(value):
        raise ValueError("un code : lettres et chiffres")
    return value


def _integer(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("un nombre entier est attendu")
    try:
        number = Decimal(str(raw).strip()) if not isinstance(raw, int) else Decimal(raw)
    except InvalidOperation:
        raise ValueError("un nombre entier est attendu") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError("un nombre entier est attendu")
    if not 0 <= number <= 32767:
        raise ValueError("un nombre entier de 0 à 32767")
    return int(number)


def _decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, (bool, date, list, dict)):
        raise ValueError("un nombre est attendu")
    if isinstance(raw, float):
        raw = repr(raw)  # the shortest text of the number the spreadsheet holds
    text = str(raw).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError("un nombre est attendu (par exemple 850000 ou 12.5)") from None
    if not value.is_finite():
        raise ValueError("un nombre est attendu (par exemple 850000 ou 12.5)")
    if column.positive and value < 0:
        raise ValueError("un montant positif ou nul est attendu")
    max_digits, places = column.digits
    sign, digits, exponent = value.normalize().as_tuple()
    decimals = max(-exponent, 0)
    integer_digits = len(digits) + exponent if exponent >= 0 else len(digits) - decimals
    if value and decimals > places:
        raise ValueError(f"{places} décimales au plus")
    if value and integer_digits > max_digits - places:
        raise ValueError(f"{max_digits - places} chiffres au plus avant la virgule")
    return value


def _date(column: Column, raw: Any) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise ValueError("une date sans heure est attendue")
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError("une date AAAA-MM-JJ est attendue") from None


def _boolean(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("oui ou non est attendu")


def _choice(column: Column, raw: Any) -> str:
    text = _text(column, raw).strip()
    for value, label in column.choices.choices:
        if text == value or text.lower() == str(label).lower():
            return value
    allowed = ", ".join(f"{value} ({label})" for value, label in column.choices.choices)
    raise ValueError(f"valeur inconnue ; les valeurs admises sont : {allowed}")
