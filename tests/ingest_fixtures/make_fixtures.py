"""Build the committed fixtures of tests/ingest_fixtures/ (not run by the tests or CI).

Needs: fpdf2 and pypdf (`pip install fpdf2 pypdf`), Pillow, glibc `iconv`, and the DejaVu
Sans font (Debian `fonts-dejavu-core`).  Run from the repository root:

    .venv/bin/python tests/ingest_fixtures/make_fixtures.py

Text fixtures hold the same Vietnamese sentences (taken from corpus/) in each encoding an old
report may come in.  The encoders here are independent of the decoders under test where one
exists: Python's codecs for UTF-8/16, a per-letter Windows-1258 encoder (base letter +
combining tone, as Windows keyboards type it), and glibc iconv's TCVN5712-1 for TCVN3.  VNI
has no independent encoder, so the tests also check hand-typed VNI strings.
"""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# Sentences from corpus/000, 003 and 001; none has a toned capital (TCVN3 cannot hold one).
SENTENCES = (
    "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên.\n"
    "Trong năm 2021, toàn Đảng bộ Khối kết nạp được 95 đảng viên mới (118,75% kế hoạch), trong đó có "
    "11/95 (11,58%) đảng viên trong doanh nghiệp ngoài khu vực nhà nước.\n"
    "Toàn tỉnh có 27 đảng viên làm việc ở các khu công nghiệp, khu kinh tế, sinh hoạt đảng ở nơi cư trú; "
    "về tổ chức đoàn thể trong các doanh nghiệp, có 137 tổ chức công đoàn với 62.103 đoàn viên, 07 tổ "
    "chức đoàn thanh niên với 543 đoàn viên trong các doanh nghiệp ở khu công nghiệp.\n"
)
TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as keyboards wrote it: precomposed where cp1258 has it, else base + tone."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        tone = "".join(c for c in decomposed if c in TONES)
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def encode_tcvn3_iconv(text: str) -> bytes:
    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True, check=True
    ).stdout


def write_text_fixtures() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from baocao.ingest.legacy import encode_legacy  # the only VNI encoder there is

    (HERE / "sentences.expected.txt").write_text(SENTENCES, encoding="utf-8")
    (HERE / "sentences.utf8.txt").write_bytes(SENTENCES.encode("utf-8"))
    (HERE / "sentences.utf8sig.txt").write_bytes(SENTENCES.encode("utf-8-sig"))
    (HERE / "sentences.utf16.txt").write_bytes(SENTENCES.encode("utf-16"))  # BOM + little endian
    (HERE / "sentences.cp1258.txt").write_bytes(encode_cp1258(SENTENCES).replace(b"\n", b"\r\n"))
    (HERE / "sentences.tcvn3.txt").write_bytes(encode_tcvn3_iconv(SENTENCES).replace(b"\n", b"\r\n"))
    (HERE / "sentences.vni.txt").write_bytes(encode_legacy(SENTENCES, "vni").replace(b"\n", b"\r\n"))


def _small_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def write_pdf_fixtures() -> None:
    first = SENTENCES.splitlines()[0]
    # Tone marks drawn as separate combining glyphs (as some PDF producers do).
    (HERE / "combining_marks.pdf").write_bytes(_small_pdf(unicodedata.normalize("NFD", first)))

    plain = _small_pdf(first)
    for out_name, kwargs in (
        ("encrypted_rc4.pdf", {"user_password": "bi-mat", "algorithm": "RC4-128"}),
        ("encrypted_aes256.pdf", {"user_password": "bi-mat", "algorithm": "AES-256"}),
        # Only an owner password: anyone may open it, so it must read normally.
        ("owner_password_only.pdf", {"user_password": "", "owner_password": "chu-so-huu", "algorithm": "AES-128"}),
    ):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
        writer.encrypt(**kwargs)
        buf = io.BytesIO()
        writer.write(buf)
        (HERE / out_name).write_bytes(buf.getvalue())

    # A "scan": the page is one picture of text, with no text layer.
    image = Image.new("L", (600, 120), 255)
    ImageDraw.Draw(image).text((10, 50), "scanned page / trang quet", fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=10, y=10, w=180)
    (HERE / "scanned_no_text.pdf").write_bytes(bytes(pdf.output()))


if __name__ == "__main__":
    write_text_fixtures()
    write_pdf_fixtures()
    print("fixtures written to", HERE)
