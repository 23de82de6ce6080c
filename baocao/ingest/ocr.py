"""Scanned pages through Tesseract OCR (Vietnamese data), with tables read from the page's rules.

Per page: render at 300 dpi (Tesseract reads 200-dpi scans better upsampled), grey; remove
specks (median filter); measure the skew by the projection profile (the angle at which the
rows of ink are sharpest) and turn the page straight; find the table rules (long runs of dark
pixels, grid.py builds the cells, merged ones included) and paint them white so Tesseract does
not read them as letters; OCR the page once (pytesseract, `-l vie`) and keep every word with its
box and confidence.  Words inside a table cell become that cell's text; the others go through
the same reading order as PDF text (layout.py), so a two-column header reads as in the PDF.

Each word keeps Tesseract's confidence (0-100): a fact's mean word confidence is its OCR
confidence, and a page's mean is the page's.  Tesseract mistakes digits for look-alike letters
(2O21, l5): a word of digits with such a letter is read as the digits.

pytesseract over ocrmypdf: measured in bench/bench_readers.py; pytesseract gives the word boxes
and confidences the tables and the provenance need, in one Tesseract run per page.
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile

import numpy as np

from .content import BLOCK_SEPARATOR, PageContent, PageWriter
from .errors import OCR_FAILED, OCR_MISSING, IngestError
from .grid import Rule, TableBox, find_tables
from .layout import Block, Line, Piece, column_blocks, group_lines, paragraph_breaks

DPI = 300
LANG = "vie"
# One uniform block (psm 6): the automatic layout (psm 3) drops lines next to specks and rules;
# columns are found afterwards from the word boxes.  No inverted-text pass: scans are dark on light.
TESSERACT_CONFIG = "--psm 6 -c tessedit_do_invert=0"
DIGITS_LANG = "eng"  # installed with tesseract-ocr itself
DIGITS_CONFIG = "--psm 6 -c tessedit_do_invert=0 -c tessedit_char_whitelist=0123456789.,%"
_NUMERIC = re.compile(r"^[\d.,%\s]*\d[\d.,%\s]*$")
INSTALL_HINT = "install Tesseract with its Vietnamese data: apt-get install tesseract-ocr tesseract-ocr-vie"
_RULE_MIN = 0.04  # a rule is at least this fraction of the page width (or height) long
_EDGE_JUNK = "|_~`'\"“”‘’¬"  # speck and rule debris stuck to a word
_DIGITISH = re.compile(r"^[\dOoIl|]*\d[\dOoIl|]*[.,%]?[\dOoIl|]*$")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def check_tesseract(name: str) -> None:
    try:
        import pytesseract

        langs = pytesseract.get_languages(config="")
    except Exception:  # noqa: BLE001 - pytesseract missing, or no tesseract binary on PATH
        raise IngestError(OCR_MISSING, f"{name}: is a scan (no text layer) and OCR needs Tesseract; {INSTALL_HINT}") from None
    if LANG not in langs:
        raise IngestError(
            OCR_MISSING, f"{name}: is a scan and Tesseract has no Vietnamese data ({LANG}); {INSTALL_HINT}"
        )


# --- image -----------------------------------------------------------------------------------


def _profile_score(dark: np.ndarray) -> float:
    rows = dark.sum(axis=1).astype(np.float64)
    return float(np.sum(np.diff(rows) ** 2))


def skew_angle(gray, max_angle: float = 4.0) -> float:
    """Degrees the page is turned (counter-clockwise positive), by the sharpest row profile."""
    from PIL import Image

    small = gray.resize((gray.width // 4, gray.height // 4))
    best = (0.0, -1.0)

    def score(a: float) -> float:
        img = small.rotate(-a, resample=Image.BILINEAR, fillcolor=255)
        return _profile_score(np.asarray(img) < 128)

    for a in np.arange(-max_angle, max_angle + 1e-9, 0.5):
        s = score(float(a))
        if s > best[1]:
            best = (float(a), s)
    centre = best[0]
    for a in np.arange(centre - 0.4, centre + 0.4 + 1e-9, 0.1):
        s = score(float(a))
        if s > best[1]:
            best = (float(a), s)
    return round(best[0], 2)


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of horizontal runs of True at least `min_len` long."""
    out = []
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows, starts = np.nonzero(diff == 1)
    _, ends = np.nonzero(diff == -1)
    for r, s, e in zip(rows, starts, ends, strict=True):
        if e - s >= min_len:
            out.append((int(r), int(s), int(e)))
    return out


