"""Hand-coded sample documents for the UI tests, the demo and the load benchmark.

They are built like pipeline output (sentences, entities with mentions, events with roles and
spans, time expressions) with offsets computed from the text, so every span is exact. One of
them is hostile: its text carries `<script>` and `onerror=` payloads that must never execute.
"""
from __future__ import annotations

import re

from claimscope.extract import content_id
from claimscope.model import Document, Entity, Event, Role, Sentence, Span, TimeExpression

ACTORS = {
    "blr-cc": ("Coordination Council of Belarus", "organization", "BLR", "OPP",
               ["Coordination Council", "Каардынацыйная рада", "Kaardynacyjnaja rada"]),
    "blr-utc": ("United Transitional Cabinet", "organization", "BLR", "OPP",
                ["opposition cabinet", "Abjadnany pierachodny kabinet"]),
    "blr-gov": ("Government of Belarus", "organization", "BLR", "GOV",
                ["the regime", "the Lukashenka regime", "Minsk"]),
    "ukr-gov": ("Government of Ukraine", "organization", "UKR", "GOV", ["Kyiv"]),
    "rus": ("Russia", "country", "RUS", "GOV", ["Russian Federation", "Moscow", "the Kremlin"]),
    "blr-lukashenko": ("Alexander Lukashenko", "person", "BLR", "GOV",
                       ["Lukashenka", "Аляксандр Лукашэнка", "Александр Лукашенко"]),
    "eu": ("European Union", "igo", "EUR", "GOV", ["EU"]),
    "blr-tsikhanouskaya": ("Sviatlana Tsikhanouskaya", "person", "BLR", "OPP",
                           ["Tsikhanouskaya", "Святлана Ціханоўская"]),
}


