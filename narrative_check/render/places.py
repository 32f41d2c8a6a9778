"""A place in the original file in the editor's words: '第 12 段', '表 3 第 4 行第 2 列', '第 5 页'.

Line and column count in the extracted text, which an editor of a Word or PDF file never sees;
a `SourceRef` says where the text sits in the file itself. Its indices are 0-based; people count
from 1. Each language is one table of phrases, so another rendering is one more entry.
"""

from __future__ import annotations

from ..lang import Lang
from ..models.document import SourceRef

_PHRASES: dict[str, dict[str, str]] = {
    "zh": {
        "page": "第 {n} 页",
        "paragraph": "第 {n} 段",
        "table": "表 {n}",
        "cell": "第 {row} 行第 {col} 列",
        "cell_paragraph": "单元格第 {n} 段",
        "sheet": "工作表「{name}」",
        "sheet_cell": "{ref} 单元格",
        "join": " ",
    },
    "en": {
        "page": "page {n}",
        "paragraph": "paragraph {n}",
        "table": "table {n}",
        "cell": "row {row}, column {col}",
        "cell_paragraph": "paragraph {n} of the cell",
        "sheet": "sheet '{name}'",
        "sheet_cell": "cell {ref}",
        "join": ", ",
    },
}


def place(source: SourceRef | None, lang: Lang = "zh") -> str:
    """The place `source` names, as an editor finds it in the file; '' when it names none.

    A PDF gives its page only: its table rows and columns are the reader's reconstruction of a
    drawn grid, not something the editor can count on the page. A workbook's cell is given as
    the spreadsheet names it (B4). A Word cell's paragraph is named only past the first.
    """
    if source is None:
        return ""
    words = _PHRASES[lang]
    if source.page is not None:
        return words["page"].format(n=source.page)
    parts: list[str] = []
    if source.sheet is not None:
        parts.append(words["sheet"].format(name=source.sheet))
        if source.row is not None and source.col is not None:
            parts.append(words["sheet_cell"].format(ref=f"{column_letters(source.col)}{source.row + 1}"))
        return words["join"].join(parts)
    if source.table is not None:
        parts.append(words["table"].format(n=source.table + 1))
        if source.row is not None and source.col is not None:
            parts.append(words["cell"].format(row=source.row + 1, col=source.col + 1))
        if source.paragraph:
            parts.append(words["cell_paragraph"].format(n=source.paragraph + 1))
    elif source.paragraph is not None:
        parts.append(words["paragraph"].format(n=source.paragraph + 1))
    return words["join"].join(parts)


def column_letters(col: int) -> str:
    """A 0-based column as a spreadsheet labels it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
