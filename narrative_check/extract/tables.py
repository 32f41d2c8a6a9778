"""Tables as data: which standard table each is, its heads, blocks and records.

The reader leaves a table as rows of cells. Here each table is recognised by
its title (``lexicons/table_kinds.tsv``), its head rows are aligned with its
body (exported heads are often shifted where a merged "项目" cell spanned the
code and name columns), side-by-side blocks (收入 | 支出, 人员经费 | 公用经费)
are told apart, and every line of every block becomes a record: a code and
name, or a label, with its figures by column role.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .. import lexicons
from ..catalogue import catalogue
from ..models.document import (
    Cell,
    Column,
    Document,
    Record,
    RecordValue,
    Table,
    trusted,
)
from ..read.numbering import OF_WHICH, match_item_marker
from .normalize import normalize

CODE = regex.compile(r"^(?:2\d{2}(?:\d{2}){0,2}|[35]\d{2}(?:\d{2})?)$")
# '—', '-', '/' in a cell mean "not applicable", which is not zero.
DASH = regex.compile(r"^[-－—–/／\\]+$")
_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
_SPACES = regex.compile(r"[\s\u3000]+")
_QUOTES = regex.compile(r"[“”\"'‘’「」]")
# '一般公共预算' in a head names a funding source, not the 预算数 basis of the column.
_FUNDING_BUDGET = regex.compile(r"(?:一般公共|政府性基金|国有资本经营)预算")


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """A head, label or code as compared: normalised (Simplified, ASCII digits, CJK brackets), no
    spaces or quotes — '决 算 数' → '决算数', '單位' → '单位', '２０８' → '208'."""
    return _QUOTES.sub("", normalize(text))


@lru_cache(maxsize=1)
def _table_kinds() -> list[tuple[str, str, str, str]]:
    rows = [(squash(r[0]), r[1], r[2], r[3]) for r in lexicons.rows("table_kinds.tsv")]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@lru_cache(maxsize=1)
def _column_roles() -> list[tuple[str, str, str]]:
    rows = [(squash(r[0]), r[1], r[2]) for r in lexicons.rows("column_roles.tsv")]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@lru_cache(maxsize=1)
def _total_labels() -> dict[str, str]:
    return {squash(r[0]): r[1] for r in lexicons.rows("total_labels.tsv")}


def classify_title(title: str | None) -> tuple[str | None, str | None, str | None]:
    if not title:
        return None, None, None
    t = squash(title)
    for phrase, kind, scope, flow in _table_kinds():
        if phrase in t:
            return kind, scope, flow
    return None, None, None


_TRAILING_NOTE = regex.compile(r"（[^）]*）$")


@lru_cache(maxsize=16384)
def head_role(head: str) -> tuple[str, str] | None:
    """(role, kind of role) a column head names, or None."""
    h = _YEAR.sub("", squash(head))
    h = _TRAILING_NOTE.sub("", h) or h
    for phrase, role, kind in _column_roles():
        if h == phrase or h.endswith(phrase):
            return role, kind
    return None


def total_kind(label: str) -> str | None:
    return _total_labels().get(squash(label))


# Per distinct cell text: a report's thousands of cells repeat a few hundred texts.
@lru_cache(maxsize=65536)
def _blank_text(text: str) -> bool:
    return not text or bool(DASH.match(text))


# A code as printed (squashed: 【】 read as （）): '2080101', '208 01 01' (its 类, 款 and 项
# spaced), '[2080101]', '【208】'.
_PRINTED_CODE = regex.compile(r"^[\[（]?(\d{3}(?: ?\d{2}){0,2})[\]）]?$")
# A code and its name in one cell, as many exports print the 项目 column: '2080101 行政运行'.
_CODE_AND_NAME = regex.compile(r"^[\[（]?(\d{3}(?: ?\d{2}){0,2})[\]）]?\s*(?=[^\d\s.,，、])(.+)$")
# One part of a code printed over 类 | 款 | 项 columns: the 款 or 项 digits.
_CODE_PART = regex.compile(r"^\d{2}$")


@lru_cache(maxsize=65536)
def code_of(text: str) -> str | None:
    """The classification code a cell holds, or None."""
    if "." in text or "．" in text:
        return None  # a figure with decimals: no code has a point, and squashing keeps it
    if text.isascii() and text.isdigit():
        return text if CODE.match(text) else None  # nothing for squashing to change
    m = _PRINTED_CODE.match(squash(text))
    code = m.group(1).replace(" ", "") if m else None
    return code if code and CODE.match(code) else None


@lru_cache(maxsize=65536)
def code_and_name(text: str) -> tuple[str, str] | None:
    """(code, name) of a label cell that prints both ('2080101 行政运行'); only a code the
    classification catalogue knows, so a label that merely starts with digits stays a label."""
    if not text[:1].isdigit() and text[:1] not in "[【（(２３５":
        return None  # most labels: no code in front to read
    m = _CODE_AND_NAME.match(squash(text))
    if m is None:
        return None
    code = m.group(1).replace(" ", "")
    if not CODE.match(code) or code not in catalogue().by_code:
        return None
    return code, m.group(2).strip()


def analyze(doc: Document) -> None:
    for table in doc.tables:
        analyze_table(table)


def analyze_table(table: Table) -> None:
    table.kind, table.scope, table.flow = classify_title(table.title)
    rows = [r for r in table.rows if not r.continuation]
    if not rows:
        return
    width = max(len(r.cells) for r in rows)
    grid: list[list[Cell | None]] = [[*r.cells, *[None] * (width - len(r.cells))] for r in rows]

    header_count = 0
    for row in grid:
        if _is_data_row(row):
            break
        header_count += 1
    if header_count == len(grid):
        header_count = 0  # no figures at all: a table of text
    table.header_rows = header_count
    heads = [[squash(c.text) if c is not None else "" for c in row] for row in grid[:header_count]]
    # The columns' numbers ('栏次 | 1 | 2 | 3') name no column: the heads are read without them.
    heads = [row for row in heads if not _numbering_head(next((text for text in row if text), ""))]
    body = grid[header_count:]

    kinds = [_column_kind(body, c, heads) for c in range(width)]
    _mark_code_parts(body, heads, kinds)
    blocks = _blocks(kinds)
    for start, end in blocks:
        _align_heads(heads, kinds, start, end)
        _align_groups(heads, start, end)
    columns: list[Column] = []
    for b, (start, end) in enumerate(blocks):
        for c in range(start, end):
            path = _head_path(heads, c, start)
            role = next((r for r in (head_role(h) for h in reversed(path)) if r), None)
            year = next((int(m.group(1)) for h in path for m in [_YEAR.search(h)] if m), None)
            basis = "final" if any("决算" in h for h in path) else "budget" if any("预算" in _FUNDING_BUDGET.sub("", h) for h in path) else None
            columns.append(Column(index=c, block=b, header=path, kind=kinds[c], role=role[0] if role else None, year=year, basis=basis))
    table.columns = columns
    by_index = {col.index: col for col in columns}
    for row in body:
        for c, cell in enumerate(row):
            if cell is not None and c in by_index:
                cell.__dict__["header"] = by_index[c].header  # derived; no validation needed
    roles = {c: _value_role(col) for c, col in by_index.items() if col.kind in ("value", "empty")}
    flows = [_block_flow(by_index, start, end, table) for start, end in blocks]
    plans = _block_plans(blocks, by_index, roles)
    carried: dict[int, list[str]] = {}  # per block: the 类 and 款 of the last code printed in parts
    table.records = [rec for row in body for rec in _records(row, plans, flows, carried)]
    if table.kind is None:
        table.kind, table.scope, table.flow = _classify_by_lines(table)


# A table with no title is a “三公” table when this many of its lines are “三公” items by name
# (因公出国（境）费, 公务接待费, 公务用车购置及运行费 …): one such line may stand in any spending table.
_SANGONG_LINES = 2


def _classify_by_lines(table: Table) -> tuple[str | None, str | None, str | None]:
    """The kind of a table with no title, from what its lines are (only “三公” tables so far:
    their lines are named the same everywhere)."""
    items = {role for rec in table.records if (role := head_role(rec.label)) and role[1] == "item"}
    if len(items) >= _SANGONG_LINES:
        return classify_title("“三公”经费")
    return None, None, None


def _numbering_head(text: str) -> bool:
    """'行次', '栏次', '序号': a head over line numbers, or a row of column numbers — no figures."""
    found = head_role(text)
    return found is not None and found[1] == "numbering"


def _is_data_row(row: list[Cell | None]) -> bool:
    first = next((cell.text for cell in row if cell is not None and cell.text), "")
    if first and _numbering_head(first):
        return False  # '栏次 | 1 | 2 | 3': the columns' numbers, under the heads
    for cell in row:
        if cell is None or not cell.text:
            continue
        # Total labels ('本年支出合计') also head columns, so only codes and figures mark data.
        if code_of(cell.text) is not None or cell.value is not None:
            return True
    return False


def _column_kind(body: list[list[Cell | None]], c: int, heads: list[list[str]]) -> str:
    filled = codes = numbers = 0
    for row in body:
        cell = row[c]
        if cell is None or _blank_text(cell.text):
            continue
        filled += 1
        if code_of(cell.text) is not None:
            codes += 1
        elif cell.value is not None:
            numbers += 1
    if any(c < len(h) and h[c] and _numbering_head(h[c]) for h in heads):
        return "numbering"  # '行次' over 1, 2, 3 …: line numbers, not figures
    if not filled:
        has_role = any(head_role(h[c]) for h in heads if c < len(h) and h[c])
        return "value" if has_role else "empty"
    if codes >= 0.6 * filled:
        return "code"
    if numbers >= 0.5 * filled:
        return "value"
    return "label"


def _mark_code_parts(body: list[list[Cell | None]], heads: list[list[str]], kinds: list[str]) -> None:
    """Codes printed over 类 | 款 | 项 columns ('208' | '01' | '01'), as budget templates print
    them: the one or two columns after a code column that hold only two-digit parts, under heads
    that name 款 and 项 (or after a head naming 类), are parts of that code ('code_part')."""
    for c, kind in enumerate(kinds):
        if kind != "code":
            continue
        names_class = any(row[c].endswith("类") for row in heads)
        for part in (c + 1, c + 2):
            if part >= len(kinds) or not _parts_only(body, part):
                break
            named = any(row[part] in ("款", "项") for row in heads)
            if not (named or names_class):
                break
            kinds[part] = "code_part"


def _parts_only(body: list[list[Cell | None]], c: int) -> bool:
    texts = [cell.text for row in body if (cell := row[c]) is not None and cell.text]
    return bool(texts) and all(_CODE_PART.match(text) for text in texts)


def _blocks(kinds: list[str]) -> list[tuple[int, int]]:
    """Column ranges of side-by-side blocks: a key column after a value column starts a new one."""
    starts = [0]
    last = None
    for c, kind in enumerate(kinds):
        if kind in ("empty", "numbering"):
            continue
        if kind in ("code", "label") and last == "value" and c > 0:
            starts.append(c)
        last = kind
    ends = starts[1:] + [len(kinds)]
    return list(zip(starts, ends))


def _align_heads(heads: list[list[str]], kinds: list[str], start: int, end: int) -> None:
    value_cols = [c for c in range(start, end) if kinds[c] == "value"]
    if not value_cols:
        return
    first_value = value_cols[0]
    for row in heads:
        first_role = next((c for c in range(start, end) if row[c] and head_role(row[c]) and not _numbering_head(row[c])), None)
        if first_role is None or first_role >= first_value:
            continue
        shift = first_value - first_role
        moved = row[first_role:end]
        for c in range(first_role, end):
            row[c] = ""
        for i, text in enumerate(moved):
            if first_role + shift + i < end:
                row[first_role + shift + i] = text


def _align_groups(heads: list[list[str]], start: int, end: int) -> None:
    """Group heads ('2023年预算数' | '2024年预算数') onto the starts of the groups below them.

    Exports often put a merged group head one column off; when the row below repeats
    the same sub-heads, each repeat starts a group, and the group heads go there in order.
    """
    for r in range(len(heads) - 1):
        row, below = heads[r], heads[r + 1]
        groups = [c for c in range(start, end) if row[c]]
        first = next((below[c] for c in range(start, end) if below[c]), None)
        if len(groups) < 2 or first is None:
            continue
        starts = [c for c in range(start, end) if below[c] == first]
        if len(starts) != len(groups) or starts == groups:
            continue
        texts = [row[c] for c in groups]
        for c in groups:
            row[c] = ""
        for c, text in zip(starts, texts):
            row[c] = text


def _head_path(heads: list[list[str]], c: int, block_start: int) -> list[str]:
    path: list[str] = []
    for depth, row in enumerate(heads):
        text = row[c]
        if not text and depth < len(heads) - 1:
            # A merged head spans the columns to its right within its block.
            k = c - 1
            while k >= block_start and not row[k]:
                k -= 1
            text = row[k] if k >= block_start else ""
        if text and (not path or path[-1] != text):
            path.append(text)
    return path




_Plan = list[tuple[int, str, tuple | None]]


def _block_plans(blocks: list[tuple[int, int]], columns: dict[int, Column], roles: dict[int, tuple]) -> list[_Plan]:
    """Per block, each column's (index, kind, value fields or None): decided once per table, not per row."""
    plans = []
    for start, end in blocks:
        plan: _Plan = []
        for c in range(start, end):
            col = columns[c]
            fields = None
            if col.kind in ("value", "empty"):
                role, scope, flow = roles[c]
                if role is not None:
                    fields = (role, scope, flow, col.year, col.basis)
            plan.append((c, col.kind, fields))
        plans.append(plan)
    return plans


