"""Republished articles: near-duplicate texts found in linear time, and what a copy changed.

Each document's signature is made once, when it is loaded (`text_signature`, stored in
documents.minhash): a MinHash (datasketch) of the word 5-grams of its *content*, the sentences
of running prose. Page furniture — a site's banner, menus, counters, a dateline, a byline, the
headline a republisher rewrote — is no sentence of prose and is left out, so a copy that lost
the original's banner still reads as the same article. datasketch's LSH index finds the
candidate pairs (no all-pairs); a candidate is a copy when its estimated Jaccard similarity and
its amount of content are close enough (audit_config.json, "duplicates"). The earliest dated
document of a cluster (then the first by name) is the original; the others are its copies.

Measured against the hand-written MinHash this replaced (bench/bench_minhash.py): the same
error against the true Jaccard and the same speed, so the library is used.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from schemas.records import TextSignature

from .config import AuditConfig, DuplicateSettings, fold
from .facts import DocInfo, Fact
from .findings import Finding, make_finding, object_words, stated

_WORD = re.compile(r"[^\W_]+")
_CHUNK = 8192  # shingles per MinHash update: datasketch holds num_perm x chunk values at once
# How a sentence of prose ends; a banner "Trang thông tin … (thành lập ngày 01/7/2019)", a
# headline or a dateline ends otherwise.
_PROSE_END = (".", "!", "?", "…", ";", ":", '."', ".”")
SCHEME_VERSION = "c1"  # what "content" means; a change makes stored signatures stale
_PERMUTATIONS = "affine32"  # datasketch's permutation scheme, for 32-bit input hashes (ours are)


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


def _identity(x: int) -> int:
    return x  # shingles are hashed already


def minhash(hashes: np.ndarray, s: DuplicateSettings) -> MinHash:
    m = MinHash(num_perm=s.num_perm, seed=s.seed, hashfunc=_identity, scheme=_PERMUTATIONS)
    for i in range(0, len(hashes), _CHUNK):  # bounded memory for long documents
        m.update_batch(hashes[i : i + _CHUNK].tolist())
    return m


def scheme(s: DuplicateSettings) -> str:
    """What a stored signature was made with: compared only with signatures of the same scheme."""
    return f"mh-{SCHEME_VERSION}-{_PERMUTATIONS}-p{s.num_perm}-s{s.seed}-w{s.shingle_words}"


def content_of(text: str, furniture: Sequence[tuple[int, int]] = ()) -> str:
    """The running prose of a text: its sentences that end like sentences and have a few words,
    outside furniture spans. Headlines, banners, menus, datelines and bylines are left out."""
    from extractors.sentences import split_sentences

    kept = []
    for sent in split_sentences(text):
        if any(a < sent.end and sent.start < b for a, b in furniture):
            continue
        body = sent.text.rstrip()
        if body.endswith(_PROSE_END) and len(body.split()) >= 6:
            kept.append(body)
    return "\n".join(kept)


def text_signature(text: str, s: DuplicateSettings, furniture: Sequence[tuple[int, int]] = ()) -> TextSignature:
    """The document's near-duplicate signature, made once at load time. A text with too little
    prose (a table, a form) is signed over all its text outside furniture instead."""
    hashes = shingles(content_of(text, furniture), s.shingle_words)
    if len(hashes) < s.min_shingles:
        outside, pos = [], 0
        for a, b in sorted(furniture):
            outside.append(text[pos:a])
            pos = max(pos, b)
        hashes = shingles("".join(outside) + text[pos:], s.shingle_words)
    values = np.asarray(minhash(hashes, s).hashvalues, dtype="<u8")
    return TextSignature(scheme=scheme(s), shingles=len(hashes), minhash=base64.b64encode(values.tobytes()).decode())


@dataclass(frozen=True)
class _Signed:
    minhash: MinHash
    shingles: int


def _stored(sig: TextSignature | None, s: DuplicateSettings) -> _Signed | None:
    if sig is None or sig.scheme != scheme(s):
        return None
    values = np.frombuffer(base64.b64decode(sig.minhash), dtype="<u8")
    if len(values) != s.num_perm:
        return None
    m = MinHash(num_perm=s.num_perm, seed=s.seed, hashvalues=values.astype(np.uint64), scheme=_PERMUTATIONS)
    return _Signed(m, sig.shingles)


def find_duplicates(texts: Mapping[str, str], docs: Mapping[str, DocInfo], cfg: AuditConfig) -> dict[str, str]:
    """{copy doc id: original doc id} for every republished document.

    A document's stored signature (DocInfo.signature) is used when it has one of the current
    scheme; else one is made from its text in `texts` (the sentences of its facts, for a
    document loaded before signatures were stored).
    """
    s = cfg.duplicates
    signed: dict[str, _Signed] = {}
    for doc_id in sorted(set(docs) | set(texts)):
        info = docs.get(doc_id)
        sig = _stored(info.signature if info else None, s)
        if sig is None and doc_id in texts:
            sig = _stored(text_signature(texts[doc_id], s), s)
        if sig is not None and sig.shingles >= s.min_shingles:  # too little text to tell a copy from a shared sentence
            signed[doc_id] = sig
    lsh = MinHashLSH(threshold=s.threshold, num_perm=s.num_perm)
    uf = _UnionFind()
    for doc_id, sig in signed.items():
        for other in sorted(lsh.query(sig.minhash)):  # candidates sharing an LSH band: linear, not all pairs
            if _similar(signed[other], sig, s):
                uf.union(other, doc_id)
        lsh.insert(doc_id, sig.minhash)
    clusters: dict[str, list[str]] = defaultdict(list)
    for doc_id in signed:
        clusters[uf.find(doc_id)].append(doc_id)
    copies: dict[str, str] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        original = min(members, key=lambda d: docs[d].original_order() if d in docs else (True, d))
        copies.update({d: original for d in members if d != original})
    return copies


def _similar(a: _Signed, b: _Signed, s: DuplicateSettings) -> bool:
    if a.minhash.jaccard(b.minhash) < s.threshold:
        return False
    # a short note quoting a long report is no copy
    return min(a.shingles, b.shingles) >= s.min_length_ratio * max(a.shingles, b.shingles)


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
