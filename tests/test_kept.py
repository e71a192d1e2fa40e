"""A long-lived build (the preview server's) builds an edit that keeps the site's shape
from the site it keeps: output identical to a clean build, with only the touched
pages digested and made."""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefgen.build as build
import briefgen.output
import briefgen.publish
from briefgen.build import build_site, check_site
from briefgen.cache import BuildCache
from briefgen.errors import BuildError, ContentError
from briefgen.output import Told
from briefgen.sitemodel import PageSpec
from tests.test_incremental import Site, age_sources, snapshot

# Edits that keep the shape (retitle, what a briefing shows of itself, prose, tags), that
# change what the model indexes (relations, declared actors, old URLs), or where briefings
# stand (add, delete, rename, redate, draft); templates; and an actor's file, which takes the
# full build.
KINDS = st.sampled_from([10, 14, 14, 9, 10, 14, 15, 15, 0, 0, 3, 5, 13, 2, 2, 11, 16, 16, 17, 17, 7, 7, 20])
EDITS = st.tuples(KINDS, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))


# An entity page's template that shows all its page's data but its profile and head.
EVERYTHING = ("{% for key, value in page | dictsort if key not in ('actor', 'country', 'head') %}"
              "{{ key }}: {{ value | tojson }}\n{% endfor %}")


