"""A figure's subject, in its document -> one organization with a canonical key.

The key says what the organization is, not where it was first seen, so its id (a hash of the
key) is the same in every run and on every backend:

    vn                                   Đảng Cộng sản Việt Nam
    p:quảng nam                          Đảng bộ tỉnh Quảng Nam
    p:quảng nam/huyện đại lộc            Đảng bộ huyện Đại Lộc ("Đại Lộc", "Huyện ủy Đại Lộc")
    p:quảng trị/khối:cơ quan và doanh nghiệp
    p:quảng nam/u:công an tỉnh           Đảng bộ Công an tỉnh Quảng Nam ("Công an" in its list)
    p:bình dương/u:công ty astro         Chi bộ Công ty Astro
    vn/khối:doanh nghiệp trung ương      a bloc directly under the Central Committee
    …#youth_union                        the youth union of the organization before '#'
    doc:<document>/tỉnh                  "Đảng bộ tỉnh" in a text that never says which province

A name that is generic ("Đảng bộ Khối", "Đảng bộ huyện", "Chi bộ Tổ dân phố 3") means the one
organization of that kind its document names in full; when the document names none or several,
it is an organization of that document only (scope "document"), never merged with another
document's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .names import Name, parse_name
from .rules import District, Rules, fold

PROVINCIAL, UNDER, GRASSROOTS, BELOW, CENTRAL = "provincial", "under_provincial", "grassroots", "below_grassroots", "central"
_UNION_NAMES = {"youth_union": "Đoàn Thanh niên", "trade_union": "Công đoàn"}


@dataclass(frozen=True)
class Context:
    """Where a subject was read: its document, and the province the figure or document is about."""

    doc_id: str
    province: str | None = None
    doc_date: dt.date | None = None


@dataclass(frozen=True)
class OrgRef:
    """What a mention resolves to. `parent_key` is the body above it when the name itself says so."""

    key: str
    level: str | None
    kind: str
    name: str
    province: str | None
    scope: str = "registry"
    parent_key: str | None = None
    district_type: str | None = None  # district-level locality (these ended in 2025)
    shape: str = "unit"  # central | province | district | commune | bloc | provincial_unit | unit | place


@dataclass(frozen=True)
class _Generic:
    """A name that needs its document: the kind of organization it means, and what it is alone."""

    want: str  # province | city | district | commune | bloc | namespace | any
    alone: OrgRef  # the document's own organization, when the document does not say which
    type: str | None = None  # the locality type it wants ("Đảng bộ huyện")
    above: str | None = None  # want == "namespace": the level of the body it sits under
    own: Name | None = None  # a unit to place inside what the document names
    union: str | None = None  # the youth or trade union of what the document names


def _sentence_case(words: Iterable[str]) -> list[str]:
    """'DOANH NGHIỆP TỈNH' -> 'Doanh nghiệp tỉnh' when a title wrote a whole name in capitals."""
    words = list(words)
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if len(letters) >= 2 and all(w.isupper() for w in letters):
        return [w.capitalize() if i == 0 else w.lower() for i, w in enumerate(words)]
    return words


def _display(words: Iterable[str]) -> str:
    return " ".join(_sentence_case(words))


class Resolver:
    """Resolves subjects with one set of rules (see rules.load_rules)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    # --- single mentions -----------------------------------------------------------

    def resolve(self, subject: str, ctx: Context) -> OrgRef:
        """One subject on its own: a generic name becomes an organization of its document."""
        got = self._resolve_name(parse_name(subject, self.rules), ctx)
        return got.alone if isinstance(got, _Generic) else got

    def resolve_document(self, mentions: list[tuple[str, Context]]) -> dict[tuple[str, Context], OrgRef]:
        """All subjects of one document: generic names take the one organization of their kind the
        document names in full."""
        first = {m: self._resolve_name(parse_name(m[0], self.rules), m[1]) for m in mentions}
        known = [r for r in first.values() if isinstance(r, OrgRef)]
        out: dict[tuple[str, Context], OrgRef] = {}
        for m, r in first.items():
            out[m] = self._in_document(r, known) if isinstance(r, _Generic) else r
        return out

    # --- the parts of a name -----------------------------------------------------------

    def _resolve_name(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        if name.body != "party":
            return self._union(name, ctx)
        if name.central:
            return self.central()
        if name.under is not None:
            return self._under(name, ctx)
        typ = name.type
        if typ in ("tỉnh", "thành phố"):
            got = self._province_named(name, ctx)
            if got is not None:
                return got
        if typ in ("huyện", "quận", "thị xã", "thành phố"):
            return self._district(name, ctx)
        if typ is not None:
            return self._commune(name, ctx)
        return self._unit_or_place(name, ctx)

    def central(self) -> OrgRef:
        return OrgRef("vn", CENTRAL, "party", "Đảng Cộng sản Việt Nam", None, shape="central")

    def province(self, province: str) -> OrgRef:
        p = self.rules.provinces[province]
        name = f"Đảng bộ {p.name}" if p.name.lower().startswith(p.type) else f"Đảng bộ {p.type} {p.name}"
        return OrgRef(f"p:{fold(province)}", PROVINCIAL, "party_committee", name, province, parent_key="vn",
                      shape="province")

    def _province_named(self, name: Name, ctx: Context) -> OrgRef | _Generic | None:
        """'Đảng bộ tỉnh Quảng Nam', 'Tỉnh ủy', 'Thành ủy TP.HCM'; None when 'thành phố X' is a provincial city."""
        prov, _ = self._province_prefix(name.folded)
        if prov is not None:
            p = self.rules.provinces[prov]
            if name.type == "tỉnh" or p.type == "thành phố":
                return self.province(prov)  # words after the province are not part of it ("Tỉnh ủy Phan Xuân Lĩnh")
            return None  # "thành phố Cà Mau" is the city, not the province
        if name.type == "thành phố" and name.folded:
            return None  # a provincial city: "Đảng bộ thành phố Bảo Lộc"
        # No province in the name ("Đảng bộ tỉnh", or a person's name after it): the context's.
        p = self.rules.provinces.get(ctx.province or "")
        if name.type == "tỉnh" and p is not None:
            return self.province(p.name)
        if name.type == "thành phố" and p is not None and p.type == "thành phố":
            return self.province(p.name)
        alone = self._doc_scoped(ctx, name.type or "", PROVINCIAL if name.type == "tỉnh" else None, "party_committee",
                                 f"Đảng bộ {name.type}", None, shape="province")
        return _Generic("province" if name.type == "tỉnh" else "city", alone, name.type)

    def _district(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        typ = name.type or "huyện"
        district, _, ambiguous = self._district_prefix(name.folded, ctx.province, typ)
        if district is not None:
            return self.district(district)
        words = self._leading_name(name.words)
        province = ctx.province if ctx.province in self.rules.provinces else None
        if not words:
            alone = self._doc_scoped(ctx, typ, UNDER, "party_committee", f"Đảng bộ {typ}", province, shape="district",
                                     district_type=typ)
            return _Generic("city" if typ == "thành phố" else "district", alone, typ)
        local = f"{typ} {fold(' '.join(words))}"
        display = f"Đảng bộ {typ} {_display(words)}"
        if province is None or ambiguous:
            return self._doc_scoped(ctx, local, UNDER, "party_committee", display, province, shape="district",
                                    district_type=typ)
        return OrgRef(f"p:{fold(province)}/{local}", UNDER, "party_committee", display, province,
                      parent_key=f"p:{fold(province)}", district_type=typ, shape="district")

    def district(self, d: District) -> OrgRef:
        return OrgRef(f"p:{fold(d.province)}/{d.type} {fold(d.name)}", UNDER, "party_committee",
                      f"Đảng bộ {d.type} {d.name}", d.province, parent_key=f"p:{fold(d.province)}",
                      district_type=d.type, shape="district")

    def _commune(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        typ = name.type or "xã"
        words = self._leading_name(name.words)
        province = ctx.province if ctx.province in self.rules.provinces else None
        if not words:
            alone = self._doc_scoped(ctx, typ, GRASSROOTS, "party_committee", f"Đảng bộ {typ}", province,
                                     shape="commune")
            return _Generic("commune", alone, typ)
        local = f"{typ} {fold(' '.join(words))}"
        display = f"Đảng bộ {typ} {_display(words)}"
        if province is None:
            return self._doc_scoped(ctx, local, GRASSROOTS, "party_committee", display, None, shape="commune")
        return OrgRef(f"p:{fold(province)}/{local}", GRASSROOTS, "party_committee", display, province,
                      shape="commune")

    def _unit_or_place(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        rules = self.rules
        folded = name.folded
        if not folded:  # "Đảng bộ", "Chi bộ": no name at all
            level = BELOW if name.below else None
            alone = self._doc_scoped(ctx, name.form or "", level, name.form or "unit",
                                     "Chi bộ" if name.form == "party_cell" else "Đảng bộ",
                                     self._context_province(ctx), shape="unit")
            return _Generic("any", alone)
        if folded[0] == rules.bloc_word or " ".join(self._without_suffix(name.words)[0]).lower() in rules.blocs_without_khoi:
            return self._bloc(name, ctx)
        unit = self._provincial_unit(name, ctx)
        if unit is not None:
            return unit
        # A place's name alone ("Đại Lộc", "Đảng bộ Bảo Lộc"): the context's province itself, else one
        # of its districts ("Quảng Ninh" in a report of Quảng Bình is its huyện), else a province.
        context = self._context_province(ctx)
        prov, n = self._province_prefix(folded)
        if prov is not None and n == len(folded) and prov == (context or prov):
            return self.province(prov)
        district, n_district, _ = self._district_prefix(folded, context, None)
        if district is not None and n_district == len(folded):
            return self.district(district)
        if prov is not None and n == len(folded):
            return self.province(prov)
        if name.form is None and not any(folded[: len(u)] == u for u in rules.unit_nouns):
            return self._place(name, ctx)
        return self._unit(name, ctx)

    def _place(self, name: Name, ctx: Context) -> OrgRef:
        """A bare name the gazetteer does not know in this province ("Thanh Hải", a commune): its
        level is unknown."""
        words = self._leading_name(name.words) or list(name.words)
        local = f"?:{fold(' '.join(words))}"
        province = self._context_province(ctx)
        if province is None:
            return self._doc_scoped(ctx, local, None, "unit", _display(words), None, shape="place")
        return OrgRef(f"p:{fold(province)}/{local}", None, "unit", _display(words), province, shape="place")

    def _bloc(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        rules = self.rules
        words, suffix_province = self._without_suffix(name.words)
        if words and words[0].lower() == rules.bloc_word:
            words = words[1:]
        while words and words[-1].lower() in ("tỉnh", "thành", "phố"):
            words = words[:-1]  # "Khối các cơ quan tỉnh": the province word of a name without its province
        bloc = fold(" ".join(words))
        display_words = _sentence_case(words)
        form = "party_committee"
        if any(_contains(bloc.split(), m) for m in rules.central_markers):
            return OrgRef(f"vn/khối:{bloc}", PROVINCIAL, form, f"Đảng bộ Khối {_display(display_words)}", None,
                          parent_key="vn", shape="bloc")
        province = suffix_province or self._context_province(ctx)
        if not bloc:
            alone = self._doc_scoped(ctx, "khối", UNDER, form, "Đảng bộ Khối", province, shape="bloc")
            return _Generic("bloc", alone)
        local = f"khối:{bloc}"
        if province is None:
            return self._doc_scoped(ctx, local, UNDER, form, f"Đảng bộ Khối {_display(display_words)}", None,
                                    shape="bloc")
        p = rules.provinces[province]
        place = p.name if p.name.lower().startswith(p.type) else f"{p.type} {p.name}"
        return OrgRef(f"p:{fold(province)}/{local}", UNDER, form, f"Đảng bộ Khối {_display(display_words)} {place}",
                      province, parent_key=f"p:{fold(province)}", shape="bloc")

    def _provincial_unit(self, name: Name, ctx: Context) -> OrgRef | None:
        words, suffix_province = self._without_suffix(name.words)
        folded = tuple(w.lower() for w in words if w != "-")
        for unit in self.rules.provincial_units:
            if folded in unit.aliases:
                province = suffix_province or self._context_province(ctx)
                local = f"u:{fold(unit.name)}"
                if province is None:
                    return self._doc_scoped(ctx, local, UNDER, "party_committee", f"Đảng bộ {unit.name}", None,
                                            shape="provincial_unit")
                p = self.rules.provinces[province]
                place_name = p.name[len(p.type) :].strip() if p.name.lower().startswith(p.type) else p.name
                unit_name = unit.name if p.type == "tỉnh" else unit.name.replace(" tỉnh", " thành phố")
                return OrgRef(f"p:{fold(province)}/{local}", UNDER, "party_committee",
                              f"Đảng bộ {unit_name} {place_name}", province, parent_key=f"p:{fold(province)}",
                              shape="provincial_unit")
        return None

    def _unit(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        """The party organization of an agency, enterprise, school or residential unit."""
        rules = self.rules
        folded = name.folded
        form = name.form or "unit"
        head = {"party_cell": "Chi bộ", "party_committee": "Đảng bộ"}.get(form, "")
        display = " ".join(x for x in (head, _display(name.words)) if x)
        below = name.below or any(folded[: len(u)] == u for u in rules.below_units)
        upper = any(folded[: len(u)] == u for u in rules.upper_units)
        level = BELOW if below else UNDER if upper else GRASSROOTS
        # An abbreviation the text cut short ("Đảng bộ TT" of "Đảng bộ TT. Phước Hải") names nothing either.
        cut = len(name.words) == 1 and name.words[0].isupper() and len(name.words[0]) <= 3
        generic = set(folded) <= rules.generic_words or below or cut
        local = f"u:{fold(' '.join(name.words))}"
        if generic:  # "cơ quan Đảng – Đoàn thể", "Tổ dân phố Vĩnh Liêm": one in every district or commune
            alone = self._doc_scoped(ctx, local, level, form, display, self._context_province(ctx), shape="unit")
            return _Generic("namespace", alone, above=GRASSROOTS if below else UNDER, own=name)
        province = self._context_province(ctx)
        if province is not None:
            return OrgRef(f"p:{fold(province)}/{local}", level, form, display, province, shape="unit")
        if any(_contains(list(folded), m) for m in rules.national_markers):
            return OrgRef(f"vn/{local}", level, form, display, None, shape="unit")  # "Tập đoàn … Việt Nam"
        return self._doc_scoped(ctx, local, level, form, display, None, shape="unit")

    def _under(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        """'Chi bộ Cơ động trực thuộc Đảng bộ Khối': a unit inside the organization it names."""
        assert name.under is not None
        parent = self._resolve_name(name.under, ctx)
        own = replace(name, under=None)
        if isinstance(parent, _Generic):
            return replace(parent, alone=self._child(parent.alone, own), own=own)
        return self._child(parent, own)

    def _child(self, parent: OrgRef, own: Name) -> OrgRef:
        form = own.form or "unit"
        head = {"party_cell": "Chi bộ", "party_committee": "Đảng bộ"}.get(form, "")
        level = BELOW if parent.level in (GRASSROOTS, BELOW) else GRASSROOTS
        return OrgRef(f"{parent.key}/u:{fold(' '.join(own.words))}", level, form,
                      " ".join(x for x in (head, _display(own.words)) if x), parent.province, parent.scope,
                      parent_key=parent.key, shape="unit")

    def _union(self, name: Name, ctx: Context) -> OrgRef | _Generic:
        """'Đoàn Khối', 'Tỉnh đoàn', 'Công đoàn Công ty …': the union of the organization its name says."""
        party = self._resolve_name(replace(name, body="party", form="party_committee" if name.type else None), ctx)
        if isinstance(party, _Generic):
            return replace(party, alone=self._union_of(party.alone, name.body), union=name.body)
        return self._union_of(party, name.body)

    def _union_of(self, party: OrgRef, body: str) -> OrgRef:
        base = party.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")
        label = "Đoàn" if body == "youth_union" and base.startswith("Khối") else _UNION_NAMES[body]
        return replace(party, key=f"{party.key}#{body}", kind=body, name=f"{label} {base}".strip(),
                       parent_key=party.key)

    # --- a generic name inside its document -----------------------------------------------

    def _in_document(self, g: _Generic, known: list[OrgRef]) -> OrgRef:
        pool = [k for k in known if k.kind not in _UNION_NAMES]

        def only(cands: list[OrgRef]) -> OrgRef | None:
            return cands[0] if len({c.key for c in cands}) == 1 else None

        districts = [k for k in pool if k.shape == "district"]
        picks = {
            "province": lambda: only([k for k in pool if k.shape == "province"]),
            "city": lambda: only([k for k in districts if k.district_type == "thành phố"]),
            "district": lambda: only([k for k in districts if k.district_type == g.type]) or only(districts),
            "commune": lambda: only([k for k in pool if k.shape == "commune" and f"/{g.type} " in k.key]),
            "bloc": lambda: only([k for k in pool if k.shape == "bloc"]),
            "namespace": lambda: only([k for k in pool if k.level == g.above]),
            "any": lambda: None,
        }
        pick = picks[g.want]()
        if pick is None:
            return g.alone
        if g.own is not None:
            pick = self._child(pick, g.own)
        return self._union_of(pick, g.union) if g.union else pick

    # --- helpers ---------------------------------------------------------------------------

    def _doc_scoped(self, ctx: Context, local: str, level: str | None, kind: str, name: str, province: str | None,
                    *, shape: str = "unit", district_type: str | None = None) -> OrgRef:
        parent = "vn" if level == PROVINCIAL else f"p:{fold(province)}" if province and level == UNDER else None
        return OrgRef(f"doc:{ctx.doc_id[:16]}/{local}".rstrip("/"), level, kind, name, province, "document",
                      parent_key=parent, district_type=district_type, shape=shape)

    def _context_province(self, ctx: Context) -> str | None:
        return ctx.province if ctx.province in self.rules.provinces else None

    def _province_prefix(self, folded: tuple[str, ...]) -> tuple[str | None, int]:
        for n in range(len(folded), 0, -1):
            prov = self.rules.province_keys.get(folded[:n])
            if prov is not None:
                return prov, n
        return None, 0

    def _district_prefix(self, folded: tuple[str, ...], province: str | None,
                         typ: str | None) -> tuple[District | None, int, bool]:
        """The district-level unit a name starts with, in `province` (or the only one of that name);
        (None, n, True) when the name fits several."""
        for n in range(len(folded), 0, -1):
            cands = self.rules.district_keys.get(folded[:n])
            if not cands:
                continue
            if province is not None:
                cands = tuple(d for d in cands if d.province == province)
                if not cands:
                    continue
            typed = tuple(d for d in cands if d.type == typ) if typ else cands
            cands = typed or cands  # types change over time (thị xã -> thành phố): a unique name still counts
            if len(cands) == 1:
                return cands[0], n, False
            return None, n, True
        return None, 0, False

    def _without_suffix(self, words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
        """A name without the province it ends with: ('Công', 'an', 'tỉnh', 'Bình', 'Thuận') ->
        (('Công', 'an', 'tỉnh'), 'Bình Thuận')."""
        folded = [w.lower() for w in words]
        for n in range(min(len(words), 6), 0, -1):
            prov = self.rules.province_keys.get(tuple(w for w in folded[-n:] if w != "-"))
            if prov is not None and n < len(words):
                rest = list(words[:-n])
                p = self.rules.provinces[prov]
                if p.type == "thành phố" and [w.lower() for w in rest[-2:]] == ["thành", "phố"]:
                    rest = rest[:-2] + ["tỉnh"]  # "Công an thành phố Cần Thơ" is the city's "Công an tỉnh"
                return tuple(rest), prov
        return words, None

    def _leading_name(self, words: tuple[str, ...]) -> list[str]:
        """The capitalized words (and numbers) a place's name is made of, up to the first lower-case word."""
        out: list[str] = []
        for w in words:
            if w == "-" and out:
                out.append(w)
                continue
            if not (w[:1].isupper() or w[:1].isdigit()):
                break
            out.append(w)
        while out and out[-1] == "-":
            out.pop()
        return out


def _contains(words: list[str] | tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))
