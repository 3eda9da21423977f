"""The actor knowledge base: YAML entries, validation, derived entities and the match patterns.

File format: a YAML list of entries (or a mapping with an `entries:` list). See docs/actors.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claimscope.errors import DataFileError
from claimscope.events.ontology import SECTORS

from .keys import _CYR, name_key, word_key
from .translit import romanisations

# country names and demonyms that are also everyday English words
_COMMON_WORDS = frozenset({"poles", "pole", "turkey", "china", "chad", "guinea", "jordan"})


KINDS = ("person", "organization", "country", "igo", "group")
SPECIAL_COUNTRIES = frozenset({"IGO", "NGO", "EUR", "UNO"})


def _iso3_codes() -> frozenset[str]:
    from icu import Locale

    codes = {Locale("", c).getISO3Country() for c in Locale.getISOCountries()}
    codes |= {"XKX", "PSE", "TWN", "VAT", "SUN"}  # Kosovo (user-assigned), USSR (historical)
    return frozenset(c for c in codes if c)


ISO3 = _iso3_codes()
FIELDS = frozenset("""id name kind aliases country sector roles descriptors ids adjectives demonyms
capital seats templates derive extends note surname capitalized speaks_for contextual cyrillic""".split())
CYRILLIC_LANGUAGES = ("be", "ru", "uk")
ROLE_FIELDS = frozenset("title org from to sector country head".split())
_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DERIVE_DEFAULT = ("gov", "mil", "people")

# templates of the entities every country gets; {name} = each name of the country, {adj} = each
# adjective, {dem} = each demonym (plural people noun)
DERIVED = {
    "gov": dict(suffix="gov", kind="organization", sector="GOV", name="Government of {name0}",
                aliases=["Government of {name}", "{adj} government", "{adj} authorities",
                         "authorities of {name}", "authorities in {name}", "{adj} regime",
                         "regime in {name}", "regime of {name}", "leadership of {name}",
                         "{adj} leadership", "{adj} administration", "government in {name}"]),
    "mil": dict(suffix="mil", kind="organization", sector="MIL", name="Armed Forces of {name0}",
                aliases=["Armed Forces of {name}", "{adj} Armed Forces", "{adj} army",
                         "{adj} troops", "{adj} military", "{adj} forces", "army of {name}",
                         "troops of {name}", "military of {name}", "{adj} military contingent",
                         "{adj} soldiers", "{adj} invaders", "{adj} occupiers",
                         "{adj} military command", "{adj} army command", "{adj} servicemen"]),
    "people": dict(suffix="people", kind="group", sector="CVL", name="{adj0} people",
                   aliases=["{dem}", "people of {name}", "{adj} people", "{adj} peoples",
                            "{adj} nation", "{adj} society", "{adj} citizens",
                            "citizens of {name}", "{adj} public"]),
}
COUNTRY_TEMPLATES = ["{adj} state", "{adj} side", "state of {name}"]


@dataclass(slots=True)
class RoleSpec:
    title: str
    org: str | None = None
    start: str | None = None
    end: str | None = None
    sector: str | None = None
    country: str | None = None
    head: bool = False

    def active(self, on: str) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(slots=True)
class Entry:
    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    adjectives: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    derive: tuple[str, ...] = ()
    surname: bool = True
    capitalized: bool = False  # the name is also a common word: match it only capitalised
    source: str = ""
    derived_from: str | None = None
    speaks_for: str | None = None  # the body whose "we" its officials speak for (eu-eeas -> eu)
    # aliases that name this entry only near a mention of one of these countries or entries
    # ("CC" is the Coordination Council only in a Belarusian context)
    contextual: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # Cyrillic names by language (be, ru, uk); they are aliases too. The language decides the
    # transliteration conventions and, in the tests, the declension.
    cyrillic: dict[str, list[str]] = field(default_factory=dict)

    def cyrillic_language(self, name: str) -> str | None:
        return next((lang for lang, names in self.cyrillic.items() if name in names), None)

    def roles_on(self, on: str | None) -> list[RoleSpec]:
        day = on[:10] if on else date.today().isoformat()
        return [r for r in self.roles if r.active(day)]

    def sector_on(self, on: str | None) -> str | None:
        for r in self.roles_on(on):
            if r.sector:
                return r.sector
        return self.sector

    def country_on(self, on: str | None) -> str | None:
        for r in self.roles_on(on):
            if r.country:
                return r.country
        return self.country

    def heads_on(self, on: str | None) -> list[str]:
        """Ids of the organisations this person heads on that date."""
        return [r.org for r in self.roles_on(on) if r.head and r.org]

    def cyrillic_names(self) -> list[str]:
        return [n for names in self.cyrillic.values() for n in names]

    def all_names(self) -> list[str]:
        out = [self.name]
        for a in self.aliases + self.cyrillic_names():
            if a not in out:
                out.append(a)
        return out


@dataclass(slots=True)
class Pattern:
    """One surface form in key space and the entries it may refer to."""

    key: str
    entries: list[str]
    via: str  # name | alias | descriptor | metonym | adjective
    exact_case: bool = False  # acronyms: the text must match the alias's letters and case
    capitalized: bool = False  # person and single-word names: first letter upper case in text
    generic: bool = False  # one-word descriptors ("the regime"): context rules apply
    surface: str = ""
    lower_ok: bool = False  # capitalised, but the exact spelling in lower case is accepted too
    contextual: bool = False  # a contextual alias: each entry's `near` is in KnowledgeBase.near


def _as_list(v: Any, path: str, entry: str, fld: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise DataFileError(path, entry, fld, "must be a string or a list of non-empty strings")
    return [x.strip() for x in v]


def _date(v: Any, path: str, entry: str, fld: str) -> str | None:
    if v is None:
        return None
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, int):
        v = str(v)
    if not isinstance(v, str) or not _DATE.match(v):
        raise DataFileError(path, entry, fld, f"must be a date YYYY[-MM[-DD]], got {v!r}")
    return v


def parse_entry(raw: Any, path: str, index: int) -> Entry:
    """Validate one YAML entry; raise DataFileError naming file, entry and field."""
    label: str | int = index
    if not isinstance(raw, dict):
        raise DataFileError(path, label, None, "entry must be a mapping")
    if isinstance(raw.get("id"), str):
        label = raw["id"]
    unknown = set(raw) - FIELDS
    if unknown:
        raise DataFileError(path, label, sorted(unknown)[0], "unknown field")
    eid = raw.get("id")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise DataFileError(path, label, "id", "required; lower-case letters, digits, . _ : -")
    extends = bool(raw.get("extends"))
    name = raw.get("name")
    if not extends and (not isinstance(name, str) or not name.strip()):
        raise DataFileError(path, label, "name", "required non-empty string")
    kind = raw.get("kind")
    if not extends and kind not in KINDS:
        raise DataFileError(path, label, "kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    country = raw.get("country")
    if country is not None and (not isinstance(country, str)
                                or (country not in ISO3 and country not in SPECIAL_COUNTRIES)):
        raise DataFileError(path, label, "country",
                            f"must be ISO 3166-1 alpha-3 or IGO/NGO/EUR/UNO, got {country!r}")
    if country is None and not extends and kind not in ("group",):
        raise DataFileError(path, label, "country", "required (null only for groups)")
    sector = raw.get("sector")
    if sector is not None and sector not in SECTORS:
        raise DataFileError(path, label, "sector", f"not a PLOVER sector code: {sector!r}")
    roles = []
    raw_roles = raw.get("roles") or []
    if not isinstance(raw_roles, list):
        raise DataFileError(path, label, "roles", "must be a list")
    for i, r in enumerate(raw_roles):
        f = f"roles[{i}]"
        if not isinstance(r, dict):
            raise DataFileError(path, label, f, "must be a mapping")
        bad = set(r) - ROLE_FIELDS
        if bad:
            raise DataFileError(path, label, f"{f}.{sorted(bad)[0]}", "unknown field")
        if not isinstance(r.get("title"), str):
            raise DataFileError(path, label, f"{f}.title", "required string")
        rs = r.get("sector")
        if rs is not None and rs not in SECTORS:
            raise DataFileError(path, label, f"{f}.sector", f"not a PLOVER sector code: {rs!r}")
        rc = r.get("country")
        if rc is not None and rc not in ISO3 and rc not in SPECIAL_COUNTRIES:
            raise DataFileError(path, label, f"{f}.country", f"bad country code {rc!r}")
        start = _date(r.get("from"), path, label, f"{f}.from")
        end = _date(r.get("to"), path, label, f"{f}.to")
        if start and end and end < start:
            raise DataFileError(path, label, f"{f}.to", "ends before it starts")
        org = r.get("org")
        if org is not None and not isinstance(org, str):
            raise DataFileError(path, label, f"{f}.org", "must be an entry id")
        roles.append(RoleSpec(r["title"], org, start, end, rs, rc, bool(r.get("head"))))
    ids = raw.get("ids") or {}
    if not isinstance(ids, dict):
        raise DataFileError(path, label, "ids", "must be a mapping of scheme: id")
    derive = raw.get("derive")
    if derive is None:
        derive_t = DERIVE_DEFAULT if kind == "country" else ()
    else:
        derive_l = _as_list(derive, path, label, "derive")
        for d in derive_l:
            if d not in DERIVED:
                raise DataFileError(path, label, "derive", f"unknown derived entity {d!r}")
        derive_t = tuple(derive_l)
    templates = _as_list(raw.get("templates"), path, label, "templates")
    for t in templates:
        if "{" in t and not re.fullmatch(r"[^{}]*(\{(adj|name)\}[^{}]*)*", t):
            raise DataFileError(path, label, "templates", f"only {{adj}} and {{name}}: {t!r}")
    return Entry(
        id=eid, name=(name or "").strip(), kind=kind or "", country=country, sector=sector,
        aliases=_as_list(raw.get("aliases"), path, label, "aliases"),
        descriptors=_as_list(raw.get("descriptors"), path, label, "descriptors"),
        roles=roles, ids={str(k): str(v) for k, v in ids.items()},
        adjectives=_as_list(raw.get("adjectives"), path, label, "adjectives"),
        demonyms=_as_list(raw.get("demonyms"), path, label, "demonyms"),
        capital=_as_list(raw.get("capital"), path, label, "capital"),
        seats=_as_list(raw.get("seats"), path, label, "seats"),
        templates=templates, derive=derive_t, surname=raw.get("surname", True) is not False,
        capitalized=bool(raw.get("capitalized")),
        contextual=_contextual(raw.get("contextual"), path, label),
        cyrillic=_cyrillic(raw.get("cyrillic"), path, label),
        speaks_for=_speaks_for(raw.get("speaks_for"), path, label),
        source=path,
    )


def _cyrillic(v: Any, path: str, entry: str) -> dict[str, list[str]]:
    """`cyrillic: {be: [Аляксандр Лукашэнка], ru: [...], uk: [...]}`."""
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise DataFileError(path, entry, "cyrillic", "must map be/ru/uk to names")
    out = {}
    for lang, names in v.items():
        if lang not in CYRILLIC_LANGUAGES:
            raise DataFileError(path, entry, f"cyrillic.{lang}", "language must be be, ru or uk")
        names = _as_list(names, path, entry, f"cyrillic.{lang}")
        for n in names:
            if not _CYR.search(n):
                raise DataFileError(path, entry, f"cyrillic.{lang}", f"not a Cyrillic name: {n!r}")
        out[lang] = names
    return out


def _contextual(v: Any, path: str, entry: str) -> list[tuple[str, tuple[str, ...]]]:
    """`contextual: [{alias: CC, near: [BLR, blr-cc]}]`: near = country codes or entry ids."""
    if v is None:
        return []
    if not isinstance(v, list):
        raise DataFileError(path, entry, "contextual", "must be a list of {alias, near}")
    out = []
    for i, item in enumerate(v):
        f = f"contextual[{i}]"
        if not isinstance(item, dict) or set(item) != {"alias", "near"}:
            raise DataFileError(path, entry, f, "must be a mapping with exactly alias and near")
        alias, near = item["alias"], item["near"]
        if not isinstance(alias, str) or not alias.strip():
            raise DataFileError(path, entry, f"{f}.alias", "must be a non-empty string")
        near = [near] if isinstance(near, str) else near
        if not isinstance(near, list) or not near or not all(
                isinstance(x, str) and (x in ISO3 or x in SPECIAL_COUNTRIES or _ID.match(x))
                for x in near):
            raise DataFileError(path, entry, f"{f}.near", "country codes or entry ids")
        out.append((alias.strip(), tuple(near)))
    return out


def _speaks_for(v: Any, path: str, entry: str) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str) or not _ID.match(v):
        raise DataFileError(path, entry, "speaks_for", "must be an entry id")
    return v


def read_file(path: Path) -> list[tuple[Any, int]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), None, None, f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise DataFileError(str(path), None, None, f"cannot read: {exc}") from exc
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get("entries")
    if not isinstance(data, list):
        raise DataFileError(str(path), None, None, "must be a list of entries (or entries: [...])")
    return [(x, i) for i, x in enumerate(data)]


def builtin_files() -> list[Path]:
    base = resources.files("claimscope") / "data" / "actors"
    return sorted(Path(str(p)) for p in base.iterdir() if str(p).endswith(".yaml"))


def _letters(s: str) -> str:
    return re.sub(r"\W", "", s)


def _is_acronym(alias: str) -> bool:
    letters = re.sub(r"[^\w]", "", alias)
    if not letters:
        return False
    if "." in alias and re.fullmatch(r"(?:[A-Za-z]\.){2,}[A-Za-z]?\.?", alias):
        return True
    return (letters.isupper() and len(letters) <= 6) or len(letters) <= 2


class KnowledgeBase:
    """Entries by id, plus everything the matcher needs (patterns by key, name tokens)."""

    def __init__(self, entries: list[Entry], problems: list[str] | None = None):
        self.entries: dict[str, Entry] = {}
        self.problems = problems if problems is not None else []
        for e in entries:
            self.entries[e.id] = e
        self._derive()
        self.patterns: dict[str, list[Pattern]] = {}
        self.first_names: dict[str, set[str]] = {}  # person id -> keys of given names
        self.adjective_country: dict[str, str] = {}  # adjective key -> country entry id
        # (key, entry id) -> countries / entry ids one of which a contextual alias needs nearby
        self.near: dict[tuple[str, str], tuple[str, ...]] = {}
        # (key, entry id) -> (convention, romanised name) behind it (translit.py)
        self.conventions: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._build_patterns()

    # ---------------------------------------------------------------- derived entities
    def _country_forms(self, e: Entry) -> tuple[list[str], list[str], list[str]]:
        names = [e.name] + [a for a in e.aliases if not _is_acronym(a) and a[:1].isupper()
                            and a.isascii()]
        # Cyrillic adjectives (российский) only mark qualifiers (boundary.py), no English templates
        return names, [a for a in e.adjectives if a.isascii()], e.demonyms

    def _derive(self) -> None:
        forms: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for e in self.entries.values():
            if e.kind == "country":
                forms[e.id] = self._country_forms(e)
        for e in list(self.entries.values()):
            if e.kind != "country":
                continue
            names, adjs, dems = forms[e.id]
            for d in e.derive:
                spec = DERIVED[d]
                did = f"{e.id}-{spec['suffix']}"
                fill = {"name0": e.name, "adj0": (adjs[0] if adjs else e.name)}
                aliases: list[str] = []
                for t in spec["aliases"]:
                    for a in _expand(t, names, adjs, dems):
                        if a not in aliases:
                            aliases.append(a)
                name = spec["name"].format(**fill)
                if d == "people" and not adjs:
                    name = f"People of {e.name}"
                derived = Entry(id=did, name=name, kind=spec["kind"], country=e.country,
                                sector=spec["sector"], aliases=aliases, source=e.source,
                                derived_from=e.id, surname=False)
                explicit = self.entries.get(did)
                if explicit is not None:  # an explicit entry refines the derived one
                    explicit.aliases = explicit.aliases + [
                        a for a in aliases if a not in explicit.aliases]
                    explicit.derived_from = e.id
                    explicit.capital = e.capital if d == "gov" else explicit.capital
                    explicit.seats = explicit.seats + (e.seats if d == "gov" else [])
                    explicit.country = explicit.country or e.country
                else:
                    if d == "gov":
                        derived.capital, derived.seats = e.capital, e.seats
                    self.entries[did] = derived
            for t in COUNTRY_TEMPLATES:
                for a in _expand(t, names, adjs, dems):
                    if a not in e.aliases:
                        e.aliases.append(a)
        # entries with alias templates built from their country's names/adjectives
        for e in self.entries.values():
            if not e.templates:
                continue
            c = self.country_entry(e.country)
            names, adjs, dems = forms[c.id] if c else ([], [], [])
            for t in e.templates:
                for a in _expand(t, names, adjs, dems):
                    if a not in e.aliases:
                        e.aliases.append(a)

    def country_entry(self, code: str | None) -> Entry | None:
        if not code:
            return None
        return self._by_code().get(code)

    def _by_code(self) -> dict[str, Entry]:
        cache = getattr(self, "_code_cache", None)
        if cache is None:
            cache = {e.country: e for e in self.entries.values()
                     if e.kind == "country" and e.country}
            self._code_cache = cache
        return cache

    # ---------------------------------------------------------------- patterns
    def _add(self, surface: str, eid: str, via: str, *, generic: bool = False,
             near: tuple[str, ...] = ()) -> str:
        key = name_key(surface)
        if not key:
            return key
        e = self.entries[eid]
        exact = via in ("name", "alias") and _is_acronym(surface)
        single = " " not in key
        cap = (e.kind == "person" and via in ("name", "alias")) or (
            single and via in ("name", "alias", "metonym") and e.kind in (
                "organization", "igo", "person") and not exact)
        if via == "metonym" or (e.capitalized and via in ("name", "alias")):
            cap = True
        lower_ok = False
        if via == "metonym":
            lower_ok = True  # "the kremlin"
        if single and via in ("name", "alias") and not exact and not cap:
            cap = True
            # "belarus", "russia" (spelled so on purpose), never "loss"; names that are also
            # common English words are accepted capitalised only ("metal poles", "china")
            lower_ok = surface.lower() not in _COMMON_WORDS
        keys = [key]
        if exact and _CYR.search(surface):
            # a Cyrillic acronym is the same letters in a text of any of the three languages,
            # whose transliterations differ ("АБСЕ" in a Belarusian text keys as "absie")
            keys += [k for k in (name_key(surface, lang) for lang in ("be", "ru", "uk"))
                     if k and k not in keys]
        for k in keys:
            self._add_pattern(k, surface, eid, via, exact, cap, generic, lower_ok, near)
        return key

    def _add_pattern(self, key: str, surface: str, eid: str, via: str, exact: bool, cap: bool,
                     generic: bool, lower_ok: bool, near: tuple[str, ...]) -> None:
        plist = self.patterns.setdefault(key, [])
        if near:
            self.near[(key, eid)] = near
        for p in plist:
            if p.via == via and p.exact_case == exact and p.contextual == bool(near) and (
                    not exact or _letters(p.surface) == _letters(surface)):
                if eid not in p.entries:
                    p.entries.append(eid)
                return
        plist.append(Pattern(key, [eid], via, exact, cap, generic, surface, lower_ok, bool(near)))

    def _add_romanisations(self, e: Entry) -> None:
        """Every Cyrillic name of a person or a short body name, romanised in each convention
        of data/transliteration.yaml, is an alias; `conventions` remembers which."""
        person = e.kind == "person"
        for n in e.all_names():
            if not _CYR.search(n) or _is_acronym(n) or (not person and len(n.split()) > 3):
                continue
            for conv, latin in romanisations(n, person, e.cyrillic_language(n)):
                forms = [latin]
                if person and e.surname and " " in latin:
                    forms.append(latin.split()[-1])
                for form in forms:
                    key = self._add(form, e.id, "alias")
                    got = self.conventions.setdefault((key, e.id), [])
                    if (conv, form) not in got:
                        got.append((conv, form))

    def _build_patterns(self) -> None:
        surnames: dict[str, set[str]] = {}
        for e in self.entries.values():
            self._add(e.name, e.id, "name")
            for a in e.aliases + [n for n in e.cyrillic_names() if n not in e.aliases]:
                self._add(a, e.id, "alias")
            for a, near in e.contextual:
                self._add(a, e.id, "alias", near=near)
            if e.kind != "country":  # a country's capital and seats name its government
                for a in e.capital + e.seats:
                    self._add(a, e.id, "metonym")
            for d in e.descriptors:
                dk = name_key(d)
                self._add(d, e.id, "descriptor", generic=" " not in dk)
            if e.kind == "country":
                for adj in e.adjectives:
                    self.adjective_country[word_key(adj)] = e.id
            if e.kind == "person":
                firsts = set()
                for n in e.all_names():
                    parts = n.split()
                    if len(parts) >= 2 and parts[-1][:1].isupper():
                        if e.surname:
                            surnames.setdefault(parts[-1], set()).add(e.id)
                        for p in parts[:-1]:
                            k = word_key(p)
                            if k:
                                firsts.add(k)
                self.first_names[e.id] = firsts
        for e in list(self.entries.values()):
            if e.kind in ("person", "organization", "igo") and not e.derived_from:
                self._add_romanisations(e)
        for surname, ids in surnames.items():
            for eid in ids:
                self._add(surname, eid, "alias")
        self.vocabulary = sorted({t for k in self.patterns for t in k.split(" ")})

    # ---------------------------------------------------------------- lookups
    def find(self, text: str) -> list[tuple[Pattern, str]]:
        """Patterns a spelling resolves to exactly, with the key it folded to."""
        key = name_key(text)
        return [(p, key) for p in self.patterns.get(key, [])]


def _expand(template: str, names: list[str], adjs: list[str], dems: list[str]) -> list[str]:
    if "{name}" in template:
        return [template.replace("{name}", n) for n in names]
    if "{adj}" in template:
        return [template.replace("{adj}", a) for a in adjs]
    if "{dem}" in template:
        return [template.replace("{dem}", d) for d in dems]
    return [template]


def load_entries(files: list[Path], problems: list[str] | None = None) -> list[Entry]:
    """Parse and validate files. With `problems`, collect errors instead of raising."""
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    by_id: dict[str, Entry] = {}
    for path in files:
        try:
            items = read_file(path)
        except DataFileError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
            continue
        for raw, i in items:
            try:
                e = parse_entry(raw, str(path), i)
                if isinstance(raw, dict) and raw.get("extends"):
                    base = by_id.get(e.id)
                    if base is None:
                        raise DataFileError(str(path), e.id, "extends",
                                            "no earlier entry with this id to extend")
                    base.aliases += [a for a in e.aliases if a not in base.aliases]
                    base.descriptors += [d for d in e.descriptors if d not in base.descriptors]
                    base.contextual += [c for c in e.contextual if c not in base.contextual]
                    for lang, names in e.cyrillic.items():
                        have = base.cyrillic.setdefault(lang, [])
                        have += [n for n in names if n not in have]
                    base.roles += e.roles
                    base.ids.update(e.ids)
                    continue
                if e.id in seen:
                    raise DataFileError(str(path), e.id, "id",
                                        f"duplicate id (first defined in {seen[e.id]})")
            except DataFileError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
                continue
            seen[e.id] = str(path)
            by_id[e.id] = e
            entries.append(e)
    # references
    for e in entries:
        for i, r in enumerate(e.roles):
            if r.org and r.org not in by_id and not _derived_id_ok(r.org, by_id):
                exc = DataFileError(e.source, e.id, f"roles[{i}].org", f"unknown entry id {r.org!r}")
                if problems is None:
                    raise exc
                problems.append(str(exc))
        if e.speaks_for and e.speaks_for not in by_id and not _derived_id_ok(e.speaks_for, by_id):
            exc = DataFileError(e.source, e.id, "speaks_for", f"unknown entry id {e.speaks_for!r}")
            if problems is None:
                raise exc
            problems.append(str(exc))
    return entries


def _derived_id_ok(eid: str, by_id: dict[str, Entry]) -> bool:
    base, _, suffix = eid.rpartition("-")
    return suffix in ("gov", "mil", "people") and base in by_id and by_id[base].kind == "country"


def load_kb(extra_files: list[Path] | None = None) -> KnowledgeBase:
    files = builtin_files() + [Path(p) for p in (extra_files or [])]
    return KnowledgeBase(load_entries(files))
