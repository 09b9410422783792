"""The days as a spreadsheet: CSV in her language's conventions, and read back in.

English is the format the export has always had: comma-separated, the API's field names as
headers and its codes in the cells. Danish opens as columns in Danish Excel: separated by
semicolons, decimal commas, a UTF-8 byte-order mark (or Excel reads the letters as Latin-1),
Danish headers and labels, and one more column, the average pain of the last seven days,
to draw a curve from. Both read back in to the same days.

Pure: the words come from a translate function (a msgid to her language), so this module
imports nothing from Flask.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from diary.entries.codes import CODE_SETS, N_, label_of
from diary.entries.entry import ENTRY_FIELDS, DayEntry, entry_json
from diary.entries.validation import InvalidEntry
from diary.summary.figures import mean_pain, round_half_up

#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: The column headers of the spreadsheet in her language (English keeps the field names).
HEADERS = {
    "date": N_("Date"),
    "pain": N_("Pain (0–10)"),
    "locations": N_("Where it hurt"),
    "sensations": N_("How it felt"),
    "triggers": N_("What set it off"),
    "night_wakings": N_("Times woken at night"),
    "relief": N_("What eased it"),
    "note": N_("Note"),
    "updated_at": N_("Last changed (UTC)"),
}
AVERAGE = "average_7_days"
AVERAGE_HEADER = N_("Average pain, last 7 days")
AVERAGE_DAYS = 7
LABEL_JOIN = ", "  # between the labels of a day's places, triggers…: what Danish Excel shows


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str
    bom: bool
    words: bool  # headers and labels in words (translated), not field names and codes


ENGLISH = Dialect(delimiter=",", decimal=".", bom=False, words=False)
DANISH = Dialect(delimiter=";", decimal=",", bom=True, words=True)
DIALECTS = {"en": ENGLISH, "da": DANISH}


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _columns(dialect: Dialect) -> list[str]:
    columns = list(ENTRY_FIELDS)
    if dialect.words:
        columns.insert(columns.index("pain") + 1, AVERAGE)
    return columns


def _header(name: str, dialect: Dialect, translate) -> str:
    if not dialect.words:
        return name
    return translate(AVERAGE_HEADER if name == AVERAGE else HEADERS[name])


def _averages(entries: list[DayEntry]) -> dict[date, float]:
    """Each day's mean pain over the logged days of the seven days up to it."""
    pain_on = {entry.date: entry.pain for entry in entries}
    averages = {}
    for day in pain_on:
        week = [pain_on[d] for d in (day - timedelta(days=n) for n in range(AVERAGE_DAYS)) if d in pain_on]
        averages[day] = round_half_up(mean_pain(week))
    return averages


def _decimal(value: float, dialect: Dialect) -> str:
    return f"{value:.1f}".replace(".", dialect.decimal)


def write_days(entries: list[DayEntry], dialect: Dialect, translate: Callable[[str], str]) -> str:
    """The entries (oldest first) as CSV text: one row per day, dates and times as the API writes them."""
    out = io.StringIO()
    if dialect.bom:
        out.write(BOM)
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    columns = _columns(dialect)
    writer.writerow([_header(name, dialect, translate) for name in columns])
    entries = list(entries)
    averages = _averages(entries) if dialect.words else {}
    for entry in entries:
        shown = entry_json(entry)
        row = []
        for name in columns:
            if name == AVERAGE:
                value = _decimal(averages[entry.date], dialect)
            elif name in CODE_SETS and dialect.words:
                value = LABEL_JOIN.join(translate(label_of(name, code)) for code in shown[name])
            elif name in CODE_SETS:
                value = ";".join(shown[name])
            else:
                value = shown[name]
            row.append(safe_cell(value))
        writer.writerow(row)
    return out.getvalue()


def _unsafe(cell: str) -> str:
    """A cell as it was before safe_cell quoted it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _codes(cell: str, field: str, dialect: Dialect, labels: dict[str, str]) -> list[str]:
    """The codes in a cell: codes joined with ';', or labels joined with ', ' (a label may hold a comma)."""
    if not cell.strip():
        return []
    if not dialect.words:
        return cell.split(";")
    codes, pending = [], ""
    for piece in cell.split(LABEL_JOIN):
        pending = f"{pending}{LABEL_JOIN}{piece}" if pending else piece
        if pending.strip().casefold() in labels:
            codes.append(labels[pending.strip().casefold()])
            pending = ""
    if pending:
        raise ValueError(pending)
    return codes


def _dialect_of(header: list[str], translate) -> Dialect | None:
    if header == list(_columns(ENGLISH)):
        return ENGLISH
    if [cell.strip() for cell in header] == [_header(name, DANISH, translate) for name in _columns(DANISH)]:
        return DANISH
    return None


def read_days(text: str, translate: Callable[[str], str]) -> list[dict]:
    """The days of a spreadsheet written by write_days, as entries for the import; InvalidEntry if not one.

    translate is the language of the words in a Danish file (its headers and labels).
    """
    text = text.removeprefix(BOM)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    dialect = _dialect_of(rows[0], translate) if rows else None
    if dialect is None or dialect.delimiter != delimiter:
        raise InvalidEntry({"format": N_("This is not a Bækkendagbog export file.")})
    columns = _columns(dialect)
    labels = {
        field: {translate(code.label).casefold(): code.code for code in codes}
        for field, codes in CODE_SETS.items()
    }
    entries, errors = [], {}
    for index, row in enumerate(rows[1:]):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            errors[f"entries[{index}]"] = N_("This row does not have the export's columns.")
            continue
        cells = dict(zip(columns, row, strict=True))
        entry = {"date": cells["date"].strip(), "note": _unsafe(cells["note"])}
        if cells["updated_at"].strip():
            entry["updated_at"] = cells["updated_at"].strip()
        for name in ("pain", "night_wakings"):
            raw = cells[name].strip()
            entry[name] = int(raw) if raw.isdigit() else raw
        for field in CODE_SETS:
            try:
                entry[field] = _codes(cells[field], field, dialect, labels[field])
            except ValueError:
                errors[f"entries[{index}].{field}"] = N_("This is not one of the choices.")
        entries.append(entry)
    if errors:
        raise InvalidEntry(errors)
    return entries
