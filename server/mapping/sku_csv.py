"""Per-SKU weights and sizes from a CSV file, with every bad row reported by its line.

Columns (header required, any order, case ignored): ``sku``, ``weight_kg`` and optionally
``length_m``, ``width_m``, ``height_m`` — Starshipit's units. Pure: text in, data out.
"""

import csv
import io
import math
from dataclasses import dataclass, field

REQUIRED_COLUMNS = ("sku", "weight_kg")
SIZE_COLUMNS = ("length_m", "width_m", "height_m")
MAX_SKU_CHARS = 50  # Starshipit's SKU limit (server/mapping/limits.py)


@dataclass
class SkuTable:
    """The rows read (``sku -> {weight_kg, length_m?, ...}``) and the problems, keyed "line N"."""

    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def problem(self, line: int | str, message: str) -> None:
        self.errors.setdefault(f"line {line}" if isinstance(line, int) else line, []).append(message)


def read_sku_csv(content: str) -> SkuTable:
    """The table, with every bad row by its line; a file the csv module cannot read at all (a
    field past its size limit, a stray quote before a newline) is one problem, at its line."""
    table = SkuTable()
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    try:
        return _read(reader, table)
    except csv.Error as error:
        # line_num counts the lines read whole: the one that failed is the next.
        table.problem(reader.line_num + 1, f"The file cannot be read as CSV here: {error}.")
        return table


def _read(reader: csv.DictReader, table: SkuTable) -> SkuTable:
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        table.problem(
            1,
            f"The header must name the columns {', '.join(REQUIRED_COLUMNS)} "
            f"(and optionally {', '.join(SIZE_COLUMNS)}); missing: {', '.join(missing)}.",
        )
        return table
    reader.fieldnames = header
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        if None in row:
            table.problem(line, "The row has more values than the header has columns.")
            continue
        _read_row(row, line, table, first_line)
    if not table.rows and not table.errors:
        table.problem("file", "The file has a header but no rows.")
    return table


def _read_row(row: dict, line: int, table: SkuTable, first_line: dict[str, int]) -> None:
    sku = (row.get("sku") or "").strip()
    problems = []
    if not sku:
        problems.append("sku is empty.")
    elif len(sku) > MAX_SKU_CHARS:
        problems.append(f"sku is {len(sku)} characters long; Starshipit allows at most {MAX_SKU_CHARS}.")
    elif sku in first_line:
        problems.append(f"SKU {sku} is already on line {first_line[sku]}.")
    entry: dict[str, float] = {}
    for column in (*REQUIRED_COLUMNS[1:], *SIZE_COLUMNS):
        raw = (row.get(column) or "").strip()
        if not raw:
            if column == "weight_kg":
                problems.append("weight_kg is empty.")
            continue
        value = _positive_number(raw)
        if value is None:
            problems.append(f"{column} '{raw}' is not a positive number.")
        else:
            entry[column] = value
    for problem in problems:
        table.problem(line, problem)
    if not problems:
        first_line[sku] = line
        table.rows[sku] = entry


def _positive_number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None
