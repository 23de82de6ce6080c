"""How much one input may cost: settings with safe defaults, checked before the costly step.

    limits = Limits()                                   # the defaults below
    limits = Limits(max_pdf_pages=3000)                 # one run's override (baocao run --limit ...)
    BAOCAO_LIMIT_MAX_SECONDS=900 baocao run corpus/     # or from the environment

A limit is checked before the work it bounds: a zip's central directory (entry count and the sizes
its entries declare, which Python's zipfile never inflates past) before any part is read, a PDF's
page count before any page is parsed, a text file's size before it is decoded. Past a limit the
input is rejected with one line naming the limit and its value (rejected_inputs.limit_name), and
the run goes on. The defaults let a 1,000-page report through and keep a run under 1.5 GB.
"""

from __future__ import annotations

import io
import zipfile

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import LIMIT_EXCEEDED, IngestError

MB = 1_000_000


class Limits(BaseSettings):
    """Per-document limits; every field is also read from BAOCAO_LIMIT_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="BAOCAO_LIMIT_", frozen=True, extra="forbid")

    max_file_bytes: int = Field(default=256 * MB, gt=0, description="size of an input file on disk")
    max_zip_uncompressed_bytes: int = Field(
        default=256 * MB, gt=0, description="what the parts of a .docx/.xlsx/.odt would inflate to, all together")
    max_zip_entries: int = Field(default=10_000, gt=0, description="parts in a .docx/.xlsx/.odt archive")
    max_pdf_pages: int = Field(default=1_500, gt=0, description="pages of one PDF")
    max_text_chars: int = Field(default=8_000_000, gt=0, description="characters of one document's text")
    max_seconds: float = Field(default=600.0, gt=0, description="time to read and extract one document")

    def describe(self, name: str) -> str:
        value = getattr(self, name)
        return _size(value) if name.endswith("_bytes") else f"{value:g}" if isinstance(value, float) else f"{value:,}"


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def exceeded(name: str, limit_name: str, what: str, limits: Limits) -> IngestError:
    """The rejection of an input past `limit_name`, in one line that says how to raise it."""
    return IngestError(
        LIMIT_EXCEEDED,
        f"{name}: {what}, over the limit {limit_name} = {limits.describe(limit_name)} "
        f"(raise it with --limit {limit_name}=N or BAOCAO_LIMIT_{limit_name.upper()}=N)",
        limit=limit_name,
    )


def check_file_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise exceeded(name, "max_file_bytes", f"the file is {_size(size)}", limits)


def check_zip(name: str, data: bytes, limits: Limits) -> None:
    """The archive's entry count and declared sizes, from its central directory, before any part is
    inflated. A part cannot inflate past its declared size: zipfile stops there and fails the CRC."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a readable zip: the reader says what it is
    if len(infos) > limits.max_zip_entries:
        raise exceeded(name, "max_zip_entries", f"the archive has {len(infos):,} parts", limits)
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_uncompressed_bytes:
        raise exceeded(name, "max_zip_uncompressed_bytes",
                       f"its parts would inflate to {_size(total)} ({_size(len(data))} on disk)", limits)


def check_text_bytes(name: str, size: int, limits: Limits) -> None:
    """A text file with more bytes than 4 per allowed character (UTF-8's most) is over the limit
    before it is decoded."""
    if size > 4 * limits.max_text_chars:
        raise exceeded(name, "max_text_chars", f"the text file is {_size(size)}", limits)


def check_text(name: str, text: str, limits: Limits) -> None:
    if len(text) > limits.max_text_chars:
        raise exceeded(name, "max_text_chars", f"its text is {len(text):,} characters", limits)


def check_pages(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_pdf_pages:
        raise exceeded(name, "max_pdf_pages", f"the PDF has {n:,} pages", limits)
