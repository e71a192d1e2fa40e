"""The JSON data exports, checked against the site they describe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.build import build_site
from briefgen.publish import json_bytes
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing

EXAMPLE = "https://briefgen-example.netlify.app/"


def load(out: Path, name: str) -> Any:
    data = json.loads((out / "data" / name).read_text(encoding="utf-8"))
    assert data["version"] == 1
    return data


def built(out: Path, url: str, base: str = EXAMPLE) -> bool:
    """True when `url` (absolute) is a page or file of the built site."""
    assert url.startswith(base)
    path = out / url.removeprefix(base)
    return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    build_site(REPO, out, search=False)
    return out


def test_entities_json_matches_the_content_and_the_built_pages(example: Path) -> None:
    data = load(example, "entities.json")
    actors = {a["id"]: a for a in data["actors"]}
    countries = {c["id"]: c for c in data["countries"]}
    assert set(actors) == {p.stem for p in (REPO / "content/actors").glob("*.md")}
    assert set(countries) == {p.stem for p in (REPO / "content/countries").glob("*.md")}
    putin = actors["vladimir-putin"]
    assert putin["name"] == "Vladimir Putin" and putin["kind"] == "person"
    assert putin["country"] == "russia"
    assert putin["briefings"] == [EXAMPLE + "briefings/pashinyan-in-moscow/"]
    assert actors["csto"]["kind"] == "organization"
    assert countries["armenia"]["code"] == "AM"
    assert "nikol-pashinyan" in countries["armenia"]["actors"]
    for entity in [*actors.values(), *countries.values()]:
        assert built(example, entity["url"]) and built(example, entity["feed"])
        for url in entity["briefings"]:
            assert built(example, url)


def test_briefings_json_matches_the_briefings(example: Path) -> None:
    items = load(example, "briefings.json")["briefings"]
    assert len(items) == len(list((REPO / "content/briefings").glob("*.md")))
    item = items[0]
    assert item["url"] == EXAMPLE + "briefings/pashinyan-in-moscow/" and built(example, item["url"])
    assert item["date"] == "2024-05-08" and item["updated"] is None
    assert "dmitry-peskov" in item["actors"] and "armenia" in item["countries"]
    relation = item["relations"][0]
    assert relation["between"] == ["armenia", "russia"] and relation["status"] == "strained"
    assert item["tags"] == ["diplomacy", "security"]
    assert "body" not in item


def test_relations_json_holds_every_pair_page_with_its_history(example: Path) -> None:
    data = load(example, "relations.json")
    assert data["vocabulary"][0] == "allied"
    pairs = {tuple(p["between"]): p for p in data["pairs"]}
    pages = {tuple(p.name.split("--")) for p in (example / "relations").iterdir() if p.is_dir()}
    assert set(pairs) == pages
    strained = pairs[("armenia", "russia")]
    assert strained["status"] == "strained" and strained["since"] == "2024-05-08"
    assert strained["names"] == ["Armenia", "Russia"]
    assert [h["status"] for h in strained["history"]] == ["strained"]
    assert built(example, strained["history"][0]["briefing"])
    assert built(example, strained["url"]) and built(example, strained["feed"])
    # a pair both countries are declared for, with no stated relation, has no status
    unstated = pairs[("armenia", "ukraine")]
    assert unstated["status"] is None and unstated["history"] == []


def test_status_history_is_oldest_first_and_since_is_when_the_status_began(make_site: MakeSite) -> None:
    def stated(status: str) -> str:
        return f"[{{between: [Armenia, Russia], status: {status}}}]"

    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/2024-01-01-a.md": briefing("A", "2024-01-01", relations=stated("cooperative")),
        "content/briefings/2024-02-01-b.md": briefing("B", "2024-02-01", relations=stated("strained")),
        "content/briefings/2024-03-01-c.md": briefing("C", "2024-03-01", relations=stated("strained")),
    })
    build_site(root, search=False)
    pair = load(root / "build", "relations.json")["pairs"][0]
    assert [(h["date"], h["status"]) for h in pair["history"]] == [
        ("2024-01-01", "cooperative"), ("2024-02-01", "strained"), ("2024-03-01", "strained"),
    ]
    assert pair["status"] == "strained" and pair["since"] == "2024-02-01"
    assert pair["trend"] == "unchanged"
    assert pair["briefings"] == [f"https://example.org/briefings/{s}/" for s in ("c", "b", "a")]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (st.lists(children, max_size=3)
                      | st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=5), _JSON | st.lists(_JSON, max_size=4), max_size=4), st.booleans())
def test_streamed_json_is_exactly_what_json_dumps_writes(document: dict[str, Any], lazily: bool) -> None:
    expected = (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    if lazily:  # top-level lists as generators, as the exports give them
        document = {k: (iter(v) if isinstance(v, list) else v) for k, v in document.items()}
    assert json_bytes(document) == expected