def _merge_runs(runs: list[tuple[int, int, int]], horizontal: bool, gap: int = 3) -> list[Rule]:
    """Runs on neighbouring rows that overlap are one (thick) rule."""
    runs.sort()
    merged: list[list[float]] = []  # [first_row, last_row, start, end]
    for r, s, e in runs:
        for m in reversed(merged[-8:]):
            if r - m[1] <= gap and s < m[3] and e > m[2]:
                m[1], m[2], m[3] = r, min(m[2], s), max(m[3], e)
                break
        else:
            merged.append([r, r, s, e])
    rules = []
    for r0, r1, s, e in merged:
        c = (r0 + r1) / 2
        rules.append(Rule(s, c, e, c) if horizontal else Rule(c, s, c, e))
    return rules


def find_rules(dark: np.ndarray) -> tuple[list[Rule], np.ndarray]:
    """Horizontal and vertical rules of a binary page, and the mask of their pixels."""
    h, w = dark.shape
    min_h, min_v = int(w * _RULE_MIN), int(h * _RULE_MIN * 0.5)
    h_runs = _runs(dark, min_h)
    v_runs = _runs(dark.T, min_v)
    mask = np.zeros_like(dark)
    for r, s, e in h_runs:
        mask[r, s:e] = True
    for c, s, e in v_runs:
        mask[s:e, c] = True
    return _merge_runs(h_runs, True) + _merge_runs(v_runs, False), mask


# --- words -----------------------------------------------------------------------------------


def _clean_cell_word(word: str) -> str:
    """A cell's word without the debris a rule or a speck leaves at its edges ("-`70" -> "70")."""
    w = word.strip(".")
    if any(c.isdigit() for c in w):
        w = w.strip("-+*`'\"~_|:;,")
    return w


def _stray_stop(word: str, next_word: str) -> str:
    """"Thành. lập": a speck after a word read as a full stop, inside a sentence (the next word is
    in lower case).  "TP. Hồ Chí Minh" and "v.v." keep theirs."""
    if (word.endswith(".") and not word.endswith("..") and next_word[:1].islower() and word[:-1].isalpha()
            and not word[:-1].isupper() and len(word) > 3):
        return word[:-1]
    return word


def _fix_digits(word: str) -> str:
    if _DIGITISH.match(word) and not word.isdigit():
        return word.translate(_DIGIT_FIX)
    return word


def _is_word(text: str, conf: float) -> bool:
    """Not debris: specks read as '. , " :' and short low-confidence scraps.  The '*' under the
    issuer's name is kept (Tesseract often reads it as '+')."""
    if text in ("*", "+"):
        return True
    if not any(c.isalnum() for c in text):
        return False
    if any(c.isdigit() for c in text):
        return True  # a low-confidence number is still a number (a speck beside it lowers the score)
    core = text.strip(".,:;!?")
    if len(core) <= 1 and conf < 60:
        return False  # "c..": a speck read as a letter
    return not (len(text) <= 2 and conf < 50)


def _words(img, lang: str = LANG, config: str = TESSERACT_CONFIG) -> list[Piece]:
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per page: pages run in parallel, not threads
    # Handed over as an uncompressed PGM file: pytesseract would write a PNG, and compressing a
    # 300-dpi page costs more than a third of our own time per page.
    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as tmp:
        path = os.path.join(tmp, "page.pgm")
        img.save(path)
        try:
            data = pytesseract.image_to_data(path, lang=lang, config=config, output_type=pytesseract.Output.DICT)
        except Exception as e:  # noqa: BLE001 - Tesseract errors come as several types
            raise RuntimeError(str(e)) from None
    pieces = []
    keys = ("block_num", "par_num", "line_num")
    for i, text in enumerate(data["text"]):
        text = (text or "").strip().strip(_EDGE_JUNK)
        conf = float(data["conf"][i])
        if conf < 0 or not _is_word(text, conf):
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        pieces.append(Piece(float(x), float(y), float(x + w), float(y + h), _fix_digits(text), conf,
                            tuple(data[k][i] for k in keys)))
    return pieces


