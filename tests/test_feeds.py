"""Atom feeds: every feed parses cleanly, holds the right entries, and is the same on every build."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from briefgen.build import build_site
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing

BASE = "https://example.org/"


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def feeds_of(out: Path) -> dict[str, Path]:
    return {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("feed.xml"))}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    build_site(REPO, out, search=False)
    return out


def test_every_feed_of_the_example_site_parses_with_its_entries(example: Path) -> None:
    feeds = feeds_of(example)
    expected = {"feed.xml"}
    expected |= {f"actors/{p.stem}/feed.xml" for p in (REPO / "content/actors").glob("*.md")}
    expected |= {f"countries/{p.stem}/feed.xml" for p in (REPO / "content/countries").glob("*.md")}
    expected |= {f"relations/{p.name}/feed.xml" for p in (example / "relations").iterdir() if p.is_dir()}
    assert set(feeds) == expected
    assert "relations/armenia--russia/feed.xml" in feeds
    for name, path in feeds.items():
        parsed = parse(path)
        assert parsed.version == "atom10"
        assert parsed.feed.link == "https://briefgen-example.netlify.app/" + name.removesuffix("feed.xml")
        assert [entry.link for entry in parsed.entries] == [
            "https://briefgen-example.netlify.app/briefings/pashinyan-in-moscow/"
        ], name
        entry = parsed.entries[0]
        assert entry.id == "tag:briefgen-example.netlify.app,2024-05-08:pashinyan-in-moscow"
        assert entry.title.startswith("Armenia-Russia Ties Strained")
        assert entry.published == entry.updated == "2024-05-08T00:00:00Z"
        if name == "feed.xml":  # the site feed carries the full text
            assert "Dmitry Peskov" in entry.content[0].value
        else:  # topic feeds carry the summary and a link
            assert "content" not in entry and entry.summary.startswith("Pashinyan and Putin met")
        assert {t.term for t in entry.tags} == {"diplomacy", "security"}
        assert parsed.feed.updated == "2024-05-08T00:00:00Z"


def test_the_pair_feed_is_named_after_both_countries(example: Path) -> None:
    parsed = parse(example / "relations/armenia--russia/feed.xml")
    assert parsed.feed.title == "South Caucasus Brief: Armenia-Russia"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["https://briefgen-example.netlify.app/relations/armenia--russia/feed.xml"]


def test_each_feed_is_linked_from_its_page(example: Path) -> None:
    link = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')
    for name in feeds_of(example):
        page = example / name.replace("feed.xml", "index.html")
        found = [href for _, href in link.findall(page.read_text())]
        assert "/" + name in found, page
        assert "/feed.xml" in found  # the site feed, on every page
        for href in found:
            assert (example / href.lstrip("/")).is_file()


SITE = {
    **ACTORS_AND_COUNTRIES,
    "content/briefings/2024-01-10-first.md": briefing(
        "First & <earliest>", "2024-01-10", "Putin said *this*.\n", actors="[Putin]",
        countries="[Russia, Armenia]",
        relations="[{between: [Armenia, Russia], status: cooperative}]"),
    "content/briefings/2024-03-05-second.md": briefing(
        "Second", "2024-03-05T14:30:00+03:00", "Body.\n", actors="[Putin, Pashinyan]",
        updated="2024-03-07", countries="[Armenia]"),
    "content/briefings/2024-04-01-draft.md": briefing(
        "Draft", "2024-04-01", "Not yet.\n", actors="[Putin]", draft="true"),
}


def test_entries_newest_first_with_content_dates_and_drafts_left_out(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root, search=False)
    out = root / "build"
    site = parse(out / "feed.xml")
    assert [e.title for e in site.entries] == ["Second", "First & <earliest>"]
    second, first = site.entries
    assert second.published == "2024-03-05T14:30:00+03:00"
    assert second.updated == "2024-03-07T00:00:00Z"
    assert first.id == "tag:example.org,2024-01-10:first"
    assert site.feed.updated == "2024-03-07T00:00:00Z"  # the newest entry's, not the clock's
    assert "<em>this</em>" in first.content[0].value
    putin = parse(out / "actors/vladimir-putin/feed.xml")
    assert [e.id for e in putin.entries] == [second.id, first.id]
    pashinyan = parse(out / "actors/nikol-pashinyan/feed.xml")
    assert [e.title for e in pashinyan.entries] == ["Second"]
    assert pashinyan.feed.updated == "2024-03-07T00:00:00Z"
    pair = parse(out / "relations/armenia--russia/feed.xml")
    assert [e.title for e in pair.entries] == ["First & <earliest>"]
    assert pair.feed.updated == "2024-01-10T00:00:00Z"


def test_an_entity_without_briefings_still_has_a_valid_feed(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES,
                      "content/briefings/2024-01-10-first.md": briefing(actors="[Putin]")})
    build_site(root, search=False)
    parsed = parse(root / "build/countries/armenia/feed.xml")
    assert parsed.entries == []
    assert parsed.feed.updated == "2024-05-08T00:00:00Z"


def test_feeds_are_byte_identical_and_ids_stable_across_builds(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    build_site(root, tmp_path / "one", search=False)
    build_site(root, tmp_path / "two", search=False)
    one, two = feeds_of(tmp_path / "one"), feeds_of(tmp_path / "two")
    assert one.keys() == two.keys()
    for name in one:
        assert one[name].read_bytes() == two[name].read_bytes(), name
    # an edit of the body and a later `updated` keep the entry's id
    (root / "content/briefings/2024-01-10-first.md").write_text(briefing(
        "First, revised", "2024-01-10", "Putin said *that*.\n", actors="[Putin]",
        updated="2024-02-01"))
    build_site(root, tmp_path / "three", search=False)
    before = {e.id: e for e in parse(tmp_path / "one/feed.xml").entries}
    after = {e.id: e for e in parse(tmp_path / "three/feed.xml").entries}
    assert before.keys() == after.keys()
    revised = after["tag:example.org,2024-01-10:first"]
    assert revised.title == "First, revised" and revised.updated == "2024-02-01T00:00:00Z"


def test_feed_size_is_capped_newest_first(make_site: MakeSite) -> None:
    files: dict[str, str | bytes] = {
        f"content/briefings/2024-01-{day:02d}-b{day}.md": briefing(f"B{day}", f"2024-01-{day:02d}")
        for day in range(1, 29)
    }
    files |= {
        f"content/briefings/2024-02-{day:02d}-c{day}.md": briefing(f"C{day}", f"2024-02-{day:02d}")
        for day in range(1, 29)
    }
    root = make_site(files)
    build_site(root, search=False)
    entries = parse(root / "build/feed.xml").entries
    assert len(entries) == 50
    assert entries[0].title == "C28" and entries[-1].title == "B7"



def test_topic_feeds_are_capped_at_twenty_summaries(make_site: MakeSite) -> None:
    files: dict[str, str | bytes] = {
        f"content/briefings/2024-01-{day:02d}-b{day}.md": briefing(f"B{day}", f"2024-01-{day:02d}",
                                                                   actors="[Putin]")
        for day in range(1, 26)
    }
    root = make_site({**ACTORS_AND_COUNTRIES, **files})
    build_site(root, search=False)
    topic = parse(root / "build/actors/vladimir-putin/feed.xml")
    assert [e.title for e in topic.entries] == [f"B{day}" for day in range(25, 5, -1)]
    assert all("content" not in e for e in topic.entries)


def test_a_feed_without_entries_is_as_new_as_the_latest_update_anywhere(make_site: MakeSite) -> None:
    root = make_site({
        **SITE,
        "content/briefings/2024-03-06-third.md": briefing(
            "Third", "2024-03-06", "Body.\n", actors="[Putin]", countries="[Russia]"),
        "content/countries/iceland.md": "---\nname: Iceland\ncode: IS\n---\n",
    })
    build_site(root, search=False)
    empty = parse(root / "build/countries/iceland/feed.xml")
    assert empty.entries == []
    # the latest update of any entry: Second's, though Third was published later
    assert empty.feed.updated == "2024-03-07T00:00:00Z"
