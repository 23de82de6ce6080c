"""Write extractors/data/figure_patterns.jsonl: the spaCy token patterns that read the words
around a number (what it counts, how it is qualified, what happened to it,
whether the persons are delegates), from the phrase lists in extractors/data/figure_cues.json.

    .venv/bin/python tools/build_figure_patterns.py          # rewrite the file
    .venv/bin/python tools/build_figure_patterns.py --check  # exit 1 if it is out of date

underthesea's words depend on the context ("đảng viên mới" may come out as one word or two):
each phrase is segmented alone and inside a few typical sentences, and every segmentation
whose word boundaries fall on the phrase's own boundaries becomes one pattern.  Those words are
the patterns' vocabulary; extraction cuts a window into them longest first
(extractors.figure_words.known_words), so each phrase also gets the pattern of that cut, and a
phrase matches whichever way underthesea would have cut it.  Lines of the file with
"manual": true are written by hand and kept as they are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors.figure_words import known_words

DATA = Path(__file__).resolve().parents[1] / "extractors" / "data"
OUT = DATA / "figure_patterns.jsonl"

# Where each kind of phrase stands in a sentence; {p} is the phrase.
_CONTEXTS = {
    "COUNTED": ["12 {p}", "có 12 {p} được", "kết nạp 12 {p}, trong đó", "gồm 12 {p} và 3 chi bộ", "với 1.546 {p}."],
    "QUALIFIER": ["{p} 12 đảng viên", "có {p} 5.000 đảng viên", "kết nạp {p} 120 đảng viên mới"],
    "EVENT": ["12 đảng viên {p}", "có 12 quần chúng ưu tú {p} trong năm", "25 chi bộ {p}, 3 chi bộ"],
    "EVENT_NEAR": ["12 chi bộ {p}", "có 12 tổ chức cơ sở đảng {p} trong năm", "25 công đoàn cơ sở {p}, 3 chi bộ"],
    "EXCLUDE": ["228 đảng viên {p} cho", "có 12 đảng viên là {p} của"],
    "AT_LEAST_END": ["từ 700 đảng viên {p}", "từ 12 chi bộ {p}."],
}


def _sections(cues: dict, abbreviations: dict) -> list[tuple[str, str, str]]:
    """(label, id, phrase) for every phrase the patterns read."""
    out = [("COUNTED", obj, p) for obj, phrases in cues["objects"].items() for p in phrases]
    out += [("COUNTED", "comrade", p) for p in cues["comrade"]]
    out += [("COUNTED", "organizations", p) for p in cues["organizations"]]
    out += [("QUALIFIER", q, p) for q, phrases in cues["qualifiers"].items() for p in phrases]
    out += [("EVENT", ev, p) for ev, phrases in cues["events_right"].items() for p in phrases]
    out += [("EVENT_NEAR", ev, p) for ev, phrases in cues["events_near"].items() for p in phrases]
    # an abbreviation counts like the noun it stands for, or says the event it stands for
    objects = {" ".join(p.lower().split()): obj for obj, phrases in cues["objects"].items() for p in phrases}
    events = {" ".join(p.lower().split()): ev for ev, phrases in cues["events_right"].items() for p in phrases}
    for abbr, words in abbreviations["common"].items():
        key = " ".join(words.lower().split())
        if key in objects:
            out.append(("COUNTED", objects[key], abbr))
        elif key in events:
            out.append(("EVENT", events[key], abbr))
    out += [("EXCLUDE", "excluded", p) for p in cues["exclude_right"]]
    out += [("AT_LEAST_END", "at_least", p) for p in cues["at_least_closers"]]
    return out


def _segmentations(label: str, phrase: str) -> set[tuple[str, ...]]:
    from underthesea import word_tokenize

    found = {tuple(w.lower() for w in word_tokenize(phrase))}
    target = " ".join(phrase.lower().split())
    for ctx in _CONTEXTS[label]:
        text = ctx.format(p=phrase)
        before = " ".join(ctx.split("{p}")[0].split())
        words = [" ".join(w.lower().split()) for w in word_tokenize(text)]
        # the words that cover the phrase exactly, when the phrase starts and ends on word boundaries
        joined, start = "", None
        for i in range(len(words) + 1):
            if " ".join(words[:i]).replace(" ,", ",") == before.lower().replace(" ,", ","):
                start = i
                break
        if start is None:
            continue
        taken: list[str] = []
        for w in words[start:]:
            taken.append(w)
            joined = " ".join(taken).replace(" ,", ",")
            if len(joined) >= len(target):
                break
        if joined == target:
            found.add(tuple(taken))
    return found


def build() -> str:
    cues = json.loads((DATA / "figure_cues.json").read_text(encoding="utf-8"))
    abbreviations = json.loads((DATA / "abbreviations.json").read_text(encoding="utf-8"))
    lines: list[dict] = []
    if OUT.exists():
        lines = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines() if x.strip()]
        lines = [x for x in lines if x.get("manual")]
    seen = {json.dumps(x["pattern"], ensure_ascii=False) + x["label"] + x["id"] for x in lines}
    phrases = [(label, ident, phrase, _segmentations(label, phrase)) for label, ident, phrase in _sections(cues, abbreviations)]
    known = frozenset(t["LOWER"] for x in lines for t in x["pattern"]) | {w for *_, cuts in phrases for cut in cuts for w in cut}
    longest = max(len(w.split()) for w in known)
    for label, ident, phrase, cuts in phrases:
        flat = " ".join(phrase.lower().split())
        # A single syllable added to the vocabulary here never changes another phrase's cut.
        cuts.add(tuple(flat[s:e] for s, e in known_words(flat, 0, len(flat), known, longest)))
        for words in sorted(cuts):
            pattern = [{"LOWER": w} for w in words]
            key = json.dumps(pattern, ensure_ascii=False) + label + ident
            if key in seen:
                continue
            seen.add(key)
            lines.append({"label": label, "id": ident, "pattern": pattern})
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)


def main() -> None:
    text = build()
    if "--check" in sys.argv[1:]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run tools/build_figure_patterns.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"{text.count(chr(10))} patterns -> {OUT}")


if __name__ == "__main__":
    main()