_GAP = 40  # white pixels between two cells in the montage


def _cell_words(gray, t: TableBox) -> dict[tuple[int, int], list[Piece]]:
    """OCR of a table's cells: every cell cropped inside its rules and stacked into one image,
    read in one Tesseract run, each word given back to the cell whose band holds it.  Cut out of
    the page, a cell reads better than in the page run (no neighbouring cell on its line).  The
    cells that read as numbers are read again with digits only (Tesseract's English model with a
    digit whitelist, which tells 3 from 8 better than the Vietnamese one on a blurred scan)."""
    words = _montage_words(gray, t, t.grid.cells, LANG, TESSERACT_CONFIG)
    numeric = [c for c in t.grid.cells
               if (ws := words.get((c.row, c.col))) and _NUMERIC.match(" ".join(p.text for p in ws))]
    if numeric:
        digits = _montage_words(gray, t, numeric, DIGITS_LANG, DIGITS_CONFIG)
        for c in numeric:
            first, again = words[(c.row, c.col)], digits.get((c.row, c.col))
            if not again or not _NUMERIC.match(" ".join(p.text for p in again)):
                continue
            if [p.text for p in again] == [p.text for p in first]:
                continue  # the two readings agree: the first keeps its confidence
            # They disagree: the digits win, with the lower confidence of the two (Tesseract gives 0
            # for a whitelisted reading it cannot score: then the first reading's).
            conf = min(p.confidence or 0.0 for p in first)
            scored = [p.confidence for p in again if p.confidence]
            conf = min([conf, *scored]) if scored else conf
            words[(c.row, c.col)] = [Piece(p.x0, p.top, p.x1, p.bottom, p.text, conf, p.line_key) for p in again]
    return words


def _montage_words(gray, t: TableBox, cells, lang: str, config: str) -> dict[tuple[int, int], list[Piece]]:
    from PIL import Image

    crops = []
    for cell in cells:
        x0, top, x1, bottom = t.boxes[(cell.row, cell.col)]
        inset = 6
        box = (int(x0) + inset, int(top) + inset, int(x1) - inset, int(bottom) - inset)
        if box[2] - box[0] < 8 or box[3] - box[1] < 8:
            continue
        crops.append((cell, gray.crop(box)))
    if not crops:
        return {}
    width = max(c.width for _, c in crops) + 2 * _GAP
    height = sum(c.height + _GAP for _, c in crops) + _GAP
    montage = Image.new("L", (width, height), 255)
    bands: list[tuple[int, int, tuple[int, int]]] = []
    y = _GAP
    for cell, crop in crops:
        montage.paste(crop, (_GAP, y))
        bands.append((y, y + crop.height, (cell.row, cell.col)))
        y += crop.height + _GAP
    out: dict[tuple[int, int], list[Piece]] = {}
    for p in _words(montage, lang, config):
        cy = (p.top + p.bottom) / 2
        for lo, hi, key in bands:
            if lo - _GAP / 2 <= cy < hi + _GAP / 2:
                out.setdefault(key, []).append(p)
                break
    return out


def _lines(pieces: list[Piece]) -> list[Line]:
    """Tesseract's lines, then lines side by side at one height joined (two columns)."""
    by_key: dict[tuple, list[Piece]] = {}
    for p in pieces:
        by_key.setdefault(p.line_key, []).append(p)
    lines = [Line(sorted(ps, key=lambda p: p.x0)) for ps in by_key.values()]
    lines.sort(key=lambda ln: (ln.top + ln.bottom) / 2)
    out: list[Line] = []
    for line in lines:
        for other in out[-3:]:
            overlap = min(other.bottom, line.bottom) - max(other.top, line.top)
            no_cross = line.x0 > other.x1 or line.x1 < other.x0
            if no_cross and overlap > 0.5 * min(other.bottom - other.top, line.bottom - line.top):
                other.pieces = sorted(other.pieces + line.pieces, key=lambda p: p.x0)
                break
        else:
            out.append(line)
    return out


