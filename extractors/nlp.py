"""The Vietnamese NLP layer: underthesea words as spaCy tokens.

Vietnamese writes words as space-separated syllables ("đảng viên", "tổ chức cơ sở"), so
spaCy's whitespace tokenizer would cut every word apart.  `UndertheseaTokenizer` asks
underthesea's model for the words (decoded by extractors.word_segmentation) and builds a `Doc`
whose tokens are those words, with the original text (line wraps included) preserved exactly, so
that every span keeps its character offsets.  A component (`OrgNames`: spaCy's Matcher, matches
chosen as the EntityRuler chooses them) whose patterns live in `data/entity_patterns.jsonl` marks
organization names (ORG) for the subject of figures.

Only windows that can hold an organization name are parsed (subjects.py): the NLP cost is
paid where a fact can be.  The pipeline is built once by `extractors.rules.Rules` and handed in.

`entity_tags` is underthesea's `ner` for the people of a document (people.py), fed by the same
models in linear time: underthesea builds each word's CRF features by parsing every feature
template again and copying every column of the sentence for each word and template, which is
quadratic in the words of a line; here the templates are parsed once and the columns built once
per line, with underthesea's own feature functions, so the features, and so the tags, are the
same (tests/test_depth.py holds `entity_tags` to `underthesea.ner`).  Its entity model does not
read the chunks `ner` computes, so that pass is left out.
"""

from __future__ import annotations

import functools
import json
import re
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from extractors.word_segmentation import feature_templates


class Memo:
    """A bounded memo of a pure function of a string (least recently used entries go first).

    Report sentences repeat their windows: the same organization name, the same "đảng viên mới
    được kết nạp" after a number.  Segmenting a repeat again is the slowest thing extraction
    could do twice."""

    def __init__(self, fn, size: int = 50_000) -> None:
        self.fn, self.size = fn, size
        self.entries: OrderedDict = OrderedDict()

    def __call__(self, key: str):
        try:
            self.entries.move_to_end(key)
            return self.entries[key]
        except KeyError:
            value = self.entries[key] = self.fn(key)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
            return value