def _records(row: list[Cell | None], plans: list[_Plan], flows: list[str | None], carried: dict[int, list[str]]) -> list[Record]:
    out: list[Record] = []
    row_total_label = ""
    for b, plan in enumerate(plans):
        code = None
        label = ""
        code_col: int | None = None
        label_col: int | None = None
        parts: list[str] = []
        values: list[RecordValue] = []
        row_index = None
        for c, kind, fields in plan:
            cell = row[c]
            if cell is None:
                continue
            row_index = cell.row
            if fields is not None:
                role, scope, flow, year, basis = fields
                # A blank or dashed cell has no value: what the reader read is the figure.
                values.append(trusted(RecordValue, {"role": role, "col": c, "value": cell.value, "scope": scope,
                                                    "flow": flow, "year": year, "basis": basis}))
            elif kind == "code_part":
                parts.append(cell.text)
                if code_col is None and cell.text:
                    code_col = c
            elif kind == "code" and (printed := code_of(cell.text)):
                code, code_col = printed, c
            elif kind in ("label", "code") and cell.text and not label:
                label, label_col = squash(cell.text), c  # in the code column: a total label ('人员经费合计')
                if code is None and kind == "label" and (both := code_and_name(cell.text)):
                    (code, label), code_col = both, c
        if parts:
            code = _code_from_parts(code, parts, carried.setdefault(b, ["", ""]))
        has_value = any(v.value is not None for v in values)
        if not code and not label and row_total_label and has_value:
            label = row_total_label  # a total row whose label was merged across blocks ('公用经费合计')
        if row_index is None or (not code and not label and not has_value):
            continue
        marker, label, total = _label_parts(label)
        if code:
            total = None
        elif total:
            row_total_label = label
        code_inferred = False
        if code is None and label and not total:
            inferred = _code_for_name(label)
            if inferred:
                code, code_inferred = inferred, True
        out.append(trusted(Record, {"row": row_index, "block": b, "code": code, "code_inferred": code_inferred,
                                    "code_col": code_col if code and not code_inferred else None, "label": label,
                                    "label_col": label_col, "marker": marker, "total": total, "flow": flows[b], "values": values}))
    return out


