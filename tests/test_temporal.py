"""time stage: explicit, partial and relative expressions; publication date detection."""
from __future__ import annotations

from datetime import date

import pytest

from claimscope.model import Document, Event, Sentence, Span
from claimscope.temporal import annotate_times, date_events, sentence_date

TODAY = date(2025, 6, 1)


def run(text: str, published: str | None = None, title: str | None = None,
        published_from: str = "metadata") -> Document:
    doc = Document(id="t", source="t", text=text, title=title)
    if published:
        doc.published, doc.published_from = published, published_from
    annotate_times(doc, today=TODAY)
    for t in doc.times:
        assert doc.text[t.start:t.end] == t.text
        assert t.granularity in ("day", "month", "year", "range", "unknown")
    return doc


def values(doc: Document) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in doc.times]


# ---------------------------------------------------------------- explicit forms

@pytest.mark.parametrize("expr,value", [
    ("February 24, 2022", "2022-02-24"),
    ("Feb. 24, 2022", "2022-02-24"),
    ("24 February 2022", "2022-02-24"),
    ("the 24th of February 2022", "2022-02-24"),
    ("24.02.2022", "2022-02-24"),
    ("24/02/2022", "2022-02-24"),
    ("2022-02-24", "2022-02-24"),
    ("Thursday, February 24, 2022", "2022-02-24"),
    ("February 2022", "2022-02"),
    ("mid-May 2021", "2021-05"),
])
def test_absolute_forms(expr, value):
    doc = run(f"The committee met in Minsk. Talks resumed on {expr} after a pause.")
    assert values(doc) == [(expr if not expr.startswith("the ") else expr, value)] or \
        [v for _, v in values(doc)] == [value]


def test_partial_dates_without_known_year():
    doc = run("The elections of Aug. 9 were rigged, and on February 24 the war began. "
              "Since mid-May the portal has been blocked.")
    assert values(doc) == [("Aug. 9", "--08-09"), ("February 24", "--02-24"), ("mid-May", "--05")]


def test_partial_dates_completed_from_the_document_year():
    doc = run("The ministry said on Tuesday that talks held on February 24 had failed. "
              "A new round is planned for December 20.", published="2023-02-28")
    vals = dict(values(doc))
    assert vals["February 24"] == "2023-02-24"
    assert vals["December 20"] == "2022-12-20"  # the closest year to the publication date
    assert vals["on Tuesday"] == "2023-02-28"


def test_years_and_non_years():
    doc = run("The Helsinki Final Act of 1975 and the 1994 Budapest Memorandum were signed; "
              "since 2014 more than 1,000 people and 7,000 citizens, 2000 troops and "
              "Resolution No. 2623 were cited. It cost $1999. Permanent Council No.1460. "
              "Turnout was 2021 votes. The war, lasting since 2014, continued in the 1990s style.")
    vals = [v for _, v in values(doc)]
    assert vals == ["1975", "1994", "2014", "2014", "199"]


def test_old_years_need_a_cue():
    doc = run("The republic was proclaimed in 1918 and the Statute of 1588 is still cited; "
              "1500 people marched.")
    assert [v for _, v in values(doc)] == ["1918", "1588"]


def test_month_alone_needs_context():
    doc = run("In May the talks resumed. May God help them. They may march in March. "
              "Since early August, protests grew.", published="2021-09-10")
    assert values(doc) == [("May", "2021-05"), ("March", "2021-03"), ("early August", "2021-08")]


# ---------------------------------------------------------------- relative

def test_relative_expressions_anchored_to_publication():
    doc = run("A year ago the war began. Last week the ministry protested, and yesterday it "
              "summoned the ambassador. On Monday the president spoke; he will travel on Friday. "
              "Three days ago troops moved. Last month prices rose, and this year is hard. "
              "Today the opposition says nowadays nothing is certain.",
              published="2023-02-24")  # a Friday
    vals = dict(values(doc))
    assert vals["A year ago"] == "2022"
    assert vals["Last week"] == "2023-W07"
    assert vals["yesterday"] == "2023-02-23"
    assert vals["On Monday"] == "2023-02-20"
    assert vals["on Friday"] == "2023-03-03"  # future tense: the next Friday
    assert vals["Three days ago"] == "2023-02-21"
    assert vals["Last month"] == "2023-01"
    assert vals["this year"] == "2023"
    assert "Today" not in vals and "nowadays" not in vals


def test_relative_expressions_without_anchor_are_not_reported():
    doc = run("The UN rapporteur said Monday that a year ago the crackdown began, and over the "
              "last week arrests grew.")
    assert values(doc) == []


def test_apposition_gives_the_relative_expression_the_date():
    doc = run("The statement of the Council\n\nA year ago, on February 24, 2022, a full-scale "
              "invasion began.\nThe war, lasting since 2014, continues.")
    assert values(doc) == [("A year ago", "2022-02-24"), ("February 24, 2022", "2022-02-24"),
                           ("2014", "2014")]
    assert doc.published is None  # a narrative date is not the publication date


def test_weekday_with_date_is_one_expression():
    doc = run("Title\n\nThis was announced on Wednesday, August 26, by the spokeswoman.")
    assert values(doc) == [("Wednesday, August 26", "--08-26")]


# ---------------------------------------------------------------- publication date

