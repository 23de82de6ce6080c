"""underthesea's word segmentation, its model decoded here: the same words, at a fraction of the cost.

underthesea cuts a line into syllables (its regex tokenizer) and tags each syllable as the start
(B-W) or the continuation (I-W) of a word with a linear-chain CRF over 43 features: the syllable
two before to two after, their pairs and triples, as written, in lower case, in title case, as a
digit, in its dictionary (templates in the model's features.bin).  Its Rust featurizer writes the
43 feature strings of every syllable on every call and its tagger looks each one up again: about
25 µs a syllable, the largest single cost of extraction, spent on the short windows that may hold
an organization's name (subjects.py).

Here the CRF's weights are read once from the model file (CRFsuite's format, which underthesea's
tagger reads) and the templates that read the same syllables (T[-1], T[-1].lower,
T[-1].is_in_dict …) are summed together, memoized per syllable string: a report repeats its
syllables, so a syllable costs a dozen dictionary lookups, then the same Viterbi decoding.
tests/test_word_segmentation.py holds the words to underthesea's `word_tokenize` on every line of
the sample corpus.

The feature functions are underthesea_core's (Rust): lower case by a newer Unicode than this
Python's, `isdigit` true for an optionally signed integer that fits 32 bits, `istitle` true when
every part's first character is its own upper case.  A line holding one of the few characters
whose case the two Unicode versions disagree on is left to underthesea itself."""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Characters cased by underthesea_core's Unicode (16) and not by Python 3.11's (14): found by
# comparing its featurizer with these functions on every code point.
_NEWER_CASE = re.compile("[\u019b\u0264\u1c89\u1c8a\ua7cb-\ua7dc\U00010d50-\U00010d85\U00016ea0-\U00016ed3]")
_INT32 = re.compile(r"[+-]?[0-9]+\Z")
_DIGITS = frozenset("0123456789")
# underthesea's feature templates: "T[-1].lower", "T[0,1]", "T[-2][1]" (row, optional second row,
# optional column, optional function), parsed by the expression underthesea parses them with.
_TEMPLATE = re.compile(r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?")
_BOS, _EOS = "\x00BOS", "\x00EOS"  # not a syllable: a syllable holds no control character
_MEMO_LIMIT = 200_000  # values kept per group of templates (a few MB); then the memo starts again


@dataclass(frozen=True)
class CRFModel:
    """A linear-chain CRF: `weights[template][value]` is the weight of the feature "template=value"
    for each label; `transitions[a][b]` the weight of label b after label a."""

    labels: tuple[str, ...]
    weights: dict[str, dict[str, tuple[float, ...]]]
    transitions: tuple[tuple[float, ...], ...]


def read_crfsuite(path: Path) -> CRFModel:
    """A CRFsuite model file ("lCRF" … "FOMC": a header, the features, then the label and attribute
    names as two CQDB string tables)."""
    b = Path(path).read_bytes()
    magic, _size, kind, _version, _nf, n_labels, _na, off_features, off_labels, off_attrs = struct.unpack_from("<4sI4s7I", b)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite model ({magic!r}, {kind!r})")

    def strings(off: int) -> list[str]:
        chunk, _csize, _flag, _order, n, backward = struct.unpack_from("<4s5I", b, off)
        if chunk != b"CQDB":
            raise ValueError(f"{path}: no string table at {off}")
        out = []
        for i, (rec,) in enumerate(struct.iter_unpack("<I", b[off + backward : off + backward + 4 * n])):
            key_id, size = struct.unpack_from("<iI", b, off + rec)
            if key_id != i:
                raise ValueError(f"{path}: string table out of order at {i}")
            out.append(b[off + rec + 8 : off + rec + 7 + size].decode("utf-8"))  # size counts the NUL
        return out

    labels, attrs = strings(off_labels), strings(off_attrs)
    chunk, _fsize, n_features = struct.unpack_from("<4sII", b, off_features)
    if chunk != b"FEAT" or len(labels) != n_labels:
        raise ValueError(f"{path}: unexpected layout")
    state: dict[int, list[float]] = {}
    trans = [[0.0] * n_labels for _ in range(n_labels)]
    start = off_features + 12
    for kind_, src, dst, weight in struct.iter_unpack("<IIId", b[start : start + 20 * n_features]):
        if kind_ == 0:  # attribute src -> label dst
            state.setdefault(src, [0.0] * n_labels)[dst] = weight
        else:  # label src -> label dst
            trans[src][dst] = weight
    weights: dict[str, dict[str, tuple[float, ...]]] = {}
    for a, w in state.items():
        template, _, value = attrs[a].partition("=")
        weights.setdefault(template, {})[value] = tuple(w)
    return CRFModel(tuple(labels), weights, tuple(tuple(t) for t in trans))


@functools.cache
def feature_templates(templates: tuple[str, ...]) -> tuple[tuple[str, int, int | None, int, str | None], ...]:
    """(feature prefix "T[-1].lower=", first row, last row or None, column, function or None) of
    each template, relative to the word whose features they are."""
    out = []
    for t in templates:
        m = _TEMPLATE.match(t)
        if m is None:
            raise ValueError(f"unknown feature template {t!r}")
        index2 = m.group("index2")
        out.append((f"{t}=", int(m.group("index1")), int(index2) if index2 else None,
                    int(m.group("column")) if m.group("column") else 0, m.group("function")))
    return tuple(out)


def _isdigit(w: str) -> str:
    if w[-1:] not in _DIGITS:  # most syllables: no regex
        return "False"
    return str(bool(_INT32.match(w)) and -(2**31) <= int(w) < 2**31)


def _istitle(w: str) -> str:
    for part in w.split(" ") if " " in w else (w,):
        if part[:1].upper() != part[:1]:
            return "False"
    return "True"


class WordSegmenter:
    """Words of a line as underthesea's `word_tokenize` gives them, for one model.

    Holds a memo of the weights per syllable (or pair, triple): one per set of rules, so that a
    cold run starts empty."""

    def __init__(self, model: CRFModel, templates: list[str], dictionary: frozenset[str],
                 fallback: Callable[[str], list[str]], tokenize: Callable[[str], list[str]]) -> None:
        if model.labels != ("B-W", "I-W"):
            raise ValueError(f"a word segmentation model tags B-W and I-W, not {model.labels}")
        functions = {None: None, "lower": str.lower, "isdigit": _isdigit, "istitle": _istitle,
                     "is_in_dict": lambda w: str(w.lower() in dictionary)}
        groups: dict[tuple[int, int], list[tuple[dict, Callable[[str], str] | None]]] = {}
        for prefix, a, b, column, function in feature_templates(tuple(templates)):
            if column or function not in functions:
                raise ValueError(f"a word segmentation template reads one column with a known function, not {prefix[:-1]!r}")
            width = b - a if b is not None else 0
            groups.setdefault((a, width), []).append((model.weights.get(prefix[:-1], {}), functions[function]))
        self._groups = [(a, width, parts, self._edges(parts)) for (a, width), parts in groups.items()]
        self._widths = sorted({width for _a, width, _p, _m in self._groups})
        # The groups reading the same grams (T[-1], T[0] … read syllables; T[-1,0], T[0,1] pairs):
        # a gram new to one is weighed for all of them at once, its functions computed once.
        self._of_width = {w: [(parts, memo) for _a, width, parts, memo in self._groups if width == w] for w in self._widths}
        self._transitions = model.transitions
        self._fallback, self._tokenize = fallback, tokenize

    @staticmethod
    def _edges(parts: list) -> dict[str, tuple[float, float]]:
        """A group's memo, holding from the start what it weighs before the first syllable and
        after the last (every template of the group then reads "BOS" / "EOS")."""
        memo = {}
        for key, value in ((_BOS, "BOS"), (_EOS, "EOS")):
            s0 = s1 = 0.0
            for table, _fn in parts:
                w = table.get(value)
                if w:
                    s0 += w[0]
                    s1 += w[1]
            memo[key] = (s0, s1)
        return memo

    @classmethod
    def underthesea(cls) -> Callable[[str], list[str]]:
        """`words` of a new segmenter for the installed underthesea's model (its files read once a
        process), or underthesea's own `word_tokenize` if that model is not one this can read."""
        from underthesea import word_tokenize

        try:
            model, templates, dictionary = _underthesea_model()
            return cls(model, templates, dictionary, word_tokenize, underthesea_syllables()).words
        except (OSError, ValueError, struct.error) as e:
            warnings.warn(f"underthesea's word segmentation model read by underthesea itself (slower): {e}", stacklevel=2)
            return word_tokenize

    def words(self, line: str) -> list[str]:
        """underthesea's `word_tokenize(line)`: its syllables, joined into words by the tags."""
        if not line.isascii() and _NEWER_CASE.search(line):
            return self._fallback(line)
        syllables = self._tokenize(line)
        out: list[str] = []
        for i, (tag, s) in enumerate(zip(self.tags(syllables), syllables, strict=True)):
            if tag and i:
                out[-1] = out[-1] + " " + s
            else:
                out.append(s)
        return out

    def tags(self, syllables: list[str]) -> list[int]:
        """0 where a syllable starts a word (B-W), 1 where it continues one (I-W)."""
        n = len(syllables)
        if not n:
            return []
        grams = {0: syllables}
        for width in self._widths:
            if width:
                grams[width] = [" ".join(syllables[j : j + width + 1]) for j in range(n - width)]
        e0, e1 = [0.0] * n, [0.0] * n
        for a, width, parts, memo in self._groups:
            values, last = grams[width], n - width
            for i in range(n):
                j = i + a
                v = _BOS if j < 0 else _EOS if j >= last else values[j]
                w = memo.get(v)
                if w is None:
                    self._weigh(v, self._of_width[width])
                    w = memo[v]
                e0[i] += w[0]
                e1[i] += w[1]
        return _viterbi(e0, e1, self._transitions)

    @staticmethod
    def _weigh(v: str, of_width: list[tuple[list, dict]]) -> None:
        """Put the weights (B-W, I-W) of gram `v` in the memo of each group reading grams of its width."""
        values: dict = {None: v}  # each function's value of v
        for parts, memo in of_width:
            s0 = s1 = 0.0
            for table, fn in parts:
                x = values.get(fn)
                if x is None:
                    x = values[fn] = fn(v)
                x = table.get(x)
                if x:
                    s0 += x[0]
                    s1 += x[1]
            if len(memo) > _MEMO_LIMIT:
                bos, eos = memo[_BOS], memo[_EOS]
                memo.clear()
                memo[_BOS], memo[_EOS] = bos, eos
            memo[v] = (s0, s1)


def underthesea_syllables() -> Callable[[str], list[str]]:
    """underthesea's regex tokenizer (its `tokenize(line)`: the syllables, numbers and marks a line's
    words are made of) without its search of every named group of every match: its pattern is one
    group of alternatives, each a named group, so the first named group that matched, the token
    it returns, is the whole match.  Its own `tokenize` if the pattern is not of that shape.

    For the pattern of the underthesea this was read against (its text's digest), a run of plain
    letters between spaces is taken without the pattern: _plain_run says why it is one token."""
    from underthesea.pipeline.text_normalize.token_normalize import token_map
    from underthesea.pipeline.word_tokenize import regex_tokenize as rt

    pattern = rt.patterns
    if not _named_alternatives(pattern):
        return rt.tokenize
    normalize, token_normalize = rt.normalize_characters_in_text, rt.token_normalize

    def tokenize(line: str) -> list[str]:
        if rt.patterns is not pattern:  # underthesea compiles another one when given fixed words
            return rt.tokenize(line)
        return [token_normalize(m.group(0)) for m in pattern.finditer(normalize(line))]

    if hashlib.sha256(pattern.pattern.encode()).hexdigest() != _READ_PATTERN or pattern.flags != re.VERBOSE | re.UNICODE:
        return tokenize

    def tokenize_runs(line: str) -> list[str]:
        if rt.patterns is not pattern:
            return rt.tokenize(line)
        line = normalize(line)
        out: list[str] = []
        pos = 0  # the end of what is tokenized
        for run in _RUN.finditer(line):
            start, end = run.span()
            if end <= pos:
                continue
            if start >= pos and _plain_run(w := run.group(0)):
                # a short token goes through underthesea's spelling map ("baì" → "bài"); its
                # character normalization is the line's, done
                out.append(w if len(w) > 6 else token_map.get(w, w))
                pos = end
                continue
            for m in pattern.finditer(line, max(pos, start)):  # the pattern sees the line around the run
                out.append(token_normalize(m.group(0)))
                pos = m.end()
                if pos >= end:
                    break
        return out

    return tokenize_runs


# The digest of the pattern _plain_run was checked against (underthesea 9.5's regex_tokenize).
_READ_PATTERN = "ed7f6df4bba1133b1fd2baf02d612b7ef6912f0460f7a8166bd6b4aa8f072d25"
_RUN = re.compile(r"\S+")
_LETTERS = re.compile("[A-Za-zÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
                      "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+")


def _plain_run(w: str) -> bool:
    """Whether underthesea's pattern, at the start of the run `w` (white space or the line's ends
    around it), matches `w` whole.  For letters only it does: every alternative before `word`
    (\\w+) needs a digit, a mark or a symbol in the run (a dot, "@", "-", "'", ":" …), except
    "Th.S" and "Th.s", whose unescaped dot takes any character, the space after "Th" too; the
    letters are precomposed, so the token is already as underthesea normalizes it."""
    return _LETTERS.fullmatch(w) is not None and not (w.startswith("Th") and (len(w) == 2 or w[3:4] in ("s", "S")))


@functools.cache  # re's parser is slow on underthesea's pattern: once a process
def _named_alternatives(pattern: re.Pattern[str]) -> bool:
    """Whether `pattern` is "((?P<a>…)|(?P<b>…)|…)": one group of alternatives, each wholly a named group."""
    try:
        from re import _constants, _parser  # how re itself reads a pattern (Python 3.11+)

        tree = _parser.parse(pattern.pattern, pattern.flags)
        ((op, (_gid, _add, _del, body)),) = tree.data
        ((branch, (_none, alternatives)),) = body.data
        named = set(tree.state.groupdict.values())
        return op is _constants.SUBPATTERN and branch is _constants.BRANCH and all(
            len(alt.data) == 1 and alt.data[0][0] is _constants.SUBPATTERN and alt.data[0][1][0] in named
            for alt in alternatives)
    except (ImportError, AttributeError, ValueError, TypeError, re.error):
        return False


def _viterbi(e0: list[float], e1: list[float], t: tuple[tuple[float, ...], ...]) -> list[int]:
    """The best path of a two-label chain (ties to label 0)."""
    t00, t01, t10, t11 = t[0][0], t[0][1], t[1][0], t[1][1]
    d0, d1 = e0[0], e1[0]
    back = []
    for i in range(1, len(e0)):
        to0, from1_to0 = d0 + t00, d1 + t10  # into label 0 from label 0, from label 1
        to1, from1_to1 = d0 + t01, d1 + t11
        back.append((0 if to0 >= from1_to0 else 1, 0 if to1 >= from1_to1 else 1))
        d0 = (to0 if to0 >= from1_to0 else from1_to0) + e0[i]  # noqa: FURB136 (no call in the loop)
        d1 = (to1 if to1 >= from1_to1 else from1_to1) + e1[i]  # noqa: FURB136
    y = 0 if d0 >= d1 else 1
    path = [y]
    for p in reversed(back):
        y = p[y]
        path.append(y)
    path.reverse()
    return path


@functools.cache
def _underthesea_model() -> tuple[CRFModel, list[str], frozenset[str]]:
    """The weights, templates and dictionary of underthesea's word segmentation model."""
    import joblib
    import underthesea.pipeline.word_tokenize as wt

    d = Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
    return (read_crfsuite(d / "models.bin"), list(joblib.load(d / "features.bin")),
            frozenset(joblib.load(d / "dictionary.bin")))