def word_spans(text: str, words: Callable[[str], list[str]]) -> list[tuple[int, int]]:
    """The words of `text` (`words(text)`: underthesea's, as extractors.word_segmentation gives
    them) as (start, end) offsets in it."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for w in words(text):
        at = text.find(w, pos)
        if at >= 0 and not text[pos:at].strip():
            spans.append((at, at + len(w)))
        else:
            # underthesea joins the syllables of a word with one space even where the text
            # has a line break: match any white space between them.
            m = re.compile(r"\s+".join(re.escape(p) for p in w.split())).search(text, pos)
            if m is None:
                continue
            spans.append((m.start(), m.end()))
        pos = spans[-1][1]
    return spans


def lean_vocab() -> Vocab:
    """A vocabulary whose new words get only the attributes our patterns read (LOWER; IS_SPACE
    and NORM for spaCy's own use): spaCy's default getters (shape, prefix, suffix, like_url …)
    cost more than the matching on every word the first time it is seen."""
    from spacy.attrs import IS_SPACE, LOWER, NORM
    from spacy.lang.lex_attrs import LEX_ATTRS

    return Vocab(lex_attr_getters={a: LEX_ATTRS[a] for a in (LOWER, NORM, IS_SPACE)})


def token_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, space after) of the tokens a Doc of these words holds, the text between them
    kept exactly: one space after a word is its trailing space; any other gap becomes a token of
    its own, as spaCy expects."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for w_start, w_end in [*spans, (len(text), len(text))]:
        if w_start > pos:
            gap_start = pos
            if out and text[pos] == " ":
                out[-1] = (out[-1][0], out[-1][1], True)
                gap_start = pos + 1
            if gap_start < w_start:
                out.append((gap_start, w_start, False))
        if w_end > w_start:
            out.append((w_start, w_end, False))
        pos = max(pos, w_end)
    return out


def doc_from_spans(vocab: Vocab, text: str, spans: list[tuple[int, int]]) -> Doc:
    """A Doc whose tokens are the given words (token_spans)."""
    tokens = token_spans(text, spans)
    return Doc(vocab, words=[text[s:e] for s, e, _sp in tokens], spaces=[sp for _s, _e, sp in tokens])


class UndertheseaTokenizer:
    """spaCy tokenizer whose tokens are underthesea words; white space other than one space
    becomes its own token, as spaCy expects.  The words are underthesea's model's, decoded by
    extractors.word_segmentation (loaded on first use; its memo lives with this tokenizer)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    @functools.cached_property
    def words(self) -> Callable[[str], list[str]]:
        from extractors.word_segmentation import WordSegmenter

        return WordSegmenter.underthesea()

    def __call__(self, text: str) -> Doc:
        return doc_from_spans(self.vocab, text, word_spans(text, self.words))

    # spaCy serializes tokenizers with the pipeline; this one has no state of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> UndertheseaTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> UndertheseaTokenizer:
        return self


@spacy.registry.tokenizers("baocao.underthesea_tokenizer")
def _create_tokenizer():
    def make(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return make


# What the words of a lean vocabulary carry for the entity patterns to read.
_ENTITY_KEYS = frozenset({"LOWER", "TEXT", "ORTH", "OP"})
ORG_NAMES = "baocao_org_names"


class OrgNames:
    """The pipeline component that marks organization names (ORG): spaCy's Matcher over the entity
    patterns, the longest match kept where two overlap (`spacy.util.filter_spans`, the choice
    spaCy's EntityRuler makes).  `spans` gives the names without setting `doc.ents`: on a window of
    a few words, the EntityRuler's set-up and its entity bookkeeping cost more than the matching.

    A Matcher tries every pattern at every word; the patterns are kept in one Matcher per first
    word ("đảng bộ", "ban" …), run only on a Doc one of whose words is that word (a window names one
    or two heads of the sixty), and the few whose first word is not one exact word in one Matcher run
    on every Doc."""

    def __init__(self, vocab: Vocab, patterns: list[dict]) -> None:
        self.by_first: dict[str | None, Matcher] = {}
        for p in patterns:
            first = p["pattern"][0] if p["pattern"] else {}
            word = first.get("LOWER") if set(first) == {"LOWER"} and isinstance(first.get("LOWER"), str) else None
            self.by_first.setdefault(word, Matcher(vocab, validate=True)).add(p["label"], [p["pattern"]])

    def spans(self, doc: Doc) -> list[Span]:
        # A pattern opening with one exact word matches only from a token that is that word: its
        # Matcher runs only then (a substring of the text would also run "đảng" on "đảng bộ").
        words = {t.lower_ for t in doc}
        found: list[Span] = []
        for word, matcher in self.by_first.items():  # in the patterns' order: one order on every run
            if word is None or word in words:
                found += matcher(doc, as_spans=True)
        return filter_spans(found)

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = self.spans(doc)
        return doc


@Language.factory(ORG_NAMES, default_config={"patterns": ""})
def _org_names(nlp: Language, name: str, patterns: str) -> OrgNames:
    return OrgNames(nlp.vocab, read_entity_patterns(Path(patterns)))


def read_entity_patterns(path: Path) -> list[dict]:
    """The token patterns of `path` (data/entity_patterns.jsonl).  The name pipeline's vocabulary
    gives words their text and lower case only, so a pattern that reads another attribute
    (IS_TITLE, SHAPE …) is refused rather than silently never matching."""
    patterns = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        p = json.loads(line)
        if not isinstance(p.get("pattern"), list):
            raise ValueError(f"{path.name} line {n}: a pattern is a list of token patterns")  # noqa: TRY004 (bad data, like the rest)
        other = {k for token in p["pattern"] for k in token} - _ENTITY_KEYS
        if other:
            raise ValueError(f"{path.name} line {n} reads {sorted(other)}: "
                             f"the patterns may read only {sorted(_ENTITY_KEYS - {'OP'})}")
        patterns.append(p)
    return patterns


def build_pipeline(entity_patterns: Path) -> Language:
    """A blank Vietnamese pipeline: underthesea tokenizer + the organization names of
    `entity_patterns` (data/entity_patterns.jsonl) as entities."""
    read_entity_patterns(entity_patterns)  # its errors before spaCy's set-up
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "baocao.underthesea_tokenizer"}}},
                           vocab=lean_vocab())
    pipeline.add_pipe(ORG_NAMES, config={"patterns": str(entity_patterns)})
    return pipeline