def small_site(root: Path, count: int = 6) -> Site:
    """A site of `count` briefings, written an hour ago (as a writer's files are when the
    preview starts: a file saved within two seconds of a build is read again anyway)."""
    site = Site(root)
    for n in range(count):
        site.apply((0, n, n + 1, n))
    an_hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    return site


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=8))
def test_kept_site_builds_equal_clean_builds(edits: list[tuple[int, int, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        site = small_site(base / "site", 4)
        for kind in ("actor", "country"):  # all they show, on every page (the theme: less)
            site.put(f"templates/{kind}.html", EVERYTHING)
        live = BuildCache()
        build_site(site.root, base / "live", cache=live, search=False)
        reports = []
        for edit in edits:
            site.apply(edit)
            reports.append(build_site(site.root, base / "live", cache=live, search=False).report)
        build_site(site.root, base / "clean", search=False)
        assert snapshot(base / "live") == snapshot(base / "clean")
        fresh = BuildCache()  # what each page reads, as a build of the last state finds it
        assert reports[-1] == build_site(site.root, base / "again", cache=fresh, search=False).report
        assert live.kept.reads == fresh.kept.reads


class Counted:
    """Counts the calls of a function replaced on its module or class."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.calls = 0
        original: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


def digested_pages(monkeypatch: pytest.MonkeyPatch) -> list[PageSpec]:
    """The pages whose cheap digest is made from now on, filled in as they are."""
    digested: list[PageSpec] = []
    digest_page = Told._page

    def told(self: Told, page: PageSpec) -> bytes:
        digested.append(page)
        return digest_page(self, page)

    monkeypatch.setattr(Told, "_page", told)
    return digested


@pytest.mark.parametrize("first_workers", [1, 2])
def test_a_retitle_digests_and_makes_only_the_pages_that_show_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_workers: int) -> None:
    """Also after a first build on forked workers: they say what each page read."""
    site = small_site(tmp_path / "site", 16)
    live = BuildCache()
    if first_workers > 1:
        monkeypatch.setattr(briefgen.output, "MIN_PARALLEL_JOBS", 1)  # a small site's pages on two cores
    first = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=first_workers)
    loads = Counted(monkeypatch, build, "load_site")
    digested = digested_pages(monkeypatch)
    name = max(site.briefings, key=lambda n: str(site.briefings[n]["date"]))  # on the home page
    site.briefings[name]["title"] = "An entirely new title"
    site.write_briefing(name)
    result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert loads.calls == 0 and result.reshaped  # the kept site, reshaped
    model = live.kept.site.model
    [position] = [i for i, item in enumerate(model.briefings) if item.briefing.source.endswith(f"/{name}.md")]
    related_to = [other for other in model.related if position in other]
    briefing_pages = [page for page in digested if page.template == "briefing.html"]
    assert len(briefing_pages) == 1 + len(related_to) < len(site.briefings)  # its own, those it is related to
    assert "/briefings/" in {page.url for page in digested}  # it lists the newest
    assert len(digested) < first.pages / 2
    assert 2 <= result.rendered < first.pages / 2
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    assert "An entirely new title" in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.parametrize("updated", [False, True])
def test_the_kept_site_makes_the_sitemap_again_only_when_a_date_it_shows_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, updated: bool) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    made = Counted(monkeypatch, briefgen.publish, "sitemap_xml")
    name = sorted(site.briefings)[2]
    site.briefings[name]["title"] = "Retitled"
    site.briefings[name]["shown"] = "updated: 2025-03-04\n" if updated else ""
    site.write_briefing(name)
    assert build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
    assert made.calls == updated
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_feed_whose_last_entry_went_keeps_no_reads_and_follows_the_next_date(tmp_path: Path) -> None:
    """An actor's feed loses its last entry (re-indexed): with no entry, it reads every
    briefing's date. What it read before must not settle it when another date changes.
    (Found by the property test with more examples.)"""
    site = small_site(tmp_path / "site", 4)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    for edit in [(13, 2, 0, 0), (14, 0, 0, 1)]:  # declared actors; then another's `updated`
        site.apply(edit)
        assert build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    fresh = BuildCache()
    build_site(site.root, tmp_path / "again", cache=fresh, search=False)
    assert live.kept is not None and fresh.kept is not None and live.kept.reads == fresh.kept.reads


def test_a_redated_briefing_moves_in_the_kept_site_and_its_warning_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    loads = Counted(monkeypatch, build, "load_site")
    name = sorted(site.briefings)[2]
    site.briefings[name]["date"] = "2021-02-03"  # it moves in every list; its file name says otherwise
    site.write_briefing(name)
    result = build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert result.reshaped and loads.calls == 0
    assert any("file name says" in d.message for d in result.report.diagnostics)
    site.briefings[name]["date"] = name[:10]  # and back: the warning goes
    site.write_briefing(name)
    result = build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert result.reshaped and not any("file name says" in d.message for d in result.report.diagnostics)
    assert result.report == build_site(site.root, tmp_path / "clean", search=False).report
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_an_edit_of_an_entity_loads_the_site_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    loads = Counted(monkeypatch, build, "load_site")
    site.names["actor-1"] = "Another Name"
    site.write_actor("actor-1")
    assert not build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
    assert loads.calls == 1
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_template_edit_builds_from_the_kept_site_and_makes_only_the_pages_that_may_load_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    actor_pages = [path for path in snapshot(tmp_path / "out") if path.startswith("actors/actor-")
                   and path.endswith(".html")]
    loads = Counted(monkeypatch, build, "load_site")
    digested = digested_pages(monkeypatch)
    site.apply((7, 1, 1, 2))  # the actor pages' template, overridden
    result = build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert result.reshaped and loads.calls == 0
    assert result.rendered == len(actor_pages) > 0
    assert {page.template for page in digested} == {"actor.html"}  # the others are left undigested
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    # A template and a briefing edited together; then the footer, which every page includes.
    name = sorted(site.briefings)[1]
    site.briefings[name]["title"] = "Retitled with a template"
    site.write_briefing(name)
    site.apply((7, 1, 3, 2))
    loads.calls = 0
    assert build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
    site.apply((7, 1, 1, 0))
    an_hour_ago = time.time() - 3600  # else the next build cannot trust their stamps to patch prose
    for source in [*(site.root / "templates").rglob("*.html"), *(site.root / "content/briefings").glob("*")]:
        os.utime(source, (an_hour_ago, an_hour_ago))
    result = build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert result.reshaped and result.rendered == result.pages and loads.calls == 0
    # What a prose edit needs is made anew for the new templates: a second paragraph added
    # (its first stands in the summary too) is built from the kept site, a third patched.
    site.apply((9, 2, 3, 4))
    assert build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
    site.apply((9, 2, 5, 6))
    assert build_site(site.root, tmp_path / "out", cache=live, search=False).prose_edit
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_broken_template_keeps_no_site_and_its_fix_builds_what_it_must(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    kept = snapshot(tmp_path / "out")
    site.put("templates/actor.html", '{% extends "base.html" %}{% block main %}{% if %}{% endblock %}')
    with pytest.raises(BuildError, match=r"actor\.html"):
        build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert live.kept is None and snapshot(tmp_path / "out") == kept
    site.apply((7, 1, 1, 2))
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_new_tag_lays_out_the_tag_pages_again_from_the_kept_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 8)
    live = BuildCache()
    first = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    loads = Counted(monkeypatch, build, "load_site")
    pages = digested_pages(monkeypatch)
    name = sorted(site.briefings)[2]
    old_tag = str(site.briefings[name]["tag"])
    site.briefings[name]["tag"] = "a-new-tag"
    site.write_briefing(name)
    result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    digested = [page.url for page in pages]
    assert loads.calls == 0 and result.reshaped
    assert "/tags/a-new-tag/" in digested and f"/tags/{old_tag}/" in digested
    assert not any(url.startswith("/relations/") for url in digested)  # they show no card
    assert len(digested) < first.pages / 2
    assert "a-new-tag" in (tmp_path / "out" / "tags" / "index.html").read_text()
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    # The last briefing of a tag leaves it: its pages go, from the kept site too.
    for other in site.briefings.values():
        other["tag"] = "a-new-tag"
    for other in sorted(site.briefings):
        site.write_briefing(other)
        result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert not (tmp_path / "out" / "tags" / old_tag).exists()
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_tag_whose_url_an_alias_has_fails_as_a_clean_build_does(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    first, second = sorted(site.briefings)[:2]
    site.briefings[first]["shown"] = "aliases: [/tags/clash/]\n"
    site.write_briefing(first)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    site.briefings[second]["tag"] = "clash"
    site.write_briefing(second)
    with pytest.raises(ContentError) as failed:
        build_site(site.root, tmp_path / "out", cache=live, search=False)
    with pytest.raises(ContentError) as clean:
        build_site(site.root, tmp_path / "clean", search=False)
    assert failed.value.report == clean.value.report
    assert "/tags/clash/" in str(clean.value.report.diagnostics)


def test_a_suggestion_moves_with_the_lines_above_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources added above the body move its undeclared mentions down: the suggestion
    to declare one says the new line, as a full check would."""
    site = small_site(tmp_path / "site")
    name = sorted(site.briefings)[1]
    site.briefings[name]["body"] = "Intro.\n\nThen Surname2 spoke."
    site.write_briefing(name)
    live = BuildCache()
    before = build_site(site.root, tmp_path / "out", cache=live, search=False).report
    loads = Counted(monkeypatch, build, "load_site")
    site.briefings[name]["shown"] = "sources:\n  - {title: One, url: 'https://example.org/1'}\n" \
                                    "  - {title: Two, url: 'https://example.org/2'}\n"
    site.write_briefing(name)
    after = build_site(site.root, tmp_path / "out", cache=live, search=False).report
    assert loads.calls == 0
    path = f"content/briefings/{name}.md"
    [was] = [d for d in before.diagnostics if d.path == path and "Person 2" in d.message]
    [now] = [d for d in after.diagnostics if d.path == path and "Person 2" in d.message]
    assert now.line == was.line + 3
    assert after == check_site(site.root)


def test_a_failed_build_keeps_no_site_and_the_next_good_one_repairs(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    name = sorted(site.briefings)[0]
    site.briefings[name]["title"] = "Retitled once"
    site.write_briefing(name)
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    kept = snapshot(tmp_path / "out")
    site.put(f"content/briefings/{name}.md", "---\ndate: 2024-01-01\n---\nNo title.\n")
    with pytest.raises(ContentError):
        build_site(site.root, tmp_path / "out", cache=live, search=False)
    assert live.kept is None
    assert snapshot(tmp_path / "out") == kept  # the last good site stays
    site.briefings[name]["title"] = "Retitled twice"
    site.write_briefing(name)
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_every_page_of_a_list_shows_the_retitled_briefing_it_names(tmp_path: Path) -> None:
    """An entity's pages all show the briefings that mention it undeclared (here: the
    theme shows them on the first page only), though the digest of what they show
    besides their list is made once per list."""
    site = small_site(tmp_path / "site", 8)
    site.put("templates/actor.html", "{% for b in page.also_mentioned.briefings %}{{ b.title }}\n{% endfor %}"
                                     "{% for b in page.briefings %}{{ b.title }}\n{% endfor %}")
    age_sources(site.root)  # a template saved just before a build is not trusted by its stamp
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    for number, name in enumerate(sorted(site.briefings)):
        site.briefings[name]["title"] = f"Retitled {number}"
        site.write_briefing(name)
        build_site(site.root, tmp_path / "out", cache=live, search=False)
        assert live.kept is not None and live.kept.site.layout.inputs.era == number + 1  # reshaped
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_file_put_back_as_it_was_with_another_edit_is_read_again(tmp_path: Path) -> None:
    """A prose edit patched in place, then undone in the same save as a retitle elsewhere:
    the cache must not keep the patched record for the file as it is now."""
    site = small_site(tmp_path / "site")
    first, second = sorted(site.briefings)[:2]
    original = f"{site.briefings[first]['body']}\n\nA second paragraph."
    site.briefings[first]["body"] = original
    site.write_briefing(first)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    site.briefings[first]["body"] = f"{original}\n\nA third paragraph."
    site.write_briefing(first)
    assert build_site(site.root, tmp_path / "out", cache=live, search=False).prose_edit
    site.briefings[first]["body"] = original
    site.write_briefing(first)
    back = time.time() - 1800  # saved long ago as far as the cache can tell: not read again for being new
    os.utime(site.root / f"content/briefings/{first}.md", (back, back))
    site.briefings[second]["title"] = "Retitled"
    site.write_briefing(second)
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    site.apply((0, 3, 4, 5))  # a new briefing: the next build loads everything, from the cache
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_declared_actors_index_the_kept_site_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other actors keep every briefing in its place: the model's indexes are made again
    from the kept content and the pages laid out anew, and a briefing whose related
    list now names the edited one shows it, though it read none of it before."""
    site = small_site(tmp_path / "site", 14)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    model = live.kept.site.model
    sources = [item.briefing.source for item in model.briefings]
    pairs = [(x, y) for x in range(len(sources)) for y in range(len(sources))
             if x != y and x not in model.related[y] and model.briefings[y].actors]
    assert pairs
    x, y = pairs[0]
    name = Path(sources[x]).stem
    site.briefings[name]["actors"] = list(model.briefings[y].actors)
    site.briefings[name]["countries"] = list(model.briefings[y].countries)
    site.write_briefing(name)
    loads = Counted(monkeypatch, build, "load_site")
    result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert loads.calls == 0 and result.reshaped
    assert x in live.kept.site.model.related[y]  # now related, not read by its page before
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_new_briefing_shifts_every_position_and_later_edits_still_reach_their_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A briefing newer than all others takes the first position: the kept site is
    re-indexed, and what each carried page read is moved with it, so that a later
    retitle still reaches every page that lists the retitled briefing."""
    site = small_site(tmp_path / "site", 10)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    loads = Counted(monkeypatch, build, "load_site")
    # The newest, sharing no entity: every other position moves, no related list changes.
    site.briefings["2024-09-19-lonely"] = {"title": "Lonely", "date": "2024-09-19", "actors": [],
                                           "countries": [], "tag": "talks", "relations": [],
                                           "body": "Nothing here is shared."}
    site.write_briefing("2024-09-19-lonely")
    assert build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1).reshaped
    fresh = BuildCache()  # what each page reads, as a build of this state finds it
    build_site(site.root, tmp_path / "fresh", cache=fresh, search=False, workers=1)
    assert live.kept.reads == fresh.kept.reads
    model = live.kept.site.model
    listed = max(range(1, len(model.briefings)), key=lambda p: sum(p in r for r in model.related))
    name = Path(model.briefings[listed].briefing.source).stem
    site.briefings[name]["title"] = "Retitled after the new one"
    site.write_briefing(name)
    assert build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1).reshaped
    site.apply((3, 4, 0, 0))  # and one deleted: every later position moves back
    site.briefings[name]["title"] = "Retitled once more"
    site.write_briefing(name)
    assert build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1).reshaped
    assert loads.calls == 1  # the fresh build's
    fresh = BuildCache()
    build_site(site.root, tmp_path / "fresh", cache=fresh, search=False, workers=1)
    assert live.kept.reads == fresh.kept.reads
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_a_long_lived_build_freezes_no_garbage_of_the_build_before(tmp_path: Path) -> None:
    """Each build freezes the site it keeps; the cyclic garbage of the build before it (a
    template environment, with what it memoized) is collected first, not frozen with it."""
    site = small_site(tmp_path / "site", 12)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False)
    frozen = []
    for n in range(8):
        site.apply((0, n, n + 3, n) if n % 2 == 0 else (3, 0, 0, 0))  # add one, delete one
        assert build_site(site.root, tmp_path / "out", cache=live, search=False).reshaped
        frozen.append(gc.get_freeze_count())
    # What grows is what the kept site remembers of each new briefing (a few dozen objects
    # a build); a frozen template environment was a thousand.
    assert frozen[-1] - frozen[1] < 1000, frozen


