"""Figures of statistical tables (biểu): every count cell is a figure.

    Biểu 1. Kết quả phát triển đảng viên năm 2021
    STT | Đơn vị            | Kết nạp đảng viên |           | Quần chúng được bồi dưỡng
        |                   | Kế hoạch          | Thực hiện |
    1   | Đảng bộ huyện A   | 70                | 84        | 97
    2   | Đảng bộ huyện B   | 10                | 11        | 13
        | Tổng cộng         | 80                | 95        | 110

A cell's object and event come from its column's headings, top to bottom (the most specific
heading that names a counted noun gives the object; an event word anywhere in them the event;
a plan heading makes it a target); when the headings name no counted noun (Số lượng, Kết quả)
the row label does (an indicator table: "Tổ chức cơ sở đảng | 84"), else the caption or the
document title.  The row label is the subject (a segment when it names a kind of enterprise);
the period comes from the headings, the caption or the title; the total row (Tổng cộng, Toàn
tỉnh …) is the parent of the other rows, a group row (I, II …) of the rows under it, and a row
"Trong đó …" is a part of the row above.  Row numbers (STT), percentages, ratios, money and
notes are not counts; "–", "-", "x" or an empty cell is none.

Words are data (table_headers.json, and the figure cues of figure_cues.json, in `Rules.tables`);
a heading is compared without spaces (and, failing that, without accents) so OCR'd headings
that lost a space or a mark still read.  A pure function of the text and its tables.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from schemas.records import Figure, TableCellRef, TextTable

_NUMBER = re.compile(r"^[+]?\s*(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,(\d+))?$")
_NONE = frozenset({"", "-", "–", "—", "x", "X", "…", "...", "."})
_ROMAN = re.compile(r"^(?:[IVX]{1,5})\.?$")
_ARABIC = re.compile(r"^\d{1,3}[.)]?$")
_LETTER = re.compile(r"^[a-zđ][.)]?$|^[-+•]$")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_AS_OF = re.compile(r"(?:đến|tính đến|tại thời điểm|thời điểm)\s*(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def _squash(s: str) -> str:
    return "".join(unicodedata.normalize("NFC", s).lower().split())


def _unaccent(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in d if not unicodedata.combining(c))


@dataclass(frozen=True)
class TableRules:
    objects: tuple[tuple[str, str, str], ...]  # (squashed phrase, unaccented squashed phrase, object), longest first
    events: tuple[tuple[str, str, str], ...]  # (squashed, unaccented, event)
    new_words: tuple[str, ...]
    targets: tuple[str, ...]  # squashed plan words
    skip: tuple[str, ...]
    totals: frozenset[str]  # unaccented squashed
    subsets: tuple[str, ...]
    row_numbers: frozenset[str]
    labels: frozenset[str]
    total_columns: frozenset[str]
    month_ranges: dict[str, tuple[int, int]]
    segments: tuple[tuple[str, str], ...]  # (squashed phrase, segment), longest first
    admitted_persons: frozenset[str]
    admitted_members_of: frozenset[str]
    into_the_party: tuple[str, ...]


def table_rules(cues: dict, data: dict, segments_data: dict) -> TableRules:
    """The words of statistical tables (table_headers.json) and the figure cues, compiled once by
    extractors.rules.load_rules()."""
    objects = [(_squash(p), _unaccent(_squash(p)), obj) for obj, phrases in cues["objects"].items() for p in phrases]
    # abbreviations are matched with their accents only: "ĐV" without its mark is every "dv"
    objects += [(_squash(abbr), _squash(abbr), obj) for abbr, obj in data["abbreviations"].items()]
    generic = {_squash(p) for p in data["generic_events"]}
    events = [(_squash(p), _unaccent(_squash(p)), ev) for ev, phrases in cues["events_left"].items()
              if ev not in ("link", "none") for p in phrases if _squash(p) not in generic]
    events += [(_squash(p), _unaccent(_squash(p)), ev) for ev, phrases in cues.get("events_right", {}).items()
               for p in phrases if _squash(p) not in generic]
    segments = [(_squash(p), seg) for seg, phrases in segments_data["segments"].items() for p in phrases]
    return TableRules(
        objects=tuple(sorted(objects, key=lambda o: -len(o[0]))),
        events=tuple(sorted(events, key=lambda e: -len(e[0]))),
        new_words=tuple(data["new_words"]),
        targets=tuple(_squash(p) for p in [*data["plan_columns"], *cues.get("targets", [])]),
        skip=tuple(_squash(p) for p in data["skip_columns"]),
        totals=frozenset(_unaccent(_squash(p)) for p in data["total_rows"]),
        subsets=tuple(_squash(p) for p in data["subset_rows"]),
        row_numbers=frozenset(_squash(p) for p in data["row_number_columns"]),
        labels=frozenset(_squash(p) for p in data["label_columns"]),
        total_columns=frozenset(_squash(p) for p in data["total_columns"]),
        month_ranges={_squash(k): (v[0], v[1]) for k, v in data["month_ranges"].items()},
        segments=tuple(sorted(segments, key=lambda s: -len(s[0]))),
        admitted_persons=frozenset(data["admitted_persons"]),
        admitted_members_of=frozenset(data["admitted_members_of"]),
        into_the_party=tuple(_squash(p) for p in data["into_the_party"]),
    )


def _find(phrases: tuple[tuple[str, str, str], ...], text: str) -> tuple[int, str] | None:
    """(position, label) of the earliest phrase in `text`, the longest at that position;
    without accents when nothing matches with them."""
    for accented in (True, False):
        hay = _squash(text) if accented else _unaccent(_squash(text))
        best: tuple[int, int, str] | None = None
        for sq, un, label in phrases:
            needle = sq if accented else un
            i = hay.find(needle)
            if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(needle) > best[1])):
                best = (i, len(needle), label)
        if best:
            return best[0], best[2]
    return None


def _has(words: tuple[str, ...], text: str) -> bool:
    hay = _squash(text)
    return any(w in hay for w in words)


def parse_count(text: str) -> float | None:
    """The count a cell holds ("4.989", "02", "1 546"), None for none, a percentage or a non-count."""
    t = text.strip().strip(".").strip()
    if t in _NONE or "%" in t:
        return None
    m = _NUMBER.match(t)
    if not m:
        return None
    if m.group(2) is not None:
        return None  # "118,75": a ratio, not a count
    return float(int(re.sub(r"[.\s]", "", m.group(1))))


@dataclass
class _Column:
    index: int
    path: list[str]
    object: str | None = None
    event: str | None = None
    target: bool = False
    skip: bool = False
    period: tuple[dt.date, dt.date] | None = None
    whole: int | None = None  # the sibling "Tổng số" column this one is a part of


@dataclass
class _Row:
    index: int
    label: str
    line_start: int
    line_end: int
    kind: str = "unit"  # unit | total | group | subset | numbering
    level: int = 2
    parent_row: int | None = None


@dataclass
class _Grid:
    text: dict[tuple[int, int], str] = field(default_factory=dict)  # every position: the covering cell's text
    anchor: dict[tuple[int, int], object] = field(default_factory=dict)  # top-left positions: TableCell
    spans_known: bool = False


def _grid(t: TextTable) -> _Grid:
    g = _Grid()
    for c in t.cells:
        g.anchor[(c.row, c.col)] = c
        if c.row_span > 1 or c.col_span > 1:
            g.spans_known = True
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                g.text[(r, k)] = c.text
    return g


def _is_numbering_row(values: list[str]) -> bool:
    """"(1) | (2) | (3)" or "A | B | 1 | 2": the column numbers under the headings."""
    vals = [v.strip().strip("()") for v in values if v.strip()]
    if len(vals) < 3:
        return False
    nums = [int(v) for v in vals if v.isdigit()]
    letters = [v for v in vals if re.fullmatch(r"[A-Z]", v)]
    return len(nums) + len(letters) == len(vals) and nums == list(range(nums[0], nums[0] + len(nums))) if nums else False


def _period(text: str, rules: TableRules) -> tuple[dt.date, dt.date] | None:
    low = text.lower()
    m = _AS_OF.search(low)
    if m:
        try:
            d = dt.date(int(m[3]), int(m[2]), int(m[1]))
            return d, d
        except ValueError:
            pass
    m = _YEAR_RANGE.search(low)
    if m:
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31)
    m = _YEAR.search(low)
    if not m:
        return None
    year = int(m[1])
    sq = _squash(low)
    for phrase, (a, b) in rules.month_ranges.items():
        if phrase in sq:
            last = (dt.date(year + (b == 12), b % 12 + 1, 1) - dt.timedelta(days=1))
            return dt.date(year, a, 1), last
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _classify(path: list[str], rules: TableRules) -> tuple[str | None, str | None, bool, bool]:
    """(object, event, target, skip) of a column from its headings, most specific last."""
    joined = " ".join(path)
    if _has(rules.skip, joined):
        return None, None, False, True
    target = _has(rules.targets, joined)
    obj = _deepest(rules.objects, path)
    event = _deepest(rules.events, path)
    if event is None and obj is not None and _says_new(joined, rules):
        event = "admitted" if obj == "party_member" else "established"
    return obj, event, target, False


def _deepest(phrases: tuple[tuple[str, str, str], ...], path: list[str]) -> str | None:
    """The label of the most specific heading that holds one of the phrases."""
    for heading in reversed(path):
        hit = _find(phrases, heading)
        if hit:
            return hit[1]
    return None


def _says_new(text: str, rules: TableRules) -> bool:
    """"mới" as a word of its own: "Đảng viên mới", "Chi bộ thành lập mới"."""
    low = text.lower()
    return any(re.search(rf"(?<![\wÀ-ỹ]){re.escape(w)}(?![\wÀ-ỹ])", low) for w in rules.new_words)


def _header_rows(t: TextTable, g: _Grid, first_data_col: int) -> int:
    """Rows above the first row that holds a count in a data column."""
    for r in range(t.n_rows):
        values = [g.text.get((r, c), "") for c in range(t.n_cols)]
        if _is_numbering_row(values):
            continue
        if any(parse_count(g.text.get((r, c), "")) is not None for c in range(first_data_col, t.n_cols)):
            return r
    return t.n_rows


def _label_columns(t: TextTable, g: _Grid, rules: TableRules) -> tuple[int | None, int | None, int]:
    """(STT column, label column, first data column)."""
    counts = {c: 0 for c in range(t.n_cols)}
    texts = {c: 0 for c in range(t.n_cols)}
    for (r, c), cell in g.anchor.items():
        v = cell.text.strip()
        if parse_count(v) is not None:
            counts[c] += 1
        elif v and v not in _NONE and "%" not in v and not re.fullmatch(r"[\d.,]+", v):
            texts[c] += 1
    stt = None
    label = None
    first_row = min((r for (r, _), cell in g.anchor.items() if cell.text.strip()), default=0)
    for c in range(t.n_cols):
        head = _squash(g.text.get((first_row, c), ""))
        if head in rules.row_numbers and stt is None:
            stt = c
            continue
        if texts[c] >= counts[c] and texts[c] > 0 and label is None:
            label = c
            continue
        if label is not None or counts[c] > texts[c]:
            break
    first_data = max(x for x in (stt, label, -1) if x is not None) + 1
    return stt, label, first_data


def _row_kind(label: str, stt: str, rules: TableRules) -> tuple[str, int]:
    sq = _squash(label)
    bare = _unaccent(sq).rstrip(":")
    if bare in rules.totals or (not stt and any(bare.startswith(t) for t in ("tongcong", "congtoan", "toantinh"))):
        return "total", 0
    if any(sq.startswith(s) for s in rules.subsets) or label.strip().startswith("- Trong"):
        return "subset", 9
    s = stt.strip()
    if _ROMAN.match(s) or re.match(r"^[IVX]{1,4}\.\s", label):
        return "group", 1
    if _LETTER.match(s):
        return "unit", 3
    return "unit", 2


def _segment(label: str, rules: TableRules) -> str | None:
    sq = _squash(label)
    for phrase, seg in rules.segments:
        if phrase in sq:
            return seg
    return None


def _caption(text: str, t: TextTable) -> str | None:
    if t.caption:
        return t.caption
    before = text[: t.start].rstrip()
    line_start = before.rfind("\n") + 1
    line = before[line_start:].strip()
    if line and len(line) <= 250 and " | " not in line:
        return line
    return None


def _line_bounds(text: str, start: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    return lo, len(text) if hi < 0 else hi


def _read_table(text: str, t: TextTable, title: str | None, doc_date: dt.date | None, province: str | None,
                rules: TableRules, province_of, doc_subject: str | None = None) -> list[tuple[Figure, tuple[int, int] | None]]:
    g = _grid(t)
    stt_col, label_col, first_data = _label_columns(t, g, rules)
    if first_data >= t.n_cols:
        return []
    heads = _header_rows(t, g, first_data)
    if heads >= t.n_rows:
        return []
    caption = _caption(text, t)
    # headings of each data column, top to bottom (a heading over several columns counts for each)
    columns: dict[int, _Column] = {}
    for c in range(first_data, t.n_cols):
        path: list[str] = []
        for r in range(heads):
            h = g.text.get((r, c), "").strip()
            if not h and not g.spans_known:
                # plain-text table: an empty heading over a sub-heading continues the heading to its left
                left = next((g.text.get((r, k), "").strip() for k in range(c - 1, first_data - 1, -1)
                             if g.text.get((r, k), "").strip()), "")
                below = r + 1 < heads and g.text.get((r + 1, c), "").strip()
                h = left if below else ""
            if h and (not path or path[-1] != h) and not _is_numbering_row([h, "1", "2"]):
                path.append(h)
        col = _Column(c, path)
        col.object, col.event, col.target, col.skip = _classify(path, rules)
        for h in reversed(path):
            if (p := _period(h, rules)) is not None:
                col.period = p
                break
        columns[c] = col
    # a sub-column headed "Tổng số" is the whole of its siblings under the same heading
    for col in columns.values():
        if len(col.path) >= 2:
            siblings = [o for o in columns.values() if o.path[:-1] == col.path[:-1] and o is not col]
            whole = next((o for o in siblings if _squash(o.path[-1]) in rules.total_columns), None)
            if whole is not None and _squash(col.path[-1]) not in rules.total_columns:
                col.whole = whole.index
    # The caption (Biểu 1. Kết quả kết nạp đảng viên …) may say what a short heading counts and what
    # happened; the document's title only what is counted: a report "về thành lập tổ chức đảng"
    # has tables of stocks too.
    caption_obj = caption_event = None
    context = " ".join(x for x in (caption, title) if x)
    if context:
        hit = _find(rules.objects, context)
        caption_obj = hit[1] if hit else None
    if caption:
        ev = _find(rules.events, caption)
        caption_event = ev[1] if ev else None
    context_period = _period(caption, rules) if caption else None
    if context_period is None and title:
        context_period = _period(title, rules)
    # rows
    rows: list[_Row] = []
    for r in range(heads, t.n_rows):
        values = [g.text.get((r, c), "") for c in range(t.n_cols)]
        if _is_numbering_row(values):
            continue
        label = g.text.get((r, label_col), "").strip() if label_col is not None else ""
        stt = g.text.get((r, stt_col), "").strip() if stt_col is not None else ""
        cells = [g.anchor.get((r, c)) for c in range(t.n_cols)]
        anchor = next((c for c in cells if c is not None), None)
        if anchor is None:
            continue
        lo, hi = _line_bounds(text, anchor.start)
        counts = any(parse_count(g.text.get((r, c), "")) is not None for c in range(first_data, t.n_cols))
        if rows and not counts and not stt and label and stt_col is not None:
            # the rest of the row above, broken over a page or a line ("Kiểm tra khi có dấu hiệu vi" / "phạm")
            rows[-1].label = f"{rows[-1].label} {label}"
            continue
        kind, level = _row_kind(label, stt, rules)
        rows.append(_Row(r, label, lo, hi, kind, level))
    total = next((row for row in rows if row.kind == "total"), None)
    for i, row in enumerate(rows):
        if row.kind == "total":
            continue
        if row.kind == "subset":
            above = next((o for o in reversed(rows[:i]) if o.kind != "subset"), None)
            row.parent_row = above.index if above else None
            continue
        group = next((o for o in reversed(rows[:i]) if o.kind == "group" and o.level < row.level), None)
        if group is not None and row.kind != "group":
            row.parent_row = group.index
        elif total is not None:
            row.parent_row = total.index
    out: list[tuple[Figure, tuple[int, int] | None]] = []
    for row in rows:
        row_obj = row_event = None
        if row.label:
            hit = _find(rules.objects, row.label)
            row_obj = hit[1] if hit else None
            ev = _find(rules.events, row.label)
            row_event = ev[1] if ev else None
            if row_obj and row_event is None and _says_new(row.label, rules):
                row_event = "admitted" if row_obj == "party_member" else "established"
        segment = _segment(row.label, rules) if row.kind != "total" else None
        for c, col in columns.items():
            if col.skip:
                continue
            cell = g.anchor.get((row.index, c))
            if cell is None:
                continue
            value = parse_count(cell.text)
            if value is None or value == 0:
                continue
            if col.object is not None:
                obj, event = col.object, col.event
            elif row_obj is not None:
                obj, event = row_obj, row_event or col.event
            else:
                event = col.event or row_event
                # an admission names no noun ("Kết nạp (đồng chí)"): party members, not the caption's object
                obj = "party_member" if event == "admitted" else caption_obj
            if event is None and caption_event and caption_obj == obj:
                event = caption_event  # "Kết quả kết nạp đảng viên năm 2021" over "Số đảng viên"
            if event == "admitted" and (obj is None or obj in rules.admitted_persons or (
                    obj in rules.admitted_members_of and _has(rules.into_the_party, f"{row.label} {' '.join(col.path)}"))):
                obj = "party_member"  # "Kết nạp quần chúng ưu tú vào Đảng", "Kết nạp (đồng chí)"
            if obj is None:
                continue
            event = event or "total"
            period = col.period or context_period
            if period is None and event == "total" and doc_date is not None:
                period = (doc_date, doc_date)
            subject = None
            label_is_indicator = col.object is None and row_obj is not None  # "Tổ chức cơ sở đảng | 84"
            if row.kind != "total" and row.label and segment is None and not label_is_indicator:
                subject = re.sub(r"^(?:[IVX]{1,4}|\d{1,3}|[a-z])[.)]\s+", "", row.label).strip() or None
            prov = province_of(subject) if subject else province
            if subject is None and (row.kind == "total" or label_is_indicator or segment is not None):
                subject = doc_subject
            parent_pos = (row.parent_row, c) if row.parent_row is not None else None
            if col.whole is not None and row.kind != "total" or col.whole is not None:
                parent_pos = (row.index, col.whole)
            line = text[row.line_start : row.line_end]
            out.append((
                Figure(
                    object=obj, event=event, value=value, qualifier="exact", target=col.target,
                    subject=subject, segment=segment,
                    period_start=period[0] if period else None, period_end=period[1] if period else None,
                    province=prov,
                    start=cell.start, end=cell.end, quote=text[cell.start : cell.end], sentence=line,
                    sentence_start=row.line_start,
                    cell=TableCellRef(table_index=t.index, table_row=row.index, table_col=c,
                                      column_header=" / ".join(col.path) or (caption or ""),
                                      row_header=row.label or None),
                ),
                parent_pos,
            ))
    return out


def table_figures(text: str, tables: list[TextTable], rules: TableRules, *, title: str | None = None,
                  doc_date: dt.date | None = None, province: str | None = None, province_of=None,
                  subject: str | None = None) -> list[Figure]:
    """Figures of every table; `parent` indexes into the returned list (the caller shifts it).
    `subject` is the document's own body (its prose figures' usual subject): the subject of the
    total row and of an indicator table's rows, which name no unit of their own."""
    province_of = province_of or (lambda subject: province)
    out: list[Figure] = []
    for t in tables:
        found = _read_table(text, t, title, doc_date, province, rules, province_of, subject)
        base = len(out)
        at = {(f.cell.table_row, f.cell.table_col): base + k for k, (f, _) in enumerate(found) if f.cell}
        for f, parent_pos in found:
            f.parent = at.get(parent_pos) if parent_pos else None
            out.append(f)
    return out


_NUMERIC_CELL = re.compile(r"^[\d.,%\s()+\-–]+$")


def table_spans(tables: list[TextTable]) -> list[tuple[int, int]]:
    """Spans of the cells that hold only a number (counts, row numbers, percentages): the table
    reader reads them, the prose reader must not.  A cell of words ("110 quần chúng ưu tú") stays prose."""
    return [(c.start, c.end) for t in tables for c in t.cells if c.text and _NUMERIC_CELL.match(c.text)]
