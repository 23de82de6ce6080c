"""Shared by the tests: where the dev documents are, and a SourceDocument made from a text."""

import hashlib
from pathlib import Path

import pytest

from schemas.records import Page, SourceDocument

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "docs"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev documents not found at {DEV}")
KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"


def text_doc(name: str, text: str) -> SourceDocument:
    data = text.encode("utf-8")
    return SourceDocument(
        id=hashlib.sha256(data).hexdigest(), path=f"corpus/{name}", name=name, format="txt", encoding="utf-8",
        size_bytes=len(data), text=text, raw_text=text, pages=[Page(number=1, start=0, end=len(text))],
    )
