"""datasketch's MinHash against the hand-written one it replaced: error against the true Jaccard, speed.

    .venv/bin/python bench/bench_minhash.py [--dev ../shared/eval/dev/docs] [--pairs 200]

Both sign the same word 5-gram hashes (baocao.audit.duplicates.shingles) with 128 permutations.
The error is measured on pairs of synthetic texts whose true Jaccard similarity is known; the
speed on the dev documents one by one and on one long text (the dev set repeated). Not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baocao.audit.config import default_config
from baocao.audit.duplicates import minhash, shingles

_PRIME = np.uint64(4294967311)


class HandWritten:
    """The MinHash baocao had before (universal hashing (a*h + b) mod p, numpy), kept here to compare."""

    def __init__(self, num_perm: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**32 - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 2**32 - 1, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        sig = np.full(self.a.shape, np.iinfo(np.uint64).max, dtype=np.uint64)
        for i in range(0, len(hashes), 4096):
            sig = np.minimum(sig, ((hashes[i : i + 4096, None] * self.a + self.b) % _PRIME).min(axis=0))
        return sig


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "docs")
    ap.add_argument("--pairs", type=int, default=200)
    args = ap.parse_args()
    s = default_config().duplicates
    hand = HandWritten(s.num_perm, s.seed)
    signers = {
        "hand-written": lambda h: hand.signature(h),
        "datasketch": lambda h: minhash(h, s),
    }
    agree = {
        "hand-written": lambda x, y: float(np.mean(x == y)),
        "datasketch": lambda x, y: x.jaccard(y),
    }
    rng = random.Random(1)
    errors: dict[str, list[float]] = {k: [] for k in signers}
    for _ in range(args.pairs):
        words = [f"w{rng.randrange(10**6)}" for _ in range(600)]
        k = rng.randrange(0, 300)
        other = words[: 600 - k] + [f"x{rng.randrange(10**6)}" for _ in range(k)]
        sa, sb = shingles(" ".join(words), s.shingle_words), shingles(" ".join(other), s.shingle_words)
        true = len(np.intersect1d(sa, sb)) / len(np.union1d(sa, sb))
        for name, sign in signers.items():
            errors[name].append(abs(agree[name](sign(sa), sign(sb)) - true))
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.dev.glob("*.txt"))]
    hashed = [shingles(t, s.shingle_words) for t in texts]
    long = shingles("\n".join(texts) * 12, s.shingle_words)
    print(f"{len(texts)} dev documents, {sum(map(len, hashed))} shingles; long text {len(long)} shingles; "
          f"{args.pairs} pairs of known Jaccard")
    print(f"{'':14} {'mean |err|':>10} {'p95 |err|':>10} {'max |err|':>10} {'dev docs (ms)':>14} {'long (ms)':>10}")
    for name, sign in signers.items():
        t0 = time.perf_counter()
        for h in hashed:
            sign(h)
        t1 = time.perf_counter()
        sign(long)
        t2 = time.perf_counter()
        e = errors[name]
        print(f"{name:14} {np.mean(e):10.4f} {np.percentile(e, 95):10.4f} {max(e):10.4f} {1000 * (t1 - t0):14.1f} "
              f"{1000 * (t2 - t1):10.1f}")


if __name__ == "__main__":
    main()