def _sentences(text: str) -> list[Sentence]:
    out = []
    for m in re.finditer(r"[^\n.!?]+[.!?:]?", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            kind = "list_item" if text[s] in "•-" else "sentence"
            out.append(Sentence(len(out), kind, s, e))
    return out


def build(text: str, *, title: str, published: str, site: str, mentions: dict[str, list[str]],
          events: list[dict], times: list[tuple[str, str]], doc_id: str | None = None,
          language: str = "en", source: str | None = None) -> Document:
    """`mentions`: entity id -> mention strings (every occurrence is found);
    `events`: dicts with where (sentence substring), trigger, type, mode, actor (id, text),
    recipients [(id, text)], object, aux, contexts, date; `times`: (text, value)."""
    doc = Document(id=doc_id or content_id(text), source=source or f"sample:{title}", text=text,
                   title=title, site=site, published=published, published_from="given",
                   language=language)
    doc.sentences = _sentences(text)
    for eid, strings in mentions.items():
        name, kind, country, sector, aliases = ACTORS.get(eid, (eid, "other", None, None, []))
        ent = Entity(eid, name, kind, eid in ACTORS, list(aliases), country, sector)
        for s in strings:
            for m in re.finditer(re.escape(s), text):
                ent.mentions.append(Span(m.start(), m.end(), s))
        ent.mentions.sort(key=lambda sp: sp.start)
        doc.entities.append(ent)

    def role(eid: str | None, words: str, within: tuple[int, int]) -> Role:
        i = text.index(words, within[0], within[1])
        name = ACTORS[eid][0] if eid in ACTORS else words
        return Role(eid, name, i, i + len(words), words)

    for n, ev in enumerate(events, 1):
        where = text.index(ev["where"])
        sent = next(s for s in doc.sentences if s.start <= where < s.end)
        bounds = (sent.start, sent.end)
        t = text.index(ev["trigger"], sent.start, sent.end)
        doc.events.append(Event(
            id=f"e{n}", type=ev["type"], mode=ev.get("mode"), span=doc.span(*bounds),
            trigger=doc.span(t, t + len(ev["trigger"])), sentence=sent.id,
            actor=role(*ev["actor"], bounds) if ev.get("actor") else None,
            recipients=[role(eid, w, bounds) for eid, w in ev.get("recipients", [])],
            object=role(*ev["object"], bounds) if ev.get("object") else None,
            contexts=list(ev.get("contexts", [])), aux=list(ev.get("aux", [])),
            date=ev.get("date", published), confidence=ev.get("confidence", 0.8)))
    for words, value in times:
        i = text.index(words)
        doc.times.append(TimeExpression(i, i + len(words), words, value, "day"))
    return doc


STATEMENT = (
    "Statement of the Coordination Council on the anniversary of the war\n\n"
    "On February 24, 2022, Russia launched a full-scale invasion of Ukraine. "
    "The Coordination Council of Belarus fully supports the government and the people of independent Ukraine. "
    "Russia has repeatedly struck Ukraine from Belarusian territory. "
    "We call on the governments of all countries to provide Ukraine with all necessary assistance, including weapons. "
    "The Coordination Council condemns the Lukashenka regime for its complicity in the aggression. "
    "Lukashenko has not yet decided to send the Belarusian army to Ukraine.\n"
)

APPEAL = (
    "Tsikhanouskaya urges the EU to expand sanctions\n\n"
    "Sviatlana Tsikhanouskaya called on the EU to expand sanctions against the Lukashenka regime on Monday. "
    "The United Transitional Cabinet accuses Minsk of holding more than a thousand political prisoners. "
    "The European Union said it would support Belarusian civil society. "
    "The regime rejected any dialogue with the opposition.\n"
)

HOSTILE = (
    "<script>window.__pwned = 1</script> Breaking: <img src=x onerror=\"window.__pwned=2\"> report\n\n"
    "The Coordination Council of Belarus accuses Russia of <b onmouseover=\"window.__pwned=3\">aggression</b> "
    "and says <script>window.__pwned=4</script> it will never accept the occupation. "
    "\"><svg onload=window.__pwned=5> The Government of Belarus threatens the opposition with arrests.\n"
)


def sample_documents() -> list[Document]:
    d1 = build(
        STATEMENT, title="Statement of the Coordination Council on the anniversary of the war",
        published="2023-02-24", site="rada.vision",
        mentions={"blr-cc": ["Coordination Council of Belarus", "Coordination Council on", "We call",
                             "The Coordination Council condemns"],
                  "rus": ["Russia"], "ukr-gov": ["the government and the people of independent Ukraine"],
                  "blr-gov": ["the Lukashenka regime"], "blr-lukashenko": ["Lukashenko has"]},
        events=[
            dict(where="Russia launched", trigger="launched a full-scale invasion", type="ASSAULT",
                 mode="heavy-weapons", actor=("rus", "Russia"), recipients=[("ukr-gov", "Ukraine")],
                 aux=["historical"], date="2022-02-24", contexts=["military"]),
            dict(where="fully supports", trigger="fully supports", type="SUPPORT",
                 actor=("blr-cc", "Coordination Council of Belarus"),
                 recipients=[("ukr-gov", "the government and the people of independent Ukraine")]),
            dict(where="repeatedly struck", trigger="struck", type="ASSAULT", mode="aerial",
                 actor=("rus", "Russia"), recipients=[("ukr-gov", "Ukraine")], contexts=["military"]),
            dict(where="We call on", trigger="call on", type="REQUEST", mode="assist",
                 actor=("blr-cc", "We"), recipients=[(None, "the governments of all countries")],
                 object=("ukr-gov", "Ukraine"), contexts=["military"]),
            dict(where="condemns the Lukashenka", trigger="condemns", type="ACCUSE", mode="disapprove",
                 actor=("blr-cc", "The Coordination Council"),
                 recipients=[("blr-gov", "the Lukashenka regime")]),
            dict(where="has not yet decided", trigger="send the Belarusian army", type="MOBILIZE",
                 mode="troops", actor=("blr-lukashenko", "Lukashenko"), aux=["negation"]),
        ],
        times=[("February 24, 2022", "2022-02-24")])
    d2 = build(
        APPEAL, title="Tsikhanouskaya urges the EU to expand sanctions", published="2023-03-08",
        site="belsat.eu",
        mentions={"blr-tsikhanouskaya": ["Sviatlana Tsikhanouskaya", "Tsikhanouskaya urges"],
                  "eu": ["the EU", "The European Union"], "blr-gov": ["the Lukashenka regime", "Minsk", "The regime"],
                  "blr-utc": ["The United Transitional Cabinet"]},
        events=[
            dict(where="called on the EU", trigger="called on", type="REQUEST", mode="change",
                 actor=("blr-tsikhanouskaya", "Sviatlana Tsikhanouskaya"), recipients=[("eu", "the EU")],
                 object=("blr-gov", "the Lukashenka regime"), date="2023-03-06"),
            dict(where="accuses Minsk", trigger="accuses", type="ACCUSE", mode="allege",
                 actor=("blr-utc", "The United Transitional Cabinet"), recipients=[("blr-gov", "Minsk")],
                 contexts=["human_rights"]),
            dict(where="would support", trigger="would support", type="SUPPORT",
                 actor=("eu", "The European Union"), recipients=[(None, "Belarusian civil society")],
                 aux=["future"]),
            dict(where="rejected any dialogue", trigger="rejected", type="REJECT", mode="meet",
                 actor=("blr-gov", "The regime"), recipients=[(None, "the opposition")]),
        ],
        times=[("on Monday", "2023-03-06")])
    d3 = build(
        HOSTILE, title="<script>window.__pwned = 1</script> Breaking: <img src=x onerror=\"window.__pwned=2\">",
        published="2023-03-15", site="<b>evil.example</b>",
        mentions={"blr-cc": ["The Coordination Council of Belarus"], "rus": ["Russia"],
                  "blr-gov": ["The Government of Belarus"]},
        events=[
            dict(where="accuses Russia", trigger="accuses", type="ACCUSE", mode="disapprove",
                 actor=("blr-cc", "The Coordination Council of Belarus"), recipients=[("rus", "Russia")]),
            dict(where="threatens the opposition", trigger="threatens", type="THREATEN", mode="arrest",
                 actor=("blr-gov", "The Government of Belarus"), recipients=[(None, "the opposition")]),
        ],
        times=[], source="sample:hostile")
    return [d1, d2, d3]


HOSTILE_TITLE_PREFIX = "<script>window.__pwned"
