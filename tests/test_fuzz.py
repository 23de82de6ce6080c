"""A fuzz pass: the readers over mutated copies of the corpus files (bytes flipped, truncated, 2 KB of
garbage written over the middle, zip entries shuffled, dropped or damaged). Every case must end as
loaded (or partial) or as a clear rejection; none may crash, hang, or raise anything else.

BAOCAO_FUZZ_CASES sets the number of cases (default 500, about two minutes on two cores);
BAOCAO_FUZZ_SEED another seed. Each case runs in a worker process, as in `baocao run`.
"""

from __future__ import annotations

import collections
import os
import time
from pathlib import Path

from hostile_inputs import fuzz_cases, fuzz_outcome

from baocao.ingest import Limits

CASES = int(os.environ.get("BAOCAO_FUZZ_CASES", "500"))
SEED = int(os.environ.get("BAOCAO_FUZZ_SEED", "14"))
TIMEOUT = 60.0  # per case; LibreOffice conversions take a few seconds


def test_every_mutated_file_ends_loaded_or_rejected(tmp_path: Path) -> None:
    cases = fuzz_cases(CASES, tmp_path / "fuzz", seed=SEED)
    outcomes: dict[str, str] = {}
    started = time.monotonic()
    for path, _src, _kind in cases:
        outcomes[path.name] = fuzz_outcome(path, Limits(max_seconds=TIMEOUT), TIMEOUT)
    took = time.monotonic() - started
    bad = {name: o for name, o in outcomes.items() if not o.startswith(("loaded", "partial", "rejected:"))}
    tally = collections.Counter(o if o.startswith("rejected:") else o.split(":")[0] for o in outcomes.values())
    print(f"\nfuzz: {len(cases)} cases in {took:.0f} s (seed {SEED}): {dict(tally.most_common())}")
    assert not bad, bad
    assert len(cases) == CASES and tally["loaded"] > 0 and sum(tally.values()) == CASES
