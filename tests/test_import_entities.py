"""Recognising the registry's entities in an imported text, and suggesting unknown names."""

from __future__ import annotations

import pytest

from briefgen.importer.entities import guess_kind, recognise, suggest_names
from briefgen.importer.model import Paragraph
from briefgen.importer.run import SiteIndex, load_index
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite


@pytest.fixture
def site(make_site: MakeSite) -> SiteIndex:
    index, problems = load_index(make_site(dict(ACTORS_AND_COUNTRIES)))
    assert not problems
    return index


def names(site: SiteIndex, title: str, *paragraphs: str) -> list[str]:
    found = recognise(site.matcher, title, [Paragraph(p, i + 1) for i, p in enumerate(paragraphs)])
    return [site.registry.entity(ref).name for ref, _ in found]


def suggested(site: SiteIndex, *paragraphs: str) -> list[str]:
    found = suggest_names(site.matcher, site.known, [Paragraph(p, i + 1) for i, p in enumerate(paragraphs)])
    return [s.name for s in found]


def test_names_aliases_demonyms_and_possessives_are_recognised_in_order(site: SiteIndex) -> None:
    assert names(site, "A Summit", "The Armenian side met Putin's aides.", "Pashinyan flew to Moscow.") == [
        "Armenia", "Vladimir Putin", "Nikol Pashinyan", "Russia",
    ]


def test_the_title_counts_first_and_each_entity_once(site: SiteIndex) -> None:
    assert names(site, "Pashinyan in Moscow", "Putin met Pashinyan. Putin smiled.") == [
        "Nikol Pashinyan", "Russia", "Vladimir Putin",
    ]


def test_whole_words_and_capitals_only(site: SiteIndex) -> None:
    assert names(site, "", "Putinism grew in Armenians' minds; russian was heard.") == []


def test_the_longest_name_wins(site: SiteIndex) -> None:
    # "Russian President Vladimir Putin" is Putin's alias: no separate "Russian" for Russia
    assert names(site, "", "Russian President Vladimir Putin spoke.") == ["Vladimir Putin"]


def test_unknown_names_are_suggested_in_order_with_counts(site: SiteIndex) -> None:
    found = suggest_names(site.matcher, site.known, [
        Paragraph("Putin met Sergei Lavrov and Armenia's envoy in Nagorno-Karabakh.", 3),
        Paragraph("Later, Sergei Lavrov's aides left Nagorno-Karabakh.", 5),
    ])
    assert [(s.name, s.count, s.line) for s in found] == [("Sergei Lavrov", 2, 3), ("Nagorno-Karabakh", 2, 3)]


@pytest.mark.parametrize(("text", "expected"), [
    # a lone capitalised word opening a sentence is ordinary text; a run of them may be a name
    ("Despite the talks, nothing moved. Meanwhile Putin left.", []),
    ("Dmitry Medvedev said so.", ["Dmitry Medvedev"]),
    ("The Hague court ruled.", ["Hague"]),
    ("NATO was silent.", ["NATO"]),
    # weekdays, months, compass words and lone titles are not names
    ("They met on Wednesday in December, as the West watched.", []),
    ("He spoke to the President and the Prime Minister.", []),
    # titles are dropped from people's names, kept in organisations'
    ("He met French President Emmanuel Macron.", ["Emmanuel Macron"]),
    ("He met Deputy Prime Minister Mher Grigoryan.", ["Mher Grigoryan"]),
    ("He met Secretary General Antonio Guterres at the UN General Assembly.",
     ["Antonio Guterres", "UN General Assembly"]),
    ("He asked the Venice Commission.", ["Venice Commission"]),
    # names made only of titles and organisation words are too generic to suggest
    ("He asked the Supreme Court and the Foreign Ministry.", []),
    # connecting words join one name; punctuation, "and" and possessives end one
    ("He called the Ministry of Foreign Affairs.", ["Ministry of Foreign Affairs"]),
    ("He called Lavrov, Shoigu and Gerasimov.", ["Lavrov", "Shoigu", "Gerasimov"]),
    ("He read Lavrov's Kommersant interview.", ["Lavrov", "Kommersant"]),
    # names the registry knows, or their plurals, are not suggested; nor are parts of known names
    ("Many Armenians and Russians agreed with Pashinyan.", []),
    ("Moscow-dominated alliances and Armenian-backed groups.", []),
])
def test_suggestion_rules(site: SiteIndex, text: str, expected: list[str]) -> None:
    assert suggested(site, text) == expected


@pytest.mark.parametrize(("name", "kind"), [
    ("Collective Security Treaty Organization", "organization"), ("European Union", "organization"),
    ("International Criminal Court", "organization"), ("Ministry of Foreign Affairs", "organization"),
    ("NATO", "organization"), ("Sergei Lavrov", "person"), ("Nagorno-Karabakh", "person"),
])
def test_kind_is_guessed_from_organisation_words(name: str, kind: str) -> None:
    assert guess_kind(name) == kind