def test_a_long_lived_build_compiles_a_template_again_only_when_it_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 4)
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    name = sorted(site.briefings)[0]
    site.briefings[name]["title"] = "Retitled, the templates as they were"
    site.write_briefing(name)
    result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert result.rendered > 0 and compiled == []  # pages rendered, nothing compiled again
    site.put("templates/partials/footer.html", "<footer>A footer of the site's own</footer>\n")
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert compiled == ["partials/footer.html"]  # the override; the theme's templates kept theirs
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    assert "A footer of the site's own" in (tmp_path / "out" / "index.html").read_text()


def test_a_new_briefing_renders_only_its_own_card_however_many_lists_shift(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 12)  # lists of two briefings a page
    live = BuildCache()
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    cards: list[str] = []
    render = jinja2.Template.render

    def counting(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        if self.name == "partials/card.html":
            cards.append(kwargs["b"]["title"])
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counting)
    site.apply((0, 8, 3, 5))  # a new briefing, dated 2024-09-13: every list page after it shifts
    result = build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert result.reshaped and result.rendered > 4
    assert len(cards) == 1  # its own card; the others shown as the last build rendered them
    site.briefings[sorted(site.briefings)[0]]["title"] = "A card that changed"
    site.write_briefing(sorted(site.briefings)[0])
    build_site(site.root, tmp_path / "out", cache=live, search=False, workers=1)
    assert cards[1:] == ["A card that changed"]
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
