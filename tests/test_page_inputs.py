"""A page's cheap digest of its inputs (`PageSpec.inputs`) is sound: whenever it is
the same in two states of a site, so is the digest of the page's whole data, so a
build may keep the page without digesting it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import load_site
from briefgen.cache import BuildCache
from briefgen.output import plan_outputs
from briefgen.urls import output_path
from tests.test_incremental import OPERATIONS, Site

Digests = dict[str, tuple[bytes, bytes]]  # output path: (cheap digest of inputs, digest of all data)


def page_digests(root: Path) -> Digests:
    site = load_site(root)
    plan = plan_outputs(root, site.config, site.model, site.pages, site.feeds, [], {}, BuildCache())
    makers = plan.makers
    return {
        path: (plan.fingerprints[path], makers.page_inputs(makers.heads(page)))
        for page in site.pages if (path := output_path(page.url)) in plan.fingerprints
    }


def unsound(before: Digests, after: Digests) -> list[str]:
    """Pages whose inputs digest stayed the same while their data changed."""
    return [path for path, (inputs, data) in after.items()
            if path in before and before[path][0] == inputs and before[path][1] != data]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, min_size=2, max_size=8))
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


def test_a_retitled_briefing_changes_the_inputs_of_the_pages_that_show_it_only(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(8):
        site.apply((0, n, n + 1, n))
    before = page_digests(site.root)
    assert len(before) == 8  # every briefing page tells its inputs
    site.apply((10, 0, 1, 2))
    after = page_digests(site.root)
    changed = {path for path in after if before[path][0] != after[path][0]}
    assert unsound(before, after) == []
    assert 1 < len(changed) < len(after)  # its own page and those listing it as related; not all
    assert all(after[path][1] != before[path][1] for path in changed)
