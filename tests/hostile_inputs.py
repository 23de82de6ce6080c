"""Hostile inputs made on the fly (nothing large is kept in the repository): zip bombs, archives of
many parts, PDFs of many pages, huge texts, text that is not text. Used by the tests, the fuzz pass
and bench/bench_hostile.py."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
PARAGRAPH = "<w:p><w:r><w:t>Toàn Đảng bộ có 84 tổ chức cơ sở đảng với 4.989 đảng viên.</w:t></w:r></w:p>"


def docx_bomb(path: Path, inflated_bytes: int) -> Path:
    """A small .docx whose word/document.xml inflates to `inflated_bytes` (the same paragraph over and over)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    tail = b"</w:body></w:document>"
    block = (PARAGRAPH * 2000).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            written = len(head)
            while written < inflated_bytes - len(tail):
                n = min(len(block), inflated_bytes - len(tail) - written)
                f.write(block[:n])
                written += n
            f.write(tail)
    return path


def docx_many_parts(path: Path, parts: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>{PARAGRAPH}</w:body></w:document>')
        for i in range(parts):
            zf.writestr(f"customXml/item{i}.xml", "<a/>")
    return path


def _pdf_string(s: str) -> str:
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_pdf(path: Path, pages: list[list[str]], compress: bool = True) -> Path:
    """A PDF with one Helvetica text line per entry of each page (WinAnsi: write ASCII text)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 790 Td"]
        for line in lines:
            ops += [f"{_pdf_string(line)} Tj", "T*"]
        ops.append("ET")
        raw = "\n".join(ops).encode("latin-1")
        data = zlib.compress(raw) if compress else raw
        flt = b" /Filter /FlateDecode" if compress else b""
        content = add(b"<< /Length %d%s >>\nstream\n" % (len(data), flt) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (pages_obj, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    path.write_bytes(out.getvalue())
    return path


REPORT_LINES = [
    "Bao cao so ket cong tac xay dung Dang nam 2023 cua Dang bo Khoi Doanh nghiep tinh.",
    "Toan Dang bo co 84 to chuc co so dang voi 4.989 dang vien; trong nam ket nap 141 dang vien moi.",
    "Cac chi bo duy tri sinh hoat dinh ky, nang cao chat luong sinh hoat chuyen de hang thang.",
]


def long_report(path: Path, n_pages: int) -> Path:
    """A text PDF of `n_pages` pages of report prose (unaccented: the PDF's built-in font)."""
    return text_pdf(path, [[f"Trang {i + 1}.", *REPORT_LINES * 8] for i in range(n_pages)])


def glyph_code_pdf(path: Path, n_pages: int = 6, bad: set[int] | None = None) -> Path:
    """Pages whose text is (cid:N) glyph codes (what an unmapped font gives), the others prose."""
    bad = set(range(1, n_pages + 1)) if bad is None else bad
    garbage = "".join(f"(cid:{(i * 37) % 251})" for i in range(60))
    pages = [[garbage] * 12 if i + 1 in bad else REPORT_LINES * 8 for i in range(n_pages)]
    return text_pdf(path, pages)


def big_text(path: Path, n_bytes: int) -> Path:
    """A UTF-8 text of report sentences, `n_bytes` long, written in pieces."""
    line = ("Toàn Đảng bộ có 84 tổ chức cơ sở đảng với 4.989 đảng viên, kết nạp 141 đảng viên mới.\n").encode()
    with open(path, "wb") as f:
        f.writelines(line for _ in range(n_bytes // len(line)))
    return path


# --- fuzzing: mutated copies of real files ---------------------------------------------------

import random

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# Read by LibreOffice (seconds a file) or OCR (tens of seconds a page): a few cases only.
SLOW_SUFFIXES = (".doc", ".rtf", ".odt", ".xls")


def fuzz_seeds(corpus: Path = CORPUS) -> list[Path]:
    """The corpus files a fuzz pass mutates: every format, scans left out (OCR takes ~3 s a page)."""
    extra = [Path(__file__).parent / "hostile" / "web_page.html"]
    return sorted(p for p in corpus.iterdir() if p.is_file() and ".scan." not in p.name) + extra


def _flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 4, 16, 64))):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _garbage(data: bytes, rng: random.Random) -> bytes:
    """2 KB of random bytes written over the middle of the file (content streams, XML parts)."""
    i = rng.randrange(len(data))
    junk = rng.randbytes(2048)
    return data[:i] + junk + data[i + len(junk):]


def _shuffle_zip(data: bytes, rng: random.Random) -> bytes:
    """The archive's entries in another order, one of them maybe dropped or its bytes flipped."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = [(i, zf.read(i)) for i in zf.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return _flip(data, rng)
    rng.shuffle(entries)
    if len(entries) > 1 and rng.random() < 0.3:
        entries.pop(rng.randrange(len(entries)))
    if entries and rng.random() < 0.5:
        k = rng.randrange(len(entries))
        info, body = entries[k]
        entries[k] = (info, _flip(body, rng) if body else body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in entries:
            zf.writestr(info.filename, body)
    return out.getvalue()


MUTATIONS = {"flip": _flip, "truncate": _truncate, "garbage": _garbage, "shuffle_zip": _shuffle_zip}


def fuzz_cases(n: int, out_dir: Path, seed: int = 14, corpus: Path = CORPUS, slow_share: float = 0.03) -> list[tuple[Path, str, str]]:
    """`n` mutated files in `out_dir`: (path, seed file name, mutation). Zip-based seeds get their
    entries shuffled as often as their bytes flipped; files LibreOffice converts are a few cases."""
    rng = random.Random(seed)
    seeds = fuzz_seeds(corpus)
    fast = [p for p in seeds if p.suffix.lower() not in SLOW_SUFFIXES]
    slow = [p for p in seeds if p.suffix.lower() in SLOW_SUFFIXES]
    blobs = {p: p.read_bytes() for p in seeds}
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for i in range(n):
        src = rng.choice(slow) if slow and rng.random() < slow_share else rng.choice(fast)
        data = blobs[src]
        kinds = ["flip", "truncate", "garbage"] + (["shuffle_zip"] * 2 if data.startswith(b"PK") else [])
        kind = rng.choice(kinds)
        path = out_dir / f"{i:04d}_{kind}_{src.name}"
        path.write_bytes(MUTATIONS[kind](data, rng))
        cases.append((path, src.name, kind))
    return cases


def fuzz_outcome(path: Path, limits, timeout: float) -> str:
    """How one mutated file ends: "loaded", "partial", "rejected:<code>", "timeout", "crash:<how>",
    or "error:<type>" for an exception that is not a clear rejection (a reader bug)."""
    from baocao.ingest import IngestError, read_document
    from baocao.isolation import run_isolated

    outcome = run_isolated(read_document, (path, limits), timeout)
    if outcome.timed_out:
        return "timeout"
    if outcome.crashed:
        return f"crash:{outcome.crashed}"
    if isinstance(outcome.error, IngestError):
        return f"rejected:{outcome.error.code}"
    if outcome.error is not None:
        return f"error:{type(outcome.error).__name__}: {outcome.error}"
    return "partial" if outcome.value.quality == "partial" else "loaded"
