"""The Party document format (thể thức văn bản của Đảng) read from a document's text: the header
block, the document type and title, the signature block and the recipients.

    TỈNH ỦY LÂM ĐỒNG                      ĐẢNG CỘNG SẢN VIỆT NAM
    BAN TỔ CHỨC                          Lâm Đồng, ngày 20 tháng 01 năm 2022
         *
    Số 45-BC/BTCTU
                         BÁO CÁO
        Kết quả công tác tổ chức xây dựng Đảng năm 2021
    …
    Nơi nhận:                            T/M BAN THƯỜNG VỤ
    - Ban Tổ chức Trung ương,            BÍ THƯ
    - Lưu VP.                            Nguyễn Văn A

The two columns come as the readers give them: one after the other (a Word header table, a PDF
read column by column, a text file typed that way), side by side on one line (tabs, " | " or
runs of spaces) or glued into one line; each line is cut into pieces and every piece is
recognized by what it is, not by where it stands.  Words are compared without case and accents
(`fold`), so a header typed in capitals without their marks, or read by OCR, still matches.

`spans` are the header block (issuer lines down to the place-date line) and the signature block
with the recipients: text that names the document's issuer and signer, never a figure's subject.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from schemas.records import DocumentHeader

_PIECE_SPLIT = re.compile(r"\t+|\s+\|\s+| {3,}")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_SYMBOL = re.compile(r"^SO\s*[:.]?\s*(?P<sym>.*)$")


def _accentless() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base != chr(code) and base:
            table[code] = base
    for mark in range(0x300, 0x370):  # combining marks of decomposed input
        table[mark] = ""
    return table


_ACCENTLESS = _accentless()


def fold(s: str) -> str:
    """Upper case without accents, spaces collapsed (for comparisons)."""
    return " ".join(s.translate(_ACCENTLESS).upper().split())


@dataclass(frozen=True)
class FormatRules:
    national: frozenset[str]
    motto: frozenset[str]
    separators: frozenset[str]
    heads: tuple[str, ...]  # folded, longest first
    types: dict[str, str]  # folded upper type -> type word as in doc_types.json ("Báo cáo")
    codes: dict[str, str]  # folded symbol type code -> type word
    openers: tuple[str, ...]
    subject_prefixes: tuple[str, ...]
    recipients: tuple[str, ...]
    on_behalf: tuple[str, ...]
    roles: frozenset[str]
    notes: frozenset[str]
    head_lines: int
    tail_lines: int


def format_rules(d: dict, doc_types: dict) -> FormatRules:
    """The Party document format's words (party_format.json, doc_types.json), compiled once by
    extractors.rules.load_rules()."""
    types = {fold(t): t for t in doc_types["types"]}
    for upper in d["doc_types_upper"]:
        types.setdefault(fold(upper), upper.capitalize())
    return FormatRules(
        national=frozenset(fold(x) for x in d["national_lines"]),
        motto=frozenset(fold(x) for x in d["motto_lines"]),
        separators=frozenset(d["separator_lines"]),
        heads=tuple(sorted({fold(h) for h in d["issuer_heads"]}, key=len, reverse=True)),
        types=types,
        codes={fold(k): v for k, v in doc_types["codes"].items()},
        openers=tuple(d["body_openers"]),
        subject_prefixes=tuple(d["subject_line_prefixes"]),
        recipients=tuple(fold(x) for x in d["recipients_words"]),
        on_behalf=tuple(sorted((fold(x) for x in d["on_behalf_prefixes"]), key=len, reverse=True)),
        roles=frozenset(fold(x) for x in d["roles"]),
        notes=frozenset(fold(x) for x in d["signature_notes"]),
        head_lines=d["head_lines"],
        tail_lines=d["tail_lines"],
    )


@dataclass
class _Piece:
    start: int
    end: int
    text: str
    line: int

    @functools.cached_property
    def folded(self) -> str:  # read by several checks of the same piece
        return fold(self.text)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


# "Lâm Đồng, ngày 20 tháng 01 năm 2022" (folded: "LAM DONG, NGAY 20 THANG 01 NAM 2022")
_PLACE_DATE = re.compile(
    r"(?P<place>[^,.;:]{2,60}?)\s*[,.]\s*NGAY\s*(?P<d>[0-9OIL|]{0,2})\s*(?:THANG\s*(?P<m>[0-9OIL|]{0,2})\s*NAM\s*(?P<y>[0-9OIL|]{4})"
    r"|(?P<d2>\d{1,2})\s*[/-]\s*(?P<m2>\d{1,2})\s*[/-]\s*(?P<y2>\d{4}))"
)


def _pieces(text: str, lo: int, hi: int, lines: list[tuple[int, int, str]], r: FormatRules) -> list[_Piece]:
    """Pieces of the lines between offsets lo and hi; a piece holding a national line or a
    place-date line inside other text is cut around it."""
    out: list[_Piece] = []
    for number, (s, e, line) in enumerate(lines):
        if e < lo or s > hi:
            continue
        whole = line.strip()
        if len(whole) > 200:
            continue  # a paragraph of the body, not a line of a header or a signature block
        if whole and _whole_line(whole, r):
            ps = s + line.find(whole)
            out.append(_Piece(ps, ps + len(whole), whole, number))
            continue
        pos = 0
        for part in _PIECE_SPLIT.split(line):
            k = line.find(part, pos)
            pos = k + len(part)
            stripped = part.strip()
            if not stripped:
                continue
            ps = s + k + (len(part) - len(part.lstrip()))
            out += _cut(_Piece(ps, ps + len(stripped), stripped, number), r)
    return out


def _whole_line(line: str, r: FormatRules) -> bool:
    """A line that is one thing (a symbol, a place-date line, a national line, a type) even with
    wide spaces inside: "Số      -/ĐU", "Thái Nguyên, ngày      tháng 10 năm 2021"."""
    f = fold(line)
    if f in r.national or f in r.types:
        return True
    if _SYMBOL.match(f) and re.search(r"[/-]", f) and len(line) < 40:
        return True
    m = _PLACE_DATE.fullmatch(f.rstrip(".")) if "NGAY" in f else None
    return bool(m and _is_place(line[: len(line) - len(line.lstrip())] + line.strip().split(",")[0]))


def _is_place(s: str) -> bool:
    """A place name: every word capitalized ("Lâm Đồng", "TP. Hồ Chí Minh"), not "Hôm nay"."""
    words = s.replace(".", " ").split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() for w in words)


def _cut(p: _Piece, r: FormatRules) -> list[_Piece]:
    folded = p.folded
    for nat in r.national:
        i = folded.find(nat)
        if i > 0 or (i == 0 and len(folded) > len(nat) + 1):
            # folded text keeps word order: cut on the word boundary in the original
            words = p.text.split()
            n_before = len(folded[:i].split())
            n_nat = len(nat.split())
            return [x for x in (_sub(p, words[:n_before]), _sub(p, words[n_before : n_before + n_nat]),
                                _sub(p, words[n_before + n_nat :])) if x]
    m = _PLACE_DATE.search(folded) if "NGAY" in folded else None
    if m and m.start("place") > 0:
        words = p.text.split()
        before = folded[: m.start("place")].split()
        # "ĐẢNG ỦY KHỐI DOANH NGHIỆP Lâm Đồng, ngày …": the place starts at the first word not in capitals
        k = len(before)
        place_words = folded[m.start("place") : m.end("place")].split()
        while k < len(before) + len(place_words) and words[k].isupper() and len(words[k]) > 1:
            k += 1
        if 0 < k < len(words):
            return [x for x in (_sub(p, words[:k]), _sub(p, words[k:])) if x]
    return [p]


def _sub(p: _Piece, words: list[str]) -> _Piece | None:
    if not words:
        return None
    phrase = " ".join(words)
    # find the words in the original piece (single spaces between them in the normalized text)
    i = p.text.find(words[0])
    j = p.text.rfind(words[-1])
    if i < 0 or j < 0:
        return None
    return _Piece(p.start + i, p.start + j + len(words[-1]), p.text[i : j + len(words[-1])] or phrase, p.line)


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _int(s: str | None) -> int | None:
    if not s:
        return None
    s = s.translate(_DIGIT_FIX)
    return int(s) if s.isdigit() else None


def _place_date(p: _Piece) -> tuple[str, dt.date | None] | None:
    folded = p.folded
    m = _PLACE_DATE.fullmatch(folded.rstrip(".")) if "NGAY" in folded else None
    if not m:
        return None
    sep = min((i for i in (p.text.find(","), p.text.find(".")) if i > 0), default=len(p.text))
    place = p.text[:sep].strip()
    if not _is_place(place):
        return None
    d, mo, y = (_int(m.group("d")), _int(m.group("m")), _int(m.group("y"))) if m.group("y") else (
        _int(m.group("d2")), _int(m.group("m2")), _int(m.group("y2")))
    date = None
    if d and mo and y:
        try:
            date = dt.date(y, mo, d)
        except ValueError:
            date = None
    return place, date


def _symbol(p: _Piece) -> str | None:
    """'Số 45-BC/TU' -> '45-BC/TU'; 'Số: 012/BC-UBND' -> '12/BC-UBND'; a blank number (a draft) -> None."""
    folded = p.folded
    m = _SYMBOL.match(folded)
    if not m or not re.search(r"[/-]", folded):
        return None
    start = len(p.text) - len(p.text.lstrip())
    raw = re.sub(r"^\s*S[ốố]?\S?\s*[:.]?\s*", "", p.text[start:], flags=re.IGNORECASE) if p.text[:2].lower() == "số" else m.group("sym")
    raw = re.sub(r"\s+", "", raw)
    raw = re.sub(r"[-–—]+", "-", raw).upper()
    n = re.match(r"0*(\d+)(.*)$", raw)
    if not n:
        return None
    return n.group(1) + n.group(2)


def _type_code(symbol: str) -> str | None:
    """The type code of a symbol: 45-BC/TU -> BC; 12/BC-UBND -> BC; 98/2014/NĐ-CP -> NĐ."""
    parts = re.split(r"[-/]", symbol)
    for part in parts[1:]:
        if part and not part.isdigit():
            return fold(part)
    return None


def _units(pieces: list[_Piece], r: FormatRules) -> list[str]:
    """Issuer lines grouped into bodies: a line that starts with a head word opens a body."""
    units: list[list[str]] = []
    for p in pieces:
        f = p.folded
        if not units or any(f == h or f.startswith(h + " ") for h in r.heads):
            units.append([p.text])
        else:
            units[-1].append(p.text)
    return [" ".join(" ".join(u).split()) for u in units]


def _is_name(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in s) or s.endswith((":", ",", ";")):
        return False
    return all(w[:1].isupper() for w in words)


def _read_top(text: str, lines: list[tuple[int, int, str]], h: DocumentHeader, r: FormatRules) -> None:
    top = lines[: r.head_lines]
    type_line = None
    for number, (_, _, line) in enumerate(top):
        if len(line.strip()) < 40 and fold(line.strip().strip("*").strip()) in r.types:
            type_line = number
            break
        if len(line) > 160:
            break
    last_head = (type_line if type_line is not None else min(len(top), 14))
    if last_head == 0 and type_line is None:
        return
    head_end = top[last_head - 1][1] if last_head else 0
    pieces = _pieces(text, 0, head_end, lines, r) if last_head else []
    orgs: list[_Piece] = []
    header_pieces: list[_Piece] = []
    signals = 0
    for p in pieces:
        f = p.folded
        if f in r.national:
            signals += 1
            header_pieces.append(p)
        elif f in r.motto or p.text in r.separators or re.fullmatch(r"[-_*+.=]{1,}", p.text):
            header_pieces.append(p)
        elif _SYMBOL.match(f) and re.search(r"[/-]", f):
            h.symbol = _symbol(p)
            signals += 1
            header_pieces.append(p)
        elif (pd := _place_date(p)) is not None:
            h.place, h.date = pd
            signals += 1
            header_pieces.append(p)
        elif _is_upper(p.text) and len(p.text) <= 80:
            orgs.append(p)
            header_pieces.append(p)
        elif p.text.startswith(r.subject_prefixes):
            h.title = p.text
            header_pieces.append(p)
    if type_line is not None:
        h.doc_type = r.types[fold(top[type_line][2].strip().strip("*").strip())]
        title: list[str] = []
        for _, _, ln in lines[type_line + 1 : type_line + 12]:
            t = ln.strip().strip("*").strip()
            if not t:
                if title:
                    break
                continue
            if t in r.separators or re.fullmatch(r"[-_*=.]{3,}", t) or t.startswith(r.openers) and title:
                break
            title.append(t)
            if len(" ".join(title)) > 400:
                break
        if title:
            h.title = " ".join(" ".join(title).replace("**", "").split())
    recognized = signals >= 2 or (signals >= 1 and type_line is not None)
    if not recognized:
        h.symbol = h.place = None
        h.date = None
        if type_line is None:
            h.title = None
        return
    units = _units(orgs, r)
    if units:
        h.issuer = units[-1]
        h.issuer_parent = units[-2] if len(units) > 1 else None
    if h.doc_type is None and h.symbol and (code := _type_code(h.symbol)) in r.codes:
        h.doc_type = r.codes[code]
    if header_pieces:
        h.spans.append((min(p.start for p in header_pieces), max(p.end for p in header_pieces)))


def _read_tail(text: str, lines: list[tuple[int, int, str]], h: DocumentHeader, r: FormatRules) -> None:
    first = max(0, len(lines) - r.tail_lines)
    tail = lines[first:]
    start_line = None
    for k, (_, _, line) in enumerate(tail):
        if len(line.strip()) >= 120:
            continue  # a paragraph of the body: the block opens with a short line
        f = fold(line.strip())
        if any(f.startswith(w) for w in r.recipients) or _on_behalf(f, r) or (f in r.roles and k > 0):
            start_line = k
            break
    if start_line is None:
        return
    pieces = _pieces(text, tail[start_line][0], len(text), lines, r)
    recipients: list[str] = []
    roles: list[str] = []
    names: list[_Piece] = []
    in_recipients = False
    found_role = False
    for p in pieces:
        f = p.folded
        t = p.text
        if any(f.startswith(w) for w in r.recipients):
            in_recipients = True
            rest = t.split(":", 1)[1].strip() if ":" in t else ""
            if rest:
                recipients.append(rest.lstrip("-+•").strip().rstrip(",;."))
            continue
        if in_recipients and t[:1] in "-+•":
            # a bulleted recipient, also when the signature column is interleaved with the list
            item = t.lstrip("-+•").strip().rstrip(",;.")
            if item:
                recipients.append(item)
            continue
        if _on_behalf(f, r) or f in r.roles:
            roles.append(" ".join(t.split()))
            found_role = True
            continue
        if f in r.notes or (t.startswith("(") and t.endswith(")")):
            continue
        if found_role and _is_name(t):
            names.append(p)
            continue
        if in_recipients and not found_role:
            # OCR drops the bullets: the lines between "Nơi nhận" and the signature are the list
            item = t.lstrip("-+•").strip().rstrip(",;.")
            if item:
                recipients.append(item)
    if not (roles or recipients):
        return
    h.recipients = recipients
    if roles:
        h.signer_role = ", ".join(roles)
    if names:
        h.signer = " ".join(names[-1].text.split())
    h.spans.append((tail[start_line][0], len(text.rstrip())))


def _on_behalf(folded: str, r: FormatRules) -> bool:
    """"T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "TM. BAN CHẤP HÀNH": signing on behalf of a body."""
    return len(folded.split()) >= 2 and any(folded.startswith((p + " ", p.rstrip(".") + ". ")) for p in r.on_behalf)


def read_header(text: str, r: FormatRules) -> DocumentHeader:
    """The header, title, signature and recipients of `text`; empty fields when it has none."""
    lines = _lines(text)
    h = DocumentHeader()
    _read_top(text, lines, h, r)
    _read_tail(text, lines, h, r)
    return h