def _inside(p: Piece, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (p.x0 + p.x1) / 2, (p.top + p.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def ocr_image(gray) -> PageContent:
    """OCR of one page image (PIL, grey) into page content with tables and word confidences."""
    from PIL import Image, ImageFilter

    gray = gray.filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(gray)
    if abs(angle) >= 0.1:
        gray = gray.rotate(-angle, resample=Image.BICUBIC, fillcolor=255, expand=False)
    arr = np.asarray(gray)
    dark = arr < 140
    rules, rule_mask = find_rules(dark)
    tables = [t for t in find_tables(rules, tol=8.0, min_size=40.0) if t.grid.n_cols >= 2 and t.grid.n_rows >= 2]
    if rules:
        cleaned = arr.copy()
        cleaned[np.pad(rule_mask, 1)[:-2, 1:-1] | np.pad(rule_mask, 1)[2:, 1:-1] | rule_mask] = 255
        gray = Image.fromarray(cleaned)
    pieces = _words(gray)
    blocks: list[Block] = []
    table_words: list[dict[tuple[int, int], list[tuple[str, float]]]] = []
    taken: set[int] = set()
    for t in tables:
        words: dict[tuple[int, int], list[tuple[str, float]]] = {}
        by_cell = _cell_words(gray, t)
        for cell in t.grid.cells:
            box = t.boxes[(cell.row, cell.col)]
            taken.update(k for k, p in enumerate(pieces) if _inside(p, box))
            in_order = [p for line in group_lines(by_cell.get((cell.row, cell.col), [])) for p in line.pieces]
            cleaned = [(_clean_cell_word(p.text), p.confidence or 0.0) for p in in_order]
            words[(cell.row, cell.col)] = [(w, c) for w, c in cleaned if w]
            cell.text = " ".join(w for w, _ in words[(cell.row, cell.col)])
        if any(c.text for c in t.grid.cells):
            blocks.append(Block(t.top, t.bottom, table=t))
            table_words.append(words)
    outside = [p for k, p in enumerate(pieces) if k not in taken and not any(_inside(p, (t.x0, t.top, t.x1, t.bottom)) for t in tables)]
    blocks += column_blocks(_lines(outside), float(arr.shape[1]), source="ocr")
    blocks.sort(key=lambda b: (b.top, b.bottom))
    writer = PageWriter()
    breaks = paragraph_breaks(blocks)
    order = {id(b.table): i for i, b in enumerate(x for x in blocks if x.is_table)}
    for i, block in enumerate(blocks):
        if block.is_table:
            t: TableBox = block.table  # type: ignore[assignment]
            writer.table(t.grid, table_words[order[id(t)]])
            continue
        if i:
            writer.write(BLOCK_SEPARATOR if breaks[i - 1] else "\n")
        for j, line in enumerate(block.lines):
            if j:
                writer.write("\n")
            for w, p in enumerate(line.pieces):
                if w:
                    writer.write(" ")
                nxt = line.pieces[w + 1].text if w + 1 < len(line.pieces) else ""
                writer.word(_stray_stop(p.text, nxt), p.confidence)
    confs = [p.confidence for p in pieces if p.confidence is not None]
    return writer.page(ocr_confidence=round(statistics.fmean(confs), 1) if confs else None)


def ocr_pdf_pages(pdf, indexes: list[int], name: str) -> list[PageContent]:
    """OCR of the PDF's pages at `indexes` (0-based); raises IngestError ocr_missing / ocr_failed."""
    check_tesseract(name)
    out = []
    for i in indexes:
        bitmap = pdf[i].render(scale=DPI / 72, grayscale=True)
        img = bitmap.to_pil().convert("L")
        try:
            out.append(ocr_image(img))
        except RuntimeError as e:
            raise IngestError(OCR_FAILED, f"{name}: Tesseract could not read page {i + 1} ({str(e)[:100]})") from None
    return out