def _code_from_parts(head: str | None, parts: list[str], carry: list[str]) -> str | None:
    """The code of a row printed over 类 | 款 | 项 columns. A row may leave the parts above its
    own blank ('' | '01' | '' under '208'): they are carried from the rows before it."""
    kuan, xiang = (parts + ["", ""])[:2]
    if head:
        carry[0], carry[1] = head[:3], head[3:5]
    if kuan:
        carry[1] = kuan
    if not carry[0]:
        return head
    if xiang and carry[1]:
        return carry[0] + carry[1] + xiang
    if kuan:
        return carry[0] + kuan
    return head


@lru_cache(maxsize=16384)
def _label_parts(label: str) -> tuple[str, str, str | None]:
    """(numbering marker, label without it or '其中：', total kind) of a squashed label."""
    marker = ""
    m = match_item_marker(label)
    if m:
        marker, _, end_at = m
        label = label[end_at:]
    label = OF_WHICH.sub("", label).strip()
    return marker, label, total_kind(label)


@lru_cache(maxsize=16384)
def _code_for_name(label: str) -> str | None:
    return catalogue().code_for_name(label)


_FLOW_ROLES = {"income", "expenditure"}


def _block_flow(columns: dict[int, Column], start: int, end: int, table: Table) -> str | None:
    """收入 | 支出 blocks of an overview table take their flow from their heads."""
    heads = " ".join(h for c in range(start, end) for h in columns[c].header)
    if table.flow == "both":
        if "收入" in heads and "支出" not in heads:
            return "income"
        if "支出" in heads and "收入" not in heads:
            return "expenditure"
    return table.flow


def _value_role(col: Column) -> tuple[str | None, str | None, str | None]:
    """(role, scope, flow) of a value column from its heads.

    An item head ('公务用车购置及运行费' over '小计') beats a generic total; a scope head
    ('一般公共预算财政拨款') narrows a total to that funding source; '本年收入'/'本年支出'
    give the flow; a '其中：…' column is a part of its neighbour, not a figure of its own kind.
    """
    if col.header and squash(col.header[-1]).startswith("其中"):
        return None, None, None
    items, measures, scopes, flows = [], [], [], []
    for head in reversed(col.header):
        found = head_role(head)
        if found is None:
            continue
        name, kind = found
        if kind == "scope":
            scopes.append(name)
        elif kind == "item":
            items.append(name)
        elif name in _FLOW_ROLES:
            flows.append(name)
        else:
            measures.append(name)
    specific = [m for m in measures if m != "total"]
    role = (items or specific or measures or [None])[0]
    if role is None and (scopes or flows or col.kind == "value"):
        role = "total"
    return role, (scopes[0] if scopes else None), (flows[0] if flows else None)
