"""Declared and mentioned entities, related briefings, co-actors and pagination."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.build import build_site, check_site, load_site
from briefgen.content.models import Briefing
from briefgen.diagnostics import Severity
from briefgen.resolve import ResolvedBriefing
from briefgen.sitemodel.related import _Finder, _Reviser, entity_keys, related_briefings, revise_related
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite, briefing


def test_undeclared_mention_is_a_suggestion_with_line_and_alias(make_site: MakeSite) -> None:
    body = "Intro line.\n\nTalks with Putin's aides\nin Moscow went on.\n"
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/x.md": briefing(countries="[Russia]", body=body),
    })
    report = check_site(root)
    [d] = [d for d in report.diagnostics if d.severity is Severity.SUGGESTION]
    assert (d.path, d.line) == ("content/briefings/x.md", 8)
    assert d.message == "actor 'Vladimir Putin' is mentioned (as 'Putin') but not declared"
    assert not report.failed(strict=True)


def test_also_mentioned_in_on_entity_pages(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/declares.md": briefing("Declares him", "2024-01-01", actors="[Putin]",
                                                  body="Putin spoke.\n"),
        "content/briefings/mentions.md": briefing("Only mentions him", "2024-02-01",
                                                  body="Putin spoke.\n"),
    })
    build_site(root)
    page = (root / "build/actors/vladimir-putin/index.html").read_text()
    main, _, also = page.partition("Also mentioned in")
    assert "Declares him" in main and "Only mentions him" not in main
    assert "Only mentions him" in also and "Declares him" not in also


def fake(slug: str, date: str, actors: tuple[str, ...], countries: tuple[str, ...] = ()) -> ResolvedBriefing:
    import datetime as dt

    record = Briefing(source=slug, slug=slug, title=slug, date=dt.date.fromisoformat(date), time=None,
                      updated=None, summary="", draft=False, tags=(), actors=(), countries=(),
                      relations=(), sources=(), aliases=(), body="", body_line=1)
    return ResolvedBriefing(record, actors, countries, ())


def test_related_prefers_rare_shared_entities_then_recency_then_slug() -> None:
    items = [  # newest first, as the site model orders them
        fake("b-common", "2024-06-01", ("common",)),
        fake("a-common", "2024-06-01", ("common",)),
        fake("target", "2024-05-01", ("rare", "common")),
        fake("c-common", "2024-04-01", ("common", "other")),
        fake("rare-old", "2020-01-01", ("rare",)),
        *(fake(f"f{i}", "2019-01-01", ("common",)) for i in range(5)),
    ]
    related = related_briefings(items)
    names = [items[p].briefing.slug for p in related[2]]
    assert names == ["rare-old", "b-common", "a-common", "c-common", "f0"]
    assert related[4] == (2,)  # rare-old's only relative is the target


def naive_related(items: list[ResolvedBriefing], k: int = 5) -> list[tuple[int, ...]]:
    df: dict[tuple[str, str], int] = {}
    for item in items:
        for key in entity_keys(item):
            df[key] = df.get(key, 0) + 1
    weight = {key: math.log1p(len(items) / n) for key, n in df.items()}
    result = []
    for i, item in enumerate(items):
        mine = set(entity_keys(item))
        scores = []
        for j, other in enumerate(items):
            shared = mine & set(entity_keys(other))
            if j != i and shared:
                scores.append((-round(sum(weight[key] for key in sorted(shared)), 9), j))
        result.append(tuple(j for _, j in sorted(scores)[:k]))
    return result


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=40))
def test_related_top_k_equals_brute_force(entity_lists: list[list[int]]) -> None:
    items = [fake(f"s{i:03d}", "2024-01-01", tuple(dict.fromkeys(f"e{e}" for e in ents)))
             for i, ents in enumerate(entity_lists)]
    expected = naive_related(items)
    for rare_limit in (0, 2, 5, 1000):  # every entity popular, some, none
        assert related_briefings(items, rare_limit=rare_limit) == expected


def test_briefing_page_lists_related(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/a.md": briefing("Alpha", "2024-01-01", actors="[Putin]"),
        "content/briefings/b.md": briefing("Beta", "2024-02-01", actors="[Putin]"),
        "content/briefings/c.md": briefing("Gamma", "2024-03-01", actors="[Pashinyan]"),
    })
    build_site(root)
    page = (root / "build/briefings/a/index.html").read_text()
    related = page.split('id="related"')[1]
    assert "Beta" in related and "Gamma" not in related


def test_co_actors_ranked_by_count(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/actors/x.md": "---\nname: Xavier Example\n---\n",
        "content/briefings/a.md": briefing("A", "2024-01-01", actors="[Putin, Pashinyan]"),
        "content/briefings/b.md": briefing("B", "2024-01-02", actors="[Putin, Pashinyan, Xavier Example]"),
    })
    site = load_site(root)
    assert site.model.co_actors["vladimir-putin"] == [("nikol-pashinyan", 2), ("x", 1)]
    build_site(root)
    page = (root / "build/actors/vladimir-putin/index.html").read_text()
    assert page.index("Nikol Pashinyan") < page.index("Xavier Example")


def many(count: int) -> dict[str, str]:
    return {
        f"content/briefings/b{i:03d}.md": briefing(f"Briefing {i:03d}", f"2024-01-{1 + i % 28:02d}",
                                                   actors="[Putin]", tags="[bulk]",
                                                   countries="[Russia, Armenia]")
        for i in range(count)
    }


def test_exactly_one_page_full_does_not_paginate(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, **many(50)})
    build_site(root)
    out = root / "build"
    for url in ("actors/vladimir-putin", "countries/russia", "tags/bulk", "relations/armenia--russia",
                "briefings"):
        assert (out / url / "index.html").read_text().count('class="card"') == 50, url
        assert not (out / url / "page").exists(), url


def test_one_more_than_a_page_full_paginates(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, **many(51)})
    build_site(root)
    out = root / "build"
    for url in ("actors/vladimir-putin", "countries/russia", "tags/bulk", "relations/armenia--russia",
                "briefings"):
        first = (out / url / "index.html").read_text()
        second = (out / url / "page/2/index.html").read_text()
        assert first.count('class="card"') == 50 and second.count('class="card"') == 1, url
        assert f'href="/{url}/page/2/" rel="next"' in first
        assert f'href="/{url}/" rel="prev"' in second
        assert not (out / url / "page/3").exists()
        assert not (out / url / "page/1").exists()
    assert "Briefing 000" not in (out / "actors/vladimir-putin/index.html").read_text() or \
        "Briefing 000" not in (out / "actors/vladimir-putin/page/2/index.html").read_text()


def test_page_size_option(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES, **many(7),
        "site.yaml": "title: T\nbase_url: https://example.org/\noptions:\n  page_size: 3\n",
    })
    build_site(root)
    assert (root / "build/actors/vladimir-putin/page/3/index.html").read_text().count('class="card"') == 1


def test_the_pager_shows_a_window_not_every_page() -> None:
    from briefgen.sitemodel.paginate import paginate

    slices = paginate("/tags/x/", list(range(120)), 10)
    assert len(slices) == 12
    numbers = [p["number"] if p else None for p in slices[5].pager["pages"]]
    assert numbers == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert [p["number"] if p else None for p in slices[0].pager["pages"]] == [1, 2, 3, None, 12]
    assert [p["number"] if p else None for p in slices[11].pager["pages"]] == [1, None, 10, 11, 12]
    assert slices[5].pager["prev_url"] == "/tags/x/page/5/"
    assert slices[5].pager["next_url"] == "/tags/x/page/7/"
    assert all(len(s.pager["pages"]) <= 9 for s in slices)


def _items(site: list[tuple[str, tuple[str, ...]]]) -> list[ResolvedBriefing]:
    return [fake(slug, "2024-01-01", entities) for slug, entities in site]


EDITS = st.tuples(st.integers(0, 3), st.integers(0, 1000), st.lists(st.integers(0, 12), max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), max_size=4), min_size=1, max_size=40),
       st.lists(EDITS, min_size=1, max_size=6), st.sampled_from([0, 2, 1000]))
def test_related_revised_after_edits_are_those_found_afresh(
        start: list[list[int]], edits: list[tuple[int, int, list[int]]], rare_limit: int) -> None:
    def entities(numbers: list[int]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f"e{n}" for n in numbers))

    site = [(f"s{i:03d}", entities(numbers)) for i, numbers in enumerate(start)]
    state = revise_related(_items(site), None, rare_limit=rare_limit)
    for number, (kind, at, numbers) in enumerate(edits):
        if kind == 0 or not site:  # a new briefing, anywhere in the order
            site.insert(at % (len(site) + 1), (f"new{number}", entities(numbers)))
        elif kind == 1:  # one deleted
            del site[at % len(site)]
        elif kind == 2:  # one declares other entities
            slug, _ = site[at % len(site)]
            site[at % len(site)] = (slug, entities(numbers))
        else:  # one moves (redated)
            site.insert(sum(numbers) % len(site), site.pop(at % len(site)))
        items = _items(site)
        state = revise_related(items, state, rare_limit=rare_limit)
        assert list(state.related) == naive_related(items)


def test_a_new_briefing_has_the_related_briefings_of_few_others_found_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = [(f"s{i:03d}", (f"e{i % 40}", f"e{40 + i % 7}")) for i in range(400)]
    state = revise_related(_items(site), None)
    found: list[int] = []
    ranked = _Finder.ranked
    monkeypatch.setattr(_Finder, "ranked", lambda self, position, keys: found.append(position) or ranked(
        self, position, keys))
    site.insert(0, ("new", ("e3", "e41")))
    items = _items(site)
    state = revise_related(items, state, workers=1)  # counted in this process
    assert list(state.related) == naive_related(items)
    assert 0 in found and len(found) < 100  # the new one, and some that share an entity with it


def test_other_entities_for_one_briefing_rescore_only_those_its_entities_reach(
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = [(f"s{i:03d}", (f"e{i % 40}", f"e{40 + i % 7}")) for i in range(400)]
    state = revise_related(_items(site), None)
    rescored: set[int] = set()
    ranked = _Reviser._ranked
    monkeypatch.setattr(_Reviser, "_ranked", lambda self, mine, other: rescored.add(id(mine)) or ranked(
        self, mine, other))
    site[10] = (site[10][0], ("e3", "e41"))  # e10 and e43 before: four entities' weights move
    items = _items(site)
    state = revise_related(items, state, workers=1)  # counted in this process
    assert list(state.related) == naive_related(items)
    reached = sum(1 for _, keys in site if set(keys) & {"e3", "e41", "e10", "e43"})
    assert 0 < len(rescored) <= reached < len(site) / 2