def org_name_end(pipeline: Language, window: str) -> int | None:
    """Where the organization name that opens `window` ends, or None: the tokenizer's Doc and the
    name component's spans, without `Language.__call__`'s per-call set-up or setting `doc.ents`."""
    for span in pipeline.get_pipe(ORG_NAMES).spans(pipeline.make_doc(window)):
        if span.start_char == 0 and span.label_ == "ORG":
            return span.end_char
    return None


def tagged_features(sentence: list[tuple[str, ...]], templates: tuple[str, ...]) -> list[list[str]]:
    """The CRF features of each word of `sentence` (rows of columns), exactly as underthesea's
    `word2features` writes them for these templates."""
    from underthesea.pipeline.ner.tagged_feature import apply_function

    n = len(sentence)
    if not n:
        return []
    columns = [[row[j] for row in sentence] for j in range(len(sentence[0]))]
    # What a template reads at each row, shared by the templates that differ only by offset
    # ("T[-1].lower" reads the "T[0].lower" of the word before): computed once.
    reads: dict[tuple[int, int, str | None], list[str]] = {}
    by_template = []  # each template's feature at every position, then read by position
    for prefix, index1, index2, column, function in feature_templates(templates):
        width = 0 if index2 is None else index2 - index1
        read = reads.get((column, width, function))
        if read is None:
            raw = reads.get((column, width, None))  # the words (or runs) as written, which a function reads
            if raw is None:
                col = columns[column]
                raw = reads[column, width, None] = col if not width else [" ".join(col[a : a + width + 1]) for a in range(n - width)]
            read = raw
            if function is not None:
                of = {w: str(apply_function(function, w)) for w in set(raw)}
                read = reads[column, width, function] = [of[w] for w in raw]
        last = n - width  # a run of words reaching past the last word is "EOS"
        # position i reads row i + index1: "BOS" before the first, "EOS" at `last` and after
        lo = max(index1, 0)
        hi = max(min(index1 + n, last), lo)
        bos = min(max(-index1, 0), n)
        by_template.append([prefix + "BOS"] * bos + [prefix + r for r in read[lo:hi]] + [prefix + "EOS"] * (n - bos - (hi - lo)))
    return [list(row) for row in zip(*by_template, strict=True)]


@functools.cache
def _pos_and_ner_models():
    """underthesea's POS and NER taggers with their templates (loaded on first use), and whether
    the NER templates read the chunk column."""
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    pos_model, ner_model = CRFPOSTagPredictor.Instance(), CRFNERPredictor.Instance()
    ner_templates = tuple(ner_model.transformer.template)
    return (pos_model.model, tuple(pos_model.transformer.template), ner_model.model, ner_templates,
            any("][2]" in t for t in ner_templates))


def entity_tags(line: str, segment: Callable[[str], list[str]] | None = None) -> list[tuple[str, str]]:
    """(word, entity tag) for each word of `line`: underthesea's `ner` (word segmentation, parts of
    speech, entities) without its chunking pass, whose tags the entity model does not read (if a
    later underthesea's model reads them, `ner` itself is used).  `segment`: underthesea's
    `word_tokenize` (default) or the same words another way (PeopleRules.words)."""
    from underthesea import ner, word_tokenize

    pos_tagger, pos_templates, ner_tagger, ner_templates, reads_chunks = _pos_and_ner_models()
    if reads_chunks:
        return [(w, tag) for w, _pos, _chunk, tag in ner(line)]
    words = (segment or word_tokenize)(line)
    if not words:
        return []
    pos = pos_tagger.tag(tagged_features([(w, "X") for w in words], pos_templates))
    tags = ner_tagger.tag(tagged_features([(w, p, "X", "X") for w, p in zip(words, pos, strict=True)], ner_templates))
    return list(zip(words, tags, strict=True))
