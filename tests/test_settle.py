"""A command-line build keeps what each page read (`briefgen.settle`): after an edit that
keeps the site's shape, the next one digests only the pages that read the edited
briefings, and its output is still that of a clean build."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefgen.build
import briefgen.output
import briefgen.publish
from briefgen.build import build_site
from briefgen.cache import CACHE_DIR, READS, load_reads, read_manifest
from briefgen.errors import ContentError
from briefgen.prose_edit import ProseState
from briefgen.settle import PageReads
from briefgen.sitemodel import PageSpec
from briefgen.urls import output_path
from tests.test_incremental import Site, snapshot
from tests.test_kept import EDITS, Counted, digested_pages, small_site


def age_new(root: Path) -> None:
    """Date the files written in the last minutes ten minutes back, as if saved well
    before the build that follows (a file saved within two seconds of the last build
    is read again whatever its stamp says, and so are the pages that read it)."""
    now = time.time()
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime > now - 300:
            os.utime(path, (now - 600, now - 600))


def kept_reads(root: Path) -> PageReads:
    manifest = read_manifest(root)
    assert manifest is not None
    reads = load_reads(root, manifest)
    assert isinstance(reads, PageReads)
    return reads


def build(root: Path, out: Path, workers: int | None = None) -> int:
    """A command-line build of the site at `root` into `out`, with its cache; the pages
    it rendered."""
    age_new(root)
    return build_site(root, out, use_cache=True, search=False, workers=workers).rendered


def clean(site: Site, out: Path) -> dict[str, bytes]:
    build_site(site.root, out, search=False)
    return snapshot(out)


def urls_of(pages: list[PageSpec]) -> set[str]:
    return {output_path(page.url) for page in pages}


def newest(site: Site) -> str:
    return max(site.briefings, key=lambda n: str(site.briefings[n]["date"]))


def retitle_newest(site: Site, title: str) -> set[str]:
    """Retitle the newest briefing; the outputs that read it, as the last build kept them."""
    before = kept_reads(site.root)
    name = newest(site)
    position = before.sources.index(f"content/briefings/{name}.md")
    site.briefings[name]["title"] = title
    site.write_briefing(name)
    return {path for path, read in before.reads.items() if position in read}


def test_a_template_edit_digests_only_the_pages_that_may_load_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    actor_pages = {path for path in snapshot(tmp_path / "out")
                   if path.startswith("actors/actor-") and path.endswith(".html")}
    site.apply((7, 1, 1, 2))  # the actor pages' template, overridden
    digested = digested_pages(monkeypatch)
    assert build(site.root, tmp_path / "out") == len(actor_pages)
    assert urls_of(digested) == actor_pages  # the others, not even digested
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")
    # The template edited again with a retitle: those pages, and the retitle's readers.
    readers = retitle_newest(site, "Retitled with the template")
    site.apply((7, 1, 2, 2))
    digested.clear()
    build(site.root, tmp_path / "out")
    assert urls_of(digested) == actor_pages | {path for path in readers if path.endswith(".html")}
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


def test_a_retitle_digests_only_the_pages_that_read_the_briefing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 16)
    build(site.root, tmp_path / "out")
    before = kept_reads(site.root)
    name = newest(site)
    readers = retitle_newest(site, "An entirely new title")
    digested = digested_pages(monkeypatch)
    rendered = build(site.root, tmp_path / "out")
    assert "feed.xml" in readers  # the site's feed, and the topic feeds that hold it
    assert urls_of(digested) == {path for path in readers if not path.endswith("feed.xml")}  # no other page
    assert any(path.startswith("briefings/") and name[11:] in path for path in readers)  # its own
    assert "briefings/index.html" in readers and len(readers) < len(before.reads) / 2  # the newest listed
    assert 2 <= rendered <= len(readers)
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")
    assert "An entirely new title" in (tmp_path / "out" / "index.html").read_text()
    assert kept_reads(site.root).reads == before.reads  # carried for the pages left as they were


@pytest.mark.parametrize("updated", [False, True])
def test_the_sitemap_is_made_again_only_when_a_date_it_shows_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, updated: bool) -> None:
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    made = Counted(monkeypatch, briefgen.publish, "sitemap_xml")
    name = sorted(site.briefings)[3]
    for title in ("Retitled", "Retitled again"):  # nor is it the next time (a file carried is not a page)
        site.briefings[name]["title"] = title
        site.briefings[name]["shown"] = f"updated: 2025-03-0{len(title) % 9}\n" if updated else ""
        site.write_briefing(name)
        build(site.root, tmp_path / "out")
    assert made.calls == 2 * updated
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")
    assert ("<lastmod>2025-03-05</lastmod>" in (tmp_path / "out" / "sitemap.xml").read_text()) == updated


def test_pages_digested_on_forked_workers_say_what_they_read_as_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.output, "MIN_PARALLEL_JOBS", 1)  # a small site's pages made on two cores
    pids = tmp_path / "pids"
    digest_page = briefgen.output.Told._page

    def told(self: briefgen.output.Told, page: PageSpec) -> bytes:
        with pids.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return digest_page(self, page)

    monkeypatch.setattr(briefgen.output.Told, "_page", told)
    one, two = small_site(tmp_path / "one", 12), small_site(tmp_path / "two", 12)
    build(one.root, tmp_path / "out-one", workers=1)
    assert set(pids.read_text().split()) == {str(os.getpid())}
    pids.unlink()
    build(two.root, tmp_path / "out-two", workers=2)
    assert str(os.getpid()) not in pids.read_text().split()  # every page digested in a worker
    assert kept_reads(two.root).reads == kept_reads(one.root).reads != {}


def test_a_new_tag_digests_the_tag_pages_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    name = sorted(site.briefings)[3]
    position = kept_reads(site.root).sources.index(f"content/briefings/{name}.md")
    readers = {path for path, read in kept_reads(site.root).reads.items() if position in read}
    site.briefings[name]["tag"] = "brandnew"
    site.write_briefing(name)
    digested = digested_pages(monkeypatch)
    build(site.root, tmp_path / "out")
    tag_pages = {path for path in kept_reads(site.root).reads if path.startswith("tags/")}
    assert "tags/brandnew/index.html" in urls_of(digested)
    assert urls_of(digested) == {path for path in readers if not path.endswith("feed.xml")} | tag_pages
    assert "brandnew" in (tmp_path / "out" / "tags" / "index.html").read_text()  # a page that tells nothing
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


@pytest.mark.parametrize("edit", ["actors", "date", "new", "static"])
def test_an_edit_that_changes_the_shape_digests_every_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    telling = {path for path in kept_reads(site.root).reads if not path.endswith("feed.xml")}
    name = sorted(site.briefings)[3]
    if edit == "actors":  # what the model indexes of it
        site.briefings[name]["actors"] = sorted(site.actors)[-1:]
        site.write_briefing(name)
    elif edit == "date":  # where it stands
        site.briefings[name]["date"] = "2020-01-02"
        site.write_briefing(name)
    elif edit == "new":
        site.apply((0, 1, 2, 3))
    else:  # a file other than a briefing or a template (for those: the test above)
        site.put("static/extra.css", "p { margin: 0 }\n")
    digested = digested_pages(monkeypatch)
    build(site.root, tmp_path / "out")
    assert urls_of(digested) >= {path for path in telling if (tmp_path / "out" / path).exists()}
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


def test_a_failed_build_forgets_what_the_pages_read(tmp_path: Path) -> None:
    """The failed build saves the records it read (among them an edit that changes what
    the model indexes); what the pages read before that edit must not settle them."""
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    first, second = sorted(site.briefings)[2:4]
    site.briefings[first]["actors"] = sorted(site.actors)[-1:]  # its actor's page must list it
    site.write_briefing(first)
    site.briefings[second]["shown"] = "updated: someday\n"  # an error, in a record still made
    site.write_briefing(second)
    with pytest.raises(ContentError):
        build(site.root, tmp_path / "out")
    assert read_manifest(site.root).reads == b""  # type: ignore[union-attr]
    site.briefings[second]["shown"] = ""  # it changes only what it shows of itself: it would settle
    site.write_briefing(second)
    build(site.root, tmp_path / "out")
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


def test_a_prose_patch_keeps_what_the_pages_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path / "site", 8)
    name = newest(site)
    site.briefings[name]["body"] = "A body of its own, naming Person 1."  # found once in the site's feed
    site.write_briefing(name)
    build(site.root, tmp_path / "out")
    reads = kept_reads(site.root)
    site.briefings[name]["body"] = f"{site.briefings[name]['body']}\n\nA second paragraph."
    site.write_briefing(name)
    age_new(site.root)
    assert build_site(site.root, tmp_path / "out", use_cache=True, search=False).prose_edit
    assert kept_reads(site.root) == reads
    site.briefings[name]["title"] = "Retitled after a prose edit"
    site.write_briefing(name)
    digested = digested_pages(monkeypatch)
    build(site.root, tmp_path / "out")
    position = reads.sources.index(f"content/briefings/{name}.md")
    assert urls_of(digested) == {path for path, read in reads.reads.items()
                                 if position in read and not path.endswith("feed.xml")}
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


@pytest.mark.parametrize("saved", ["briefing", "actor"])
def test_a_file_saved_while_the_build_runs_is_built_as_it_was_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str) -> None:
    """Saved after the build scanned its inputs, before it loaded them: the build's
    pages show what it loaded, and so do the next builds'."""
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    first, second = sorted(site.briefings)[2:4]
    load_cache = briefgen.build.load_cache

    def saving_meanwhile(*args: object, **kwargs: object) -> object:
        if saved == "briefing":
            site.briefings[first]["title"] = "Saved while building"
            site.write_briefing(first)
        else:
            site.names[sorted(site.actors)[0]] = "Renamed While Building"
            site.write_actor(sorted(site.actors)[0])
        age_new(site.root)
        return load_cache(*args, **kwargs)

    site.briefings[second]["title"] = "Retitled before the build"
    site.write_briefing(second)
    age_new(site.root)
    with monkeypatch.context() as patched:
        patched.setattr(briefgen.build, "load_cache", saving_meanwhile)
        build_site(site.root, tmp_path / "out", use_cache=True, search=False)
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")
    build(site.root, tmp_path / "out")
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["garbage", "token"])
def test_damaged_or_stale_reads_are_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 damage: str) -> None:
    site = small_site(tmp_path / "site", 8)
    build(site.root, tmp_path / "out")
    telling = {path for path in kept_reads(site.root).reads if not path.endswith("feed.xml")}
    kept = tmp_path / "site" / CACHE_DIR / READS
    if damage == "garbage":
        kept.write_bytes(b"not a pickle")
    else:  # another build's, with pages that read nothing
        other = small_site(tmp_path / "other", 8)
        build(other.root, tmp_path / "other-out")
        (tmp_path / "other" / CACHE_DIR / READS).replace(kept)
    name = newest(site)
    site.briefings[name]["title"] = "Retitled"
    site.write_briefing(name)
    digested = digested_pages(monkeypatch)
    build(site.root, tmp_path / "out")
    assert urls_of(digested) >= telling
    assert snapshot(tmp_path / "out") == clean(site, tmp_path / "clean")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=8))
def test_builds_that_settle_pages_equal_clean_builds(edits: list[tuple[int, int, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        site = small_site(base / "site", 4)
        build(site.root, base / "out")
        for edit in edits:
            site.apply(edit)
            build(site.root, base / "out")
        assert snapshot(base / "out") == clean(site, base / "clean")
        learnt = kept_reads(site.root)
        fresh = base / "fresh"  # the last state, built once
        shutil.copytree(site.root, fresh, ignore=shutil.ignore_patterns(CACHE_DIR))
        build(fresh, base / "fresh-out")
        assert learnt.reads == kept_reads(fresh).reads
        assert learnt.sources == kept_reads(fresh).sources
        prose, fresh_prose = (read_manifest(root).prose for root in (site.root, fresh))  # type: ignore[union-attr]
        assert prose is not None and fresh_prose is not None

        def as_made(state: ProseState) -> ProseState:  # a copy's files have the same mtimes, new ctimes
            mtimes = {path: (size, mtime, 0) for path, (size, mtime, _) in state.briefings.items()}
            return replace(state, frame=b"", briefings=mtimes)

        assert as_made(prose) == as_made(fresh_prose)  # as a full build makes it
