"""Spreadsheet files people download and import: the one rule that keeps typed text inert.

Text typed by officers or admins ends up in CSV and XLSX files that someone opens in a spreadsheet
program. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
there (OWASP "CSV injection"), and control characters are not text at all. So, in every export:

- CSV: such text gets a leading `'` (so does text already starting with `'`, so that the import,
  which takes one `'` off again, gives back exactly what was exported);
- XLSX: every text is a text cell (never a formula), shown as typed; Excel's quote prefix keeps it
  text when edited;
- both: control characters other than tab, line feed and carriage return become U+FFFD.

The coordinator's downloads (`reports/views/exports.py`) and every import-export resource of
the admin (through `SafeCSV` and `SafeXLSX`, the formats in `settings.IMPORT_FORMATS` and
`EXPORT_FORMATS`) use these functions; JSON escapes control characters by itself and is not run
by spreadsheets.
"""

import csv
import io
import re

from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# A spreadsheet treats a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel refuses these in a worksheet name (e.g. a city called "Bozen/Bolzano").
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def inert_text(value):
    """`value` with its control characters replaced; non-text values are returned as they are."""
    return CONTROL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", value) if isinstance(value, str) else value


def looks_like_formula(text):
    return isinstance(text, str) and text.startswith(FORMULA_START)


def csv_value(value):
    text = "" if value is None else inert_text(str(value))
    return ESCAPE + text if text.startswith(FORMULA_START + (ESCAPE,)) else text


def imported_value(value):
    """What an imported cell means: a CSV export's escape taken off again."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2].startswith(FORMULA_START + (ESCAPE,)):
        return value[1:]
    return value


def as_csv(dataset, byte_order_mark=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(header) for header in dataset.headers])
    writer.writerows([csv_value(value) for value in row] for row in dataset)
    # The byte order mark makes Excel read UTF-8.
    return ("\ufeff" if byte_order_mark else "") + buffer.getvalue()


def as_xlsx(dataset, title, widths=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE_FORBIDDEN.sub("-", inert_text(title or ""))[:31].strip("' ") or "Export"
    sheet.append([inert_text(header) for header in dataset.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in dataset:
        sheet.append(["" if value is None else inert_text(value) for value in values])
    for column in sheet.iter_cols():
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would make text starting with "=" a formula
                if looks_like_formula(cell.value):
                    cell.quotePrefix = True
            if cell.row > 1:
                cell.alignment = wrap
    for index, header in enumerate(dataset.headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = (widths or {}).get(header, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _imported(dataset):
    for index, row in enumerate(dataset):
        if any(isinstance(value, str) and value.startswith(ESCAPE) for value in row):
            dataset[index] = [imported_value(value) for value in row]
    return dataset


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return as_csv(dataset, byte_order_mark=False)

    def create_dataset(self, in_stream, **kwargs):
        return _imported(super().create_dataset(in_stream, **kwargs))


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return as_xlsx(dataset, dataset.title)

    def create_dataset(self, in_stream):
        return _imported(super().create_dataset(in_stream))