def test_partial_dateline_anchors_weekdays():
    doc = run("Belarus to respond\n\nMOSCOW, August 10. /TASS/. The ministry on Tuesday condemned "
              "the sanctions imposed on Monday by the US. On August 9 the UK joined.")
    assert doc.published is None and doc.published_from == "none"
    assert values(doc) == [("August 10", "--08-10"), ("on Tuesday", "--08-10"),
                           ("on Monday", "--08-09"), ("August 9", "--08-09")]


def test_agency_dateline_full_date():
    doc = run("Headline here\nKYIV, Feb 24, 2023 (Reuters) - Ukraine said on Thursday that ...")
    assert (doc.published, doc.published_from) == ("2023-02-24", "dateline")
    assert dict(values(doc))["on Thursday"] == "2023-02-23"


def test_bpn_dateline_partial_with_known_year():
    doc = run("Opposition urges pressure\nNovember 2, BPN. The community must act.",
              published="2022", published_from="given")
    assert doc.published == "2022"
    assert values(doc) == [("November 2", "2022-11-02")]


@pytest.mark.parametrize("text,expected", [
    ("Statement\n\nWe call on the world to act.\n\nFebruary 21, 2022\n", "2022-02-21"),
    ("Statement of the Ministry\n  Ministry of Foreign Affairs, posted 09 October 2022 08:53\n\n"
     "On the evening of October 8, 2022, the ambassador was invited.", "2022-10-09"),
    (" date 2024-08-25 The Ministry has expressed concern over the actions of Belarus.",
     "2024-08-25"),
    ("Resolution of the Council\n\nApproved during the meeting of the Council on 19.08.2020\n\n"
     "On August 19, 2020, the Council held its first meeting.", "2020-08-19"),
    ("OSCE Permanent Council No.1460 Vienna, 8 February 2024\n- The EU remains concerned.",
     "2024-02-08"),
    ("Press release\n\n30 May 2023\n\nGENEVA (30 May 2023) – UN experts today called for "
     "release.", "2023-05-30"),
    ("Published: 12.03.2021 | 14:20\nThe regime detained ten journalists.", "2021-03-12"),
    ('Statement of the Council on its designation as a "terrorist organisation"\nVilnius, 9 October 2023\n\n'
     "On 7 October the KGB added the Council to its list.", "2023-10-09"),
])
def test_publication_date_from_text(text, expected):
    doc = run(text)
    assert doc.published == expected
    assert doc.published_from in ("text", "dateline")


@pytest.mark.parametrize("text", [
    "The statement on the events of August 9, 2020\n\nThe Council condemned the violence.",
    "Appeal\n\nThe decree dated September 21, 2022 was signed in violation of the law. The "
    "cabinet demands withdrawal.",
    "On August 19, 2020, the Coordination Council held its first meeting.",
    "Talks\n\nThe parliament adopted the resolution on 14 September 2023.",
])
def test_narrative_dates_are_not_publication_dates(text):
    assert run(text).published is None


def test_future_date_rejected_as_publication():
    doc = run("Summit\n\n12 March 2031\n\nLeaders will meet on 12 March 2031 in Vilnius.")
    assert doc.published is None
    assert [v for _, v in values(doc)] == ["2031-03-12", "2031-03-12"]  # still time expressions


def test_metadata_published_kept_unless_invalid():
    doc = run("Statement\n\n30 May 2023\n\nText.", published="2023-06-01")
    assert (doc.published, doc.published_from) == ("2023-06-01", "metadata")
    doc = run("Statement\n\n30 May 2023\n\nText.", published="1970-01-01")
    assert (doc.published, doc.published_from) == ("2023-05-30", "text")
    doc = run("Statement\n\nText.", published="2099-01-01")
    assert (doc.published, doc.published_from) == (None, "none")


def test_placeholders_and_widgets_ignored():
    doc = run("News\nUSD 2.5123 EUR 2.7931 RUB 3.12 on 12.03.2024\nViews: 2021\n"
              "Updated 1970-01-01 00:00\nThe ministry said the talks of 2019 failed.")
    assert values(doc) == [("2019", "2019")]
    assert doc.published is None


def test_title_outside_text():
    doc = run("The ministry said the talks failed.", title="Vienna, 8 February 2024")
    assert doc.published == "2024-02-08"
    assert doc.times == []


# ---------------------------------------------------------------- event dates

def test_event_dates():
    text = "Minsk, 3 March 2022 – The ministry protested. On March 1 troops crossed the border."
    doc = run(text)
    assert doc.published == "2022-03-03"
    s1 = text.index("The ministry")
    s2 = text.index("On March 1")
    doc.sentences = [Sentence(0, "sentence", s1, s2 - 1), Sentence(1, "sentence", s2, len(text))]
    doc.events = [
        Event("e1", "ACCUSE", None, Span(s1, s2 - 1, text[s1:s2 - 1]),
              Span(s1 + 13, s1 + 22, "protested"), 0),
        Event("e2", "MOBILIZE", None, Span(s2, len(text), text[s2:]),
              Span(s2 + 17, s2 + 24, "crossed"), 1),
    ]
    date_events(doc)
    assert [e.date for e in doc.events] == ["2022-03-03", "2022-03-01"]
    assert sentence_date(doc, s1, s2, default="x") == "x"


def test_event_date_from_partial_dateline():
    text = "Headline\nFebruary 24, BPN. The cabinet has called aggression a crime."
    doc = run(text)
    s = text.index("The cabinet")
    doc.events = [Event("e1", "ACCUSE", None, Span(s, len(text), text[s:]),
                        Span(s + 16, s + 22, "called"), 99)]
    date_events(doc)
    assert doc.events[0].date == "--02-24"
