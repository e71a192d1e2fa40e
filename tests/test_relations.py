"""Relations: validation, coverage, status history, trend, the index and pair pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import build_site, check_site, load_site
from briefgen.sitemodel.relations import PairRecord, StatusPoint
from tests.conftest import MakeSite, briefing

COUNTRIES = {
    f"content/countries/{cid}.md": f"---\nname: {name}\ncode: {code}\n---\n"
    for cid, name, code in [("armenia", "Armenia", "AM"), ("russia", "Russia", "RU"),
                            ("azerbaijan", "Azerbaijan", "AZ"), ("georgia", "Georgia", "GE")]
}


def relation(a: str, b: str, status: str, note: str = "") -> str:
    return f"\n  - between: [{a}, {b}]\n    status: {status}\n    note: {note or 'n'}"


def stated(name: str, date: str, *relations: str, countries: str = "[]") -> tuple[str, str]:
    return (f"content/briefings/{date}-{name}.md",
            briefing(name, date, countries=countries, relations="".join(relations)))


def test_relation_errors_point_at_their_lines(make_site: MakeSite) -> None:
    text = briefing(relations=relation("Armenia", "Russia", "frosty")
                    + relation("Armenia", "Armenia", "strained")
                    + relation("Armenia", "Narnia", "strained")
                    + "\n  - between: [Armenia, Russia, Georgia]\n    status: neutral"
                    + "\n  - between: [Armenia, Russia]")
    root = make_site({**COUNTRIES, "content/briefings/x.md": text})
    found = sorted((d.line, d.message) for d in check_site(root).errors)
    assert found == [
        (6, "unknown relation status 'frosty'"),
        (8, "a relation needs two different countries; both name 'armenia'"),
        (11, "unknown country 'Narnia'"),
        (14, "a relation is between two countries, not 3"),
        (16, "a relation needs a 'status'"),
    ]
    frosty = next(d for d in check_site(root).errors if "frosty" in d.message)
    assert frosty.hint is not None
    assert "allied, cooperative, neutral, strained, hostile, conflict" in frosty.hint


def test_custom_vocabulary(make_site: MakeSite) -> None:
    root = make_site({
        **COUNTRIES,
        "site.yaml": "title: T\nrelation_vocabulary: [warm, cool, cold]\n",
        "content/briefings/x.md": briefing(relations=relation("Armenia", "Russia", "strained")),
    })
    [error] = check_site(root).errors
    assert error.hint is not None and "warm, cool, cold" in error.hint


def test_coverage_without_statements_and_relation_countries_are_declared(make_site: MakeSite) -> None:
    root = make_site({
        **COUNTRIES,
        "content/briefings/a.md": briefing("A", "2024-01-01", countries="[Armenia, Russia, Georgia]"),
        "content/briefings/b.md": briefing("B", "2024-02-01",
                                           relations=relation("Azerbaijan", "Armenia", "hostile")),
    })
    site = load_site(root)
    pairs = {r.pair: r for r in site.model.relations}
    assert set(pairs) == {("armenia", "russia"), ("armenia", "georgia"), ("georgia", "russia"),
                          ("armenia", "azerbaijan")}
    assert pairs[("armenia", "russia")].current is None
    assert pairs[("armenia", "azerbaijan")].current == "hostile"
    # b states a relation, so it counts as declaring both countries
    assert site.model.briefings[0].countries == ("armenia", "azerbaijan")
    # most recently active first
    assert site.model.relations[0].pair == ("armenia", "azerbaijan")


VOCAB = ("allied", "cooperative", "neutral", "strained", "hostile", "conflict")


def record(*statuses: str) -> PairRecord:
    import datetime as dt

    points = tuple(StatusPoint(dt.date(2024, 1, i + 1), s, "", 0) for i, s in enumerate(statuses))
    return PairRecord(("a", "b"), points, (0,))


@pytest.mark.parametrize(("statuses", "trend", "changed"), [
    ((), None, None),
    (("strained",), None, 1),
    (("strained", "strained"), "unchanged", 1),
    (("hostile", "strained"), "improved", 2),
    (("neutral", "hostile"), "deteriorated", 2),
    (("neutral", "hostile", "hostile", "hostile"), "unchanged", 2),
    (("neutral", "hostile", "neutral", "neutral"), "unchanged", 3),
])
def test_trend_and_last_change(statuses: tuple[str, ...], trend: str | None, changed: int | None) -> None:
    rec = record(*statuses)
    assert rec.trend(VOCAB) == trend
    assert (rec.last_change.day if rec.last_change else None) == changed
    assert rec.current == (statuses[-1] if statuses else None)


def test_history_is_chronological_across_briefings(make_site: MakeSite) -> None:
    root = make_site({
        **COUNTRIES,
        **dict([
            stated("one", "2023-01-10", relation("Armenia", "Russia", "allied")),
            stated("three", "2024-03-01", relation("Russia", "Armenia", "strained", "latest")),
            stated("two", "2023-06-01", relation("Armenia", "Russia", "neutral")),
            stated("other", "2024-04-01", countries="[Armenia, Georgia]"),
        ]),
    })
    site = load_site(root)
    pair = next(r for r in site.model.relations if r.pair == ("armenia", "russia"))
    assert [p.status for p in pair.points] == ["allied", "neutral", "strained"]
    assert pair.trend(VOCAB) == "deteriorated"
    assert str(pair.last_change) == "2024-03-01"
    assert [r.pair for r in site.model.relations] == [("armenia", "georgia"), ("armenia", "russia")]


def test_relations_pages(make_site: MakeSite) -> None:
    root = make_site({
        **COUNTRIES,
        "content/actors/ani.md": "---\nname: Ani Example\ncountry: Armenia\n---\n",
        "content/actors/gia.md": "---\nname: Gia Example\ncountry: Georgia\n---\n",
        **dict([
            stated("one", "2023-01-10", relation("Armenia", "Russia", "allied")),
            stated("two", "2024-03-01", relation("Armenia", "Russia", "strained", "A note <b>.")),
        ]),
        "content/briefings/three.md": briefing("three", "2024-04-01", countries="[Armenia, Russia]",
                                               actors="[Ani Example, Gia Example]"),
    })
    build_site(root)
    out = root / "build"
    index = (out / "relations/index.html").read_text()
    assert '<a href="/relations/armenia--russia/">Armenia \u2013 Russia</a>' in index
    assert '<span class="status status-strained">strained</span>' in index
    assert "▼ deteriorated" in index
    pair = (out / "relations/armenia--russia/index.html").read_text()
    assert pair.index("allied") < pair.index("A note &lt;b&gt;.")
    assert "Ani Example" in pair and "Gia Example" not in pair
    assert "Briefings (3)" in pair
    country = (out / "countries/armenia/index.html").read_text()
    assert 'href="/relations/armenia--russia/"' in country
    assert not (out / "relations/russia--armenia").exists()


def test_example_site_relations(tmp_path: Path) -> None:
    from tests.conftest import REPO

    site = load_site(REPO)
    current = {r.pair: r.current for r in site.model.relations}
    assert current[("armenia", "russia")] == "strained"
    assert current[("russia", "ukraine")] == "conflict"
    assert current[("armenia", "azerbaijan")] is not None


def test_built_pages_carry_their_charts_as_valid_titled_svg(tmp_path: Path) -> None:
    import re
    import xml.etree.ElementTree as ET

    from tests.conftest import REPO

    build_site(REPO, tmp_path / "out", search=False)
    pages = {
        "relations/index.html": 2,  # matrix and map
        "relations/armenia--russia/index.html": 1,  # status timeline
    }
    for page, expected in pages.items():
        html = (tmp_path / "out" / page).read_text()
        svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
        assert len(svgs) == expected, page
        for svg in svgs:
            root = ET.fromstring(svg)
            title = root.find("{http://www.w3.org/2000/svg}title")
            assert title is not None and title.text, page
            assert root.attrib["aria-labelledby"].split()[0] == title.attrib["id"]
