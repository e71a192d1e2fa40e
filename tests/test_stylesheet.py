"""The generated status stylesheet: one rule per word of any vocabulary, all readable."""

from __future__ import annotations

import re

import pytest

from briefgen.build import build_site
from briefgen.stylesheet import DARK_BACKGROUND, LIGHT_BACKGROUND, contrast, status_stylesheet
from tests.conftest import MakeSite, briefing


@pytest.mark.parametrize("vocabulary", [
    ("allied", "cooperative", "neutral", "strained", "hostile", "conflict"),
    ("warm", "cold"),
    ("only",),
    tuple(f"level{i}" for i in range(10)),
])
def test_every_status_has_a_readable_colour_in_both_schemes(vocabulary: tuple[str, ...]) -> None:
    css = status_stylesheet(vocabulary)
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    for part, background in ((light, LIGHT_BACKGROUND), (dark, DARK_BACKGROUND)):
        rules = dict(re.findall(r"\.status-([a-z0-9-]+) \{ color: (#[0-9a-f]{6}); \}", part))
        assert list(rules) == list(vocabulary)
        for word, colour in rules.items():
            assert contrast(colour, background) >= 4.5, (word, colour, background)


def test_contrast_of_black_and_white() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#777777") == 1.0


def test_a_custom_vocabulary_gets_its_colours_on_the_site(make_site: MakeSite) -> None:
    root = make_site({
        "site.yaml": "title: T\nbase_url: https://example.org/\nrelation_vocabulary: [friendly, frosty]\n",
        "content/briefings/a.md": briefing(),
    })
    build_site(root, search=False)
    [sheet] = (root / "build/assets").glob("status.*.css")
    assert ".status-frosty" in sheet.read_text()
    assert f'href="/assets/{sheet.name}"' in (root / "build/index.html").read_text()
