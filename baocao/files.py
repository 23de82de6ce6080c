"""Which files a run reads: paths given on the command line, directories walked in name order."""

from __future__ import annotations

from pathlib import Path


def expand(paths: list[str | Path]) -> list[Path]:
    """Files under the given paths, sorted, hidden files skipped; a missing path is kept so that
    ingestion can reject it with a clear reason."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve() if f.exists() else f
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
