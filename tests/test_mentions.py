"""Mention linking: fixture cases of Markdown in, HTML out, plus the recorded mentions."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from briefgen.entities import EntityRef, SurfaceForm
from briefgen.markdown import make_markdown, render_body
from briefgen.markdown.mentions import MentionContext
from briefgen.mentions import MentionMatcher

FIXTURES = Path(__file__).parent / "fixtures" / "mentions.md"
CASE = re.compile(r"^(?P<title>[^\n.][^\n]*)\n\.\n(?P<input>.*?)\n\.\n(?P<expected>.*?)\.\n", re.M | re.S)

A = lambda i: EntityRef("actor", i)  # noqa: E731
C = lambda i: EntityRef("country", i)  # noqa: E731
REGISTRY = [
    SurfaceForm("Nikol Pashinyan", A("pashinyan")),
    SurfaceForm("Pashinyan", A("pashinyan")),
    SurfaceForm("Armenian Prime Minister Nikol Pashinyan", A("pashinyan")),
    SurfaceForm("Никол Пашинян", A("pashinyan")),
    SurfaceForm("Пашинян", A("pashinyan")),
    SurfaceForm("Vladimir Putin", A("putin")),
    SurfaceForm("Putin", A("putin")),
    SurfaceForm("Will Stone", A("will-stone")),
    SurfaceForm("Will", A("will-stone")),
    SurfaceForm("European Union", A("eu")),
    SurfaceForm("EU", A("eu")),
    SurfaceForm("Armenia", C("armenia")),
    SurfaceForm("Armenian", C("armenia")),
    SurfaceForm("Russia", C("russia")),
    SurfaceForm("Moscow", C("russia")),
    SurfaceForm("Москва", C("russia")),
    SurfaceForm("Москву", C("russia")),
    SurfaceForm("Turkey", C("turkey")),
]
MATCHER = MentionMatcher(REGISTRY)
MD = make_markdown()


def render(text: str, mode: str = "first", itself: EntityRef | None = None) -> tuple[str, MentionContext]:
    context = MentionContext(MATCHER, mode, lambda e: f"/{e.kind}/{e.id}/", itself)
    return str(render_body(MD, text, context).html), context


def cases() -> list[tuple[str, str, str]]:
    return [(m["title"], m["input"], m["expected"]) for m in CASE.finditer(FIXTURES.read_text())]


def test_fixture_file_has_cases() -> None:
    assert len(cases()) >= 12


@pytest.mark.parametrize(("title", "source", "expected"), cases(), ids=[c[0] for c in cases()])
def test_mention_fixtures(title: str, source: str, expected: str) -> None:
    html, _ = render(source + "\n")
    if os.environ.get("BRIEFGEN_UPDATE_FIXTURES") == "1":
        text = FIXTURES.read_text()
        block = f"{title}\n.\n{source}\n.\n{expected}.\n"
        FIXTURES.write_text(text.replace(block, f"{title}\n.\n{source}\n.\n{html}.\n", 1))
        return
    assert html == expected


def test_modes_all_and_none() -> None:
    text = "Putin met Pashinyan. Putin left.\n"
    assert render(text, "all")[0].count('class="mention"') == 3
    html, context = render(text, "none")
    assert "<a" not in html
    assert [(m.entity.id, m.linked) for m in context.found] == [
        ("putin", False), ("pashinyan", False), ("putin", False),
    ]


def test_mentions_are_recorded_with_lines_and_forms() -> None:
    _, context = render("First line.\n\nSecond para with\nPutin's aide and the EU.\n")
    assert [(m.entity.id, m.line, m.form, m.linked) for m in context.found] == [
        ("putin", 4, "Putin", True), ("eu", 4, "EU", True),
    ]


def test_an_entity_never_links_to_itself() -> None:
    html, context = render("Putin and Armenia.\n", itself=A("putin"))
    assert 'href="/actor/putin/"' not in html
    assert 'href="/country/armenia/"' in html
    assert [m.entity.id for m in context.found] == ["armenia"]


def test_large_registry_finds_the_same_mentions() -> None:
    forms = list(REGISTRY) + [
        SurfaceForm(f"Person{i} Surname{i}", A(f"p{i}")) for i in range(5000)
    ] + [SurfaceForm(f"Alias{i}", A(f"p{i // 4}")) for i in range(20000)]
    big = MentionMatcher(forms)
    text = "Putin met Person42 Surname42 and Alias17 in Moscow; Alias170000 is no one."
    assert [(m.entity.id, m.form) for m in big.find(text)] == [
        ("putin", "Putin"), ("p42", "Person42 Surname42"), ("p4", "Alias17"), ("russia", "Moscow"),
    ]
