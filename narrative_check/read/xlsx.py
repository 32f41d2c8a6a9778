"""Excel (.xlsx) reader: a workbook of tables, usually given beside a narrative file.

Each visible sheet is one table. Rows at the top with a single filled cell are the table's
head: the first is its title, the others (单位：万元, 公开部门…) its metadata lines; without
such a row the sheet's name is the title. A number is written with the decimals its cell
format shows ("0.00" → 5.00), rounded half up as Excel shows it; a merged range keeps its value
in its top-left cell only. Formulas are read as the values Excel last saved with them.

Lost: hidden sheets, formulas never calculated (a workbook written by a program and never
opened in Excel has no saved values), charts and comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import regex

from ..errors import InputError, InputErrorCode
from ..extract.numbers import round_half_up
from ..models.document import SourceRef
from .layout import Layout, Piece
from .sniff import bounded_package

_DECIMALS = regex.compile(r"0\.(0+)")
# Cells a sheet may span (rows × columns between its first and last cell). A table sheet spans a
# few thousand; a stray cell far out (a value at Z20000, a style down to row 1,048,576) makes a
# grid of millions, which openpyxl's iter_rows would fill with new cells one by one.
_MAX_SHEET_CELLS = 200_000


def layout_xlsx(data: bytes, *, path: str | None, max_bytes: int, layout: Layout | None = None) -> Layout:
    """Lay the workbook's sheets out as tables, after `layout`'s content when given."""
    package = bounded_package(data, path=path, max_bytes=max_bytes)  # as for Word: bombs refused first
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(package, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(InputErrorCode.MALFORMED, f"not a readable Excel workbook: {type(exc).__name__}: {exc}", path=path) from None
    layout = layout or Layout()
    for index, sheet in enumerate(workbook.worksheets):
        if sheet.sheet_state != "visible":
            continue
        grid, row_numbers, column_numbers = _grid(sheet, path)
        # The sheet's own row and column (0-based), also where a sparse sheet's empty ones were skipped.
        rows: list[list[Piece]] = [
            [(_cell_text(cell), SourceRef(table=index, row=r - 1, col=c - 1, sheet=sheet.title))
             for c, cell in zip(column_numbers, row)]
            for r, row in zip(row_numbers, grid)
        ]
        head: list[list[Piece]] = []
        while rows and sum(1 for text, _ in rows[0] if text.strip()) <= 1:
            filled = [piece for piece in rows.pop(0) if piece[0].strip()]
            if filled:
                head.append(filled)
        if not head:
            head = [[(sheet.title, SourceRef(table=index, sheet=sheet.title))]]
        layout.paragraph(head[0])
        for meta in head[1:]:
            layout.line(meta)
        layout.table([[[piece] for piece in row] for row in rows])
    return layout


def _grid(sheet, path: str | None) -> tuple[list[list], Sequence[int], Sequence[int]]:
    """The sheet's cells row by row (None where the file defines no cell), from A1 to its last
    row and column as iter_rows gives them, but without creating the missing cells; with the
    1-based sheet numbers of its rows and columns. A sheet spanning more than _MAX_SHEET_CELLS
    keeps only the rows and columns that hold a value, and is refused if even those span too many."""
    cells = sheet._cells  # openpyxl's store of the cells the file defines, keyed (row, column)
    if not cells:
        return [], [], []
    row_numbers: Sequence[int] = range(1, sheet.max_row + 1)
    column_numbers: Sequence[int] = range(1, sheet.max_column + 1)
    if len(row_numbers) * len(column_numbers) > _MAX_SHEET_CELLS:
        filled = [key for key, cell in cells.items() if cell.value is not None and str(cell.value).strip()]
        row_numbers = sorted({r for r, _ in filled})
        column_numbers = sorted({c for _, c in filled})
        if len(row_numbers) * len(column_numbers) > _MAX_SHEET_CELLS:
            raise InputError(
                InputErrorCode.TOO_LARGE,
                f"sheet {sheet.title!r}: values over {len(row_numbers):,} rows × {len(column_numbers):,} columns"
                f" > {_MAX_SHEET_CELLS:,} cells",
                path=path,
            )
    return [[cells.get((r, c)) for c in column_numbers] for r in row_numbers], row_numbers, column_numbers


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return _number_text(value, cell.number_format or "General")
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return str(value)


def _number_text(value: int | float, number_format: str) -> str:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    section = number_format.split(";")[0]
    percent = "%" in section
    if percent:
        number *= 100
    m = _DECIMALS.search(section)
    if m:
        number = round_half_up(number, len(m.group(1)))
    elif section != "General" and "0" in section:
        number = round_half_up(number, 0)
    text = format(number, "f")
    if "," in section:
        whole, _, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = f"{int(whole.lstrip('-') or 0):,}"
        text = sign + whole + ("." + fraction if fraction else "")
    return text + ("%" if percent else "")
