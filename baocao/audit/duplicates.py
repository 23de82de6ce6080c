"""Republished articles: near-duplicate texts found in linear time, and what a copy changed.

MinHash signatures over normalized word shingles; LSH splits each signature into bands and puts
documents with an equal band in one bucket, so only documents sharing a bucket are compared (no
all-pairs). A candidate is a duplicate when its estimated Jaccard similarity and its length are
close enough (audit_config.json, "duplicates"). The earliest dated, else first loaded, document of
a cluster is the original; the others are its copies.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np

from .config import AuditConfig, DuplicateSettings, fold
from .facts import DocInfo, Fact
from .findings import Finding, make_finding, object_words, stated

_WORD = re.compile(r"[^\W_]+")
_PRIME = np.uint64(4294967311)  # the first prime above 2**32: (a*h + b) stays below 2**64
_CHUNK = 4096


@lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode())


def shingles(text: str, k: int) -> np.ndarray:
    """Distinct 32-bit hashes of the text's word k-grams (case-folded, punctuation dropped).

    Each word is hashed once (words repeat across a corpus) and a k-gram's hash mixes its words'
    hashes with numpy, so no k-gram string is ever built.
    """
    words = _WORD.findall(fold(text))
    if not words:
        return np.empty(0, dtype=np.uint64)
    w = np.fromiter((_word_hash(x) for x in words), dtype=np.uint64, count=len(words))
    n = max(1, len(w) - k + 1)
    mixed = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(w))):
        # multiply-xorshift mixing; uint64 arithmetic wraps, which is what a hash wants
        mixed = (mixed ^ w[j : j + n]) * np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
    return np.unique(mixed & np.uint64(0xFFFFFFFF))


class MinHasher:
    """num_perm universal hash functions h -> (a*h + b) mod p; a signature keeps each one's minimum."""

    def __init__(self, num_perm: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**32 - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 2**32 - 1, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        sig = np.full(self.a.shape, np.iinfo(np.uint64).max, dtype=np.uint64)
        for i in range(0, len(hashes), _CHUNK):  # bounded memory for long documents
            h = hashes[i : i + _CHUNK, None]
            sig = np.minimum(sig, ((h * self.a + self.b) % _PRIME).min(axis=0))
        return sig


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def find_duplicates(texts: Mapping[str, str], docs: Mapping[str, DocInfo], cfg: AuditConfig) -> dict[str, str]:
    """{copy doc id: original doc id} for every republished document among `texts`."""
    s = cfg.duplicates
    hasher = MinHasher(s.num_perm, s.seed)
    rows = s.num_perm // s.bands
    sigs: dict[str, np.ndarray] = {}
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for doc_id in sorted(texts):
        sh = shingles(texts[doc_id], s.shingle_words)
        if len(sh) < s.min_shingles:
            continue  # too little text to tell a copy from a shared sentence
        sig = hasher.signature(sh)
        sigs[doc_id] = sig
        for band in range(s.bands):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(doc_id)
    uf = _UnionFind()
    checked: set[tuple[str, str]] = set()
    for members in buckets.values():
        first = members[0]
        for other in members[1:]:  # each against the bucket's first: linear, not all pairs
            pair = (first, other)
            if pair in checked:
                continue
            checked.add(pair)
            if _similar(first, other, sigs, texts, docs, s):
                uf.union(first, other)
    clusters: dict[str, list[str]] = defaultdict(list)
    for doc_id in sigs:
        clusters[uf.find(doc_id)].append(doc_id)
    copies: dict[str, str] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        original = min(members, key=lambda d: docs[d].original_order() if d in docs else (True, d))
        copies.update({d: original for d in members if d != original})
    return copies


def _similar(a: str, b: str, sigs: Mapping[str, np.ndarray], texts: Mapping[str, str], docs: Mapping[str, DocInfo],
             s: DuplicateSettings) -> bool:
    if float(np.mean(sigs[a] == sigs[b])) < s.threshold:
        return False
    lengths = [(len(texts[a]), len(texts[b]))]
    da, db = docs.get(a), docs.get(b)
    if da and db and da.text_length and db.text_length:
        lengths.append((da.text_length, db.text_length))  # a short note quoting a long report is no copy
    return all(min(x, y) >= s.min_length_ratio * max(x, y) for x, y in lengths)


def texts_from_sentences(rows: Iterable[tuple[str, int, str]]) -> dict[str, str]:
    """A document's text as far as the store keeps it: its facts' distinct sentences, in order."""
    by_doc: dict[str, dict[int, str]] = defaultdict(dict)
    for doc_id, start, sentence in rows:
        if sentence:
            by_doc[doc_id].setdefault(int(start), sentence)
    return {d: "\n".join(s for _, s in sorted(sents.items())) for d, sents in by_doc.items()}


# --- what a copy changed ------------------------------------------------------------


def _masked(sentence: str) -> str:
    return re.sub(r"\d[\d.,]*", "#", fold(sentence))


def copy_differences(facts_by_doc: Mapping[str, Sequence[Fact]], copies: Mapping[str, str], cfg: AuditConfig) -> list[Finding]:
    """Figures a republished copy states differently from its original, in the same sentence."""
    findings = []
    for copy_id, original_id in copies.items():
        original = _by_place(facts_by_doc.get(original_id, ()))
        for key, f in _by_place(facts_by_doc.get(copy_id, ())).items():
            o = original.get(key)
            if o is None or (o.value == f.value and o.qualifier == f.qualifier):
                continue
            words = object_words(f, cfg)
            findings.append(
                make_finding(
                    "republished_differs",
                    cfg.severity("republished_differs"),
                    [(o, "original"), (f, "copy")],
                    cfg.message(
                        "republished_differs",
                        copy=f.doc_name,
                        original=o.doc_name,
                        copy_value=stated(f.value, f.qualifier),
                        original_value=stated(o.value, o.qualifier),
                        **words,
                    ),
                    f"{stated(f.value, f.qualifier)} ≠ {stated(o.value, o.qualifier)}",
                )
            )
    return findings


def _by_place(facts: Iterable[Fact]) -> dict[tuple, Fact]:
    """Facts keyed by where they stand: the sentence with its numbers masked, and which figure of it."""
    out: dict[tuple, Fact] = {}
    seen: dict[tuple, int] = defaultdict(int)
    for f in facts:
        base = (_masked(f.sentence), f.object, f.event, f.target)
        out[(*base, seen[base])] = f
        seen[base] += 1
    return out


def signature(finding: Finding) -> tuple:
    """What a finding says regardless of which copy it was read in."""
    return (finding.rule, tuple(sorted((r.object, r.event, r.value, fold(r.quote)) for r in finding.facts)))


def drop_repeats_of_originals(findings_by_doc: Mapping[str, list[Finding]], copies: Mapping[str, str]) -> list[Finding]:
    """Within-document findings, with a copy's findings left out where its original has the same one."""
    out: list[Finding] = []
    for doc_id, findings in findings_by_doc.items():
        original = copies.get(doc_id)
        if original is None:
            out.extend(findings)
            continue
        known = {signature(f) for f in findings_by_doc.get(original, [])}
        out.extend(f for f in findings if signature(f) not in known)
    return out
