"""Dates in imported texts: formats, date lines, datelines, and which one wins."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.importer import ImportOptions, import_text
from briefgen.importer.dates import date_line, dateline, find_dates
from briefgen.importer.run import load_index
from tests.conftest import MakeSite
from tests.importing import parse_briefing

MAY_8 = dt.date(2024, 5, 8)
TODAY = dt.date(2030, 1, 2)


@pytest.mark.parametrize("text", [
    "on 8 May 2024 in Moscow", "on 8th May 2024", "on 8 of May, 2024", "on May 8, 2024", "on May 8 2024",
    "on May 8th, 2024", "on 2024-05-08 at noon", "on Wednesday, 8 May 2024", "on 8 MAY 2024",
    "MOSCOW, May 8, 2024", "on 8 May. 2024",
])
def test_full_dates_are_found(text: str) -> None:
    (mention,) = find_dates(text)
    assert mention.date == MAY_8
    assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("text", [
    "on Wednesday", "on 8 May", "in May 2024", "on 08/05/2024", "they may 8, 2024 say",
    "on 31 February 2024", "on 2024-13-01", "on 8 May 1492", "the 2024-05-08-x slug",
])
def test_partial_ambiguous_or_impossible_dates_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_dates_come_in_text_order() -> None:
    found = find_dates("Signed on 2023-12-01, ratified May 8, 2024 and in force 1 June 2024.")
    assert [m.date.isoformat() for m in found] == ["2023-12-01", "2024-05-08", "2024-06-01"]


def test_date_lines() -> None:
    for line in ("8 May 2024", "Published: Wednesday, 8 May 2024, 14:05 BST",
                 "Updated May 8, 2024 at 2:05 p.m.", "2024-05-08"):
        found = date_line(line)
        assert found is not None and found.date == MAY_8, line
    for line in ("Putin met Pashinyan on 8 May 2024.", "8 May 2024 and 9 May 2024"):
        assert date_line(line) is None, line


def test_datelines() -> None:
    for text in ("MOSCOW, May 8, 2024 \u2014 Putin met Pashinyan.",
                 "YEREVAN, 8 May 2024 (Reuters) - Talks began.", "8 May 2024 \u2013 Talks began."):
        found = dateline(text)
        assert found is not None and found[0].date == MAY_8, text
        assert text[found[1]:][0].isupper()
    assert dateline("Putin met Pashinyan on 8 May 2024 in Moscow.") is None
    assert dateline("x" * 90 + " 8 May 2024 \u2014 late.") is None


def imported(make_site: MakeSite, text: str, date: dt.date | None = None) -> tuple[str, str, list[str]]:
    site, _ = load_index(make_site({}))
    options = ImportOptions(date=date, dry_run=True)
    outcome = import_text(text.encode(), "story.txt", site, options, today=TODAY)
    assert outcome.ok
    briefing = parse_briefing(outcome.text)
    messages = [n.message for n in outcome.notes] + [d.message for d in outcome.diagnostics]
    return briefing.date.isoformat(), briefing.summary, messages


def test_the_option_wins_over_the_text(make_site: MakeSite) -> None:
    date, _, messages = imported(make_site, "Headline\n\nSigned on 1 June 2020.\n", date=MAY_8)
    assert date == "2024-05-08"
    assert not [m for m in messages if m.startswith("date ")]


def test_a_date_line_wins_over_a_dateline_and_the_text(make_site: MakeSite) -> None:
    date, _, messages = imported(
        make_site, "Headline\nPublished 8 May 2024\n\nMOSCOW, May 7, 2024 \u2014 Signed on 1 June 2020.\n")
    assert date == "2024-05-08"
    assert "date 2024-05-08 from the date line '8 May 2024'" in messages


def test_a_dateline_wins_over_the_text_and_stays_out_of_the_summary(make_site: MakeSite) -> None:
    date, summary, messages = imported(
        make_site, "Headline\n\nMOSCOW, May 8, 2024 \u2014 The deal signed on 1 June 2020 lapsed.\n")
    assert date == "2024-05-08"
    assert summary == "The deal signed on 1 June 2020 lapsed."
    assert "date 2024-05-08 from the dateline 'May 8, 2024'" in messages


def test_else_the_first_date_in_the_text(make_site: MakeSite) -> None:
    date, _, messages = imported(make_site, "Headline\n\nOn Wednesday, 8 May 2024, they met.\n\n"
                                            "They last met on 1 December 2023.\n")
    assert date == "2024-05-08"
    assert any(m.startswith("date 2024-05-08 from the text: '8 May 2024'") for m in messages)


def test_else_today_with_a_warning(make_site: MakeSite) -> None:
    date, _, messages = imported(make_site, "Headline\n\nThey met on Wednesday in May.\n")
    assert date == TODAY.isoformat()
    assert f"the text states no date; using today ({TODAY.isoformat()})" in messages

