"""A published table as CSV or XLSX (the same cells the page and the API show).

XLSX is written directly (a zip of four small XML parts, inline strings): the project has
no spreadsheet library, and a one-sheet table needs none.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from insights.datasets import Column, Table

SUPPRESSED = "<5"


def cell_text(column: Column, value: Any) -> str:
    if value is None:
        return SUPPRESSED if column.kind == "count" else "-"
    if column.kind == "rate":
        return f"{value * 100:.1f}%"
    return str(value)


def matrix(table: Table) -> list[list[Any]]:
    """Header and rows; suppressed counts as "<5", rates as fractions (0–1)."""
    header = [c.label for c in table.columns]
    out: list[list[Any]] = [header]

    def line(row: dict[str, Any]) -> list[Any]:
        cells: list[Any] = []
        for c in table.columns:
            value = row.get(f"{c.key}_name", row.get(c.key)) if c.kind == "text" else row.get(c.key)
            cells.append(SUPPRESSED if value is None and c.kind == "count" else ("" if value is None else value))
        return cells

    out += [line(row) for row in table.rows]
    total = {c.key: (_("전체") if i == 0 and c.kind == "text" else "") for i, c in enumerate(table.columns) if c.kind == "text"}
    out.append(line({**table.total, **{f"{k}_name": v for k, v in total.items()}}))
    return out


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in matrix(table):
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens Korean CSV as UTF-8


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def to_xlsx(table: Table) -> bytes:
    rows_xml = []
    for r, row in enumerate(matrix(table), start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column_name(c)}{r}"
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        rows_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(rows_xml)}</sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(table.dataset)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
