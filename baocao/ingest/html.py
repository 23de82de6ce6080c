"""A web page, saved as .html or as .txt: its main content as text, without markup or furniture.

Provincial news sites are read by saving the page, and a page saved as "text" is often still
its HTML source. Read as plain text, its tags, scripts and comments would be sentences ("<!--
99 đảng viên -->" a phantom figure) and its menus and sidebars (other articles' headlines,
visitor counters) facts. trafilatura finds the article's main content; the title stays the
first paragraph (titles carry figures too: "Kết nạp 141 đảng viên").
"""

from __future__ import annotations

import re

from .errors import NO_TEXT, IngestError
from .text import decode_text

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
_SNIFF_BYTES = 65_536
_DOCTYPE = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html|^\s*<html[\s>]", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(rb"<(html|head|body|div|p|script|meta|title|span|table|article|br|a)[\s>/]", re.IGNORECASE)
_MIN_KINDS = 3  # distinct tags: a report quoting "<p>" once is no web page


def looks_like_html(data: bytes) -> bool:
    """Does this file hold HTML source (whatever its name)?"""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    if _DOCTYPE.match(head):
        return True
    return len({m.group(1).lower() for m in _TAGS.finditer(head)}) >= _MIN_KINDS


def extract_html(data: bytes, name: str) -> tuple[str, str]:
    """(main-content text, encoding) of a web page: one paragraph per block, blank lines between.

    Raises IngestError: no_text when the page has no readable text at all.
    """
    import trafilatura

    html, encoding = decode_text(data, name)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=False,
                               include_links=False, deduplicate=False, favor_recall=True)
    if not text:
        # No article found (a bare list or table page): the page's visible text, scripts and styles dropped.
        text = trafilatura.html2txt(html)
    paragraphs = [" ".join(line.split()) for line in (text or "").splitlines()]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        raise IngestError(NO_TEXT, f"{name}: the web page has no visible text")
    return body, f"{encoding}+html"
