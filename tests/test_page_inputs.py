"""The cheap digest of a page's or feed's inputs (`PageSpec.inputs`, `Feeds.inputs`) is
sound: whenever it is the same in two states of a site, so is the digest of the
output's whole data, so a build may keep the output without digesting it."""

from __future__ import annotations

import gc
import tempfile
import weakref
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import load_site
from briefgen.cache import BuildCache
from briefgen.entities import EntityRef
from briefgen.output import plan_outputs
from briefgen.urls import output_path
from tests.test_incremental import OPERATIONS, Site

Digests = dict[str, tuple[bytes, bytes]]  # output path: (cheap digest of inputs, digest of all data)


def page_digests(root: Path) -> Digests:
    site = load_site(root)
    plan = plan_outputs(root, site.config, site.model, site.pages, site.feeds, [], {}, BuildCache())
    makers, told = plan.makers, plan.makers.told
    assert told is not None
    found = {
        output_path(page.url): (cheap, makers.page_inputs(makers.heads(page)))
        for page in site.pages if (cheap := told.page(page)[0]) is not None
    }
    for index in range(len(makers.feeds)):
        feed = makers.feeds[index]
        found[output_path(feed.url)] = (told.feed(index)[0], makers.feed_inputs(feed))
    return found


def unsound(before: Digests, after: Digests) -> list[str]:
    """Pages whose inputs digest stayed the same while their data changed."""
    return [path for path, (inputs, data) in after.items()
            if path in before and before[path][0] == inputs and before[path][1] != data]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, min_size=4, max_size=12))
def test_same_inputs_mean_the_same_page_after_any_edits(operations: list[tuple[int, ...]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        site = Site(Path(temp) / "site")
        site.apply(operations[0])
        before = page_digests(site.root)
        for op in operations[1:]:
            site.apply(op)
            after = page_digests(site.root)
            assert unsound(before, after) == []
            before = after


def test_every_page_but_a_few_single_ones_tells_its_inputs(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(8):
        site.apply((0, n, n + 1, n))
    told = page_digests(site.root)
    every = {output_path(page.url) for page in load_site(site.root).pages}
    assert every - set(told) == {"index.html", "404.html", "search/index.html", "actors/index.html",
                                 "countries/index.html", "tags/index.html", "relations/index.html"}


def test_a_retitled_briefing_changes_the_inputs_of_the_pages_that_show_it_only(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(8):
        site.apply((0, n, n + 1, n))
    before = page_digests(site.root)
    name = sorted(site.briefings)[0]
    site.apply((10, 0, 1, 2))
    after = page_digests(site.root)
    changed = {path for path in after if before[path][0] != after[path][0]}
    shown = {path for path in after if before[path][1] != after[path][1]}
    assert unsound(before, after) == []
    assert f"briefings/{name[11:]}/index.html" in shown
    assert shown <= changed < set(after)  # not every page: those of the other briefings stay


def test_a_pair_page_shows_its_whole_history_whatever_slice_it_lists(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(7):  # seven briefings on one pair: its list runs over several pages
        site.apply((0, n, 0, n))
        site.apply((5, 0 if n == 0 else n, 0, 0))
    before = page_digests(site.root)
    site.apply((10, 0, 3, 4))  # the oldest, on the pair's last page of briefings
    after = page_digests(site.root)
    first_page = "relations/armenia--russia/index.html"
    assert unsound(before, after) == []
    assert before[first_page][1] != after[first_page][1]  # its history names the retitled briefing


def test_a_newer_briefing_leaves_the_pages_of_pairs_and_countries_it_does_not_concern(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(4):
        site.apply((0, n, 5, n))  # Russia, Georgia and Turkey, in January to April
    site.apply((5, 0, 2, 0))  # one of them says how Georgia and Turkey stand
    before = page_digests(site.root)
    site.apply((0, 8, 0, 0))  # a newer briefing on Armenia and Russia, every position shifts
    after = page_digests(site.root)
    assert unsound(before, after) == []
    for path in ("relations/georgia--turkey/index.html", "relations/russia--turkey/index.html",
                 "countries/turkey/index.html"):
        assert before[path][0] == after[path][0], path
    assert before["countries/russia/index.html"][0] != after["countries/russia/index.html"][0]


def test_the_parts_digested_ahead_in_another_process_are_those_digested_here(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(6):
        site.apply((0, n, n + 1, n))
    here = load_site(site.root).model.digests
    model = load_site(site.root, digests_ahead=True).model
    model.digests.settle()
    assert model.digests._ahead is None and model.digests._cards[0] is not None  # taken in
    registry = model.linked.registry
    for position in range(len(model.briefings)):
        assert model.digests.briefing(position) == here.briefing(position)
        assert model.digests.card(position) == here.card(position)
    for entity in [*(EntityRef("actor", a) for a in registry.actors),
                   *(EntityRef("country", c) for c in registry.countries)]:
        assert model.digests.entity(entity) == here.entity(entity)


def test_a_model_whose_parts_were_digested_is_freed_without_a_collection(tmp_path: Path) -> None:
    """No reference cycle: a collection over a large model costs seconds when a build ends."""
    site = Site(tmp_path / "site")
    for n in range(3):
        site.apply((0, n, n + 1, n))
    model = load_site(site.root).model
    model.digests.card(0)
    freed = weakref.ref(model)
    gc.disable()
    try:
        del model
        assert freed() is None
    finally:
        gc.enable()
