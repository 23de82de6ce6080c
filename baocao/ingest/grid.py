"""Ruled tables from their lines: horizontal and vertical rules -> a grid of (merged) cells.

The same finder serves vector PDFs (rules are thin path objects) and scans (rules are long runs
of dark pixels, found in ocr.py).  Rules that touch or cross form one table; the table's grid
lines are the distinct rule positions; two neighbouring grid cells are one merged cell when no
rule separates them (a heading over several columns, "STT" over two heading rows).  Coordinates
are top-down, in any unit; `tol` is how far apart two positions may be and still be one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Grid, GridCell


@dataclass(frozen=True)
class Rule:
    """A horizontal (y0 == y1) or vertical (x0 == x1) rule."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass
class TableBox:
    """A found table: its bounding box, the grid, and each cell's box (row, col) -> bbox."""

    x0: float
    top: float
    x1: float
    bottom: float
    grid: Grid
    boxes: dict[tuple[int, int], tuple[float, float, float, float]]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _touch(a: Rule, b: Rule, tol: float) -> bool:
    return (min(a.x0, a.x1) - tol <= max(b.x0, b.x1) and min(b.x0, b.x1) - tol <= max(a.x0, a.x1)
            and min(a.y0, a.y1) - tol <= max(b.y0, b.y1) and min(b.y0, b.y1) - tol <= max(a.y0, a.y1))


def _components(rules: list[Rule], tol: float) -> list[list[Rule]]:
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(rules)), key=lambda i: min(rules[i].y0, rules[i].y1))
    for k, i in enumerate(order):
        for j in order[k + 1 :]:
            if min(rules[j].y0, rules[j].y1) - tol > max(rules[i].y0, rules[i].y1):
                break
            if _touch(rules[i], rules[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _covers(rules: list[Rule], at: float, lo: float, hi: float, tol: float, horizontal: bool) -> bool:
    """Is there a rule at position `at` covering the middle of [lo, hi]?"""
    mid_lo, mid_hi = lo + (hi - lo) * 0.3, hi - (hi - lo) * 0.3
    for r in rules:
        if horizontal:
            if abs(r.y0 - at) <= tol and min(r.x0, r.x1) <= mid_lo and max(r.x0, r.x1) >= mid_hi:
                return True
        elif abs(r.x0 - at) <= tol and min(r.y0, r.y1) <= mid_lo and max(r.y0, r.y1) >= mid_hi:
            return True
    return False


def find_tables(rules: list[Rule], tol: float = 2.0, min_size: float = 10.0) -> list[TableBox]:
    """Tables formed by `rules`, top to bottom; cell texts are left empty for the caller."""
    tables: list[TableBox] = []
    for group in _components(rules, tol):
        hs = [r for r in group if r.horizontal]
        vs = [r for r in group if not r.horizontal]
        if len(hs) < 2 or len(vs) < 2:
            continue
        ys = _cluster([r.y0 for r in hs], tol)
        xs = _cluster([r.x0 for r in vs], tol)
        if len(ys) < 2 or len(xs) < 2 or ys[-1] - ys[0] < min_size or xs[-1] - xs[0] < min_size:
            continue
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        # owner[(r, c)] = the top-left grid position of the merged cell (r, c) belongs to
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        for r in range(n_rows):
            for c in range(n_cols):
                left_open = c > 0 and not _covers(vs, xs[c], ys[r], ys[r + 1], tol, horizontal=False)
                up_open = r > 0 and not _covers(hs, ys[r], xs[c], xs[c + 1], tol, horizontal=True)
                if left_open:
                    owner[(r, c)] = owner[(r, c - 1)]
                elif up_open:
                    owner[(r, c)] = owner[(r - 1, c)]
                else:
                    owner[(r, c)] = (r, c)
        spans: dict[tuple[int, int], list[int]] = {}
        for (r, c), o in owner.items():
            s = spans.setdefault(o, [r, c, r, c])
            s[2], s[3] = max(s[2], r), max(s[3], c)
        cells = []
        boxes = {}
        for (r0, c0), (_, _, r1, c1) in sorted(spans.items()):
            cells.append(GridCell(r0, c0, "", r1 - r0 + 1, c1 - c0 + 1))
            boxes[(r0, c0)] = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        tables.append(TableBox(xs[0], ys[0], xs[-1], ys[-1], Grid(n_rows, n_cols, cells), boxes))
    tables.sort(key=lambda t: t.top)
    return tables
