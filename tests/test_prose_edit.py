"""Prose edits: a build after a change of prose only patches the files that show it, and
gives exactly the bytes of a clean build; anything more than prose takes the full path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.build import BuildResult, build_site
from briefgen.cache import BuildCache
from briefgen.prose_edit import body_splices
from briefgen.render import make_environment
from tests.conftest import copy_example_site
from tests.test_incremental import age_sources

BRIEFING = "content/briefings/2024-05-08-pashinyan-in-moscow.md"
PAGE = "briefings/pashinyan-in-moscow/index.html"
FEED = "feed.xml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example site, saved a minute ago (as a writer's files are when they edit one)."""
    root = copy_example_site(tmp_path / "site")
    age_sources(root)
    return root


def build(root: Path) -> BuildResult:
    return build_site(root, search=False, use_cache=True)


def edit(root: Path, old: str, new: str) -> None:
    path = root / BRIEFING
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    build_site(root, out, search=False)
    return snapshot(out)


def test_a_paragraph_added_patches_the_page_and_the_feed_only(site: Path, tmp_path: Path) -> None:
    build(site)
    text = (site / BRIEFING).read_text()
    added = "\n\nLate on Friday, the talks were said to resume & <go on>.\n"
    (site / BRIEFING).write_text(text.rstrip("\n") + added)
    result = build(site)
    assert result.prose_edit
    assert result.stats.written == 2 and result.rendered == 1  # the page and the full-text feed
    assert "said to resume &amp; &lt;go on&gt;." in (site / "build" / PAGE).read_text()
    assert "said to resume &amp;amp; &amp;lt;go on&amp;gt;." in (site / "build" / FEED).read_text()
    assert snapshot(site / "build") == clean_build(site, tmp_path)
    again = build(site)  # within seconds of the last: the files are read again, and found unchanged
    assert again.stats.written == 0 and again.rendered == 0


@pytest.mark.parametrize("live", [False, True])
def test_an_output_deleted_right_after_a_patch_is_made_again_by_the_next_build(
        site: Path, tmp_path: Path, live: bool) -> None:
    """The next build comes within seconds, when the patched briefing's stamp proves
    nothing: it is read again, found unchanged, and the output folder decides."""
    cache = BuildCache() if live else None

    def again() -> BuildResult:
        return build_site(site, search=False, cache=cache) if cache is not None else build(site)

    again()
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    assert again().prose_edit
    (site / "build/404.html").unlink()
    assert not again().prose_edit
    assert snapshot(site / "build") == clean_build(site, tmp_path)


def test_a_full_build_after_a_patch_renders_the_page_again_to_the_same_bytes(site: Path) -> None:
    build(site)
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    assert build(site).prose_edit
    patched = snapshot(site / "build")
    (site / "templates").mkdir(exist_ok=True)
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "\n")  # any other change: full path
    result = build(site)
    assert not result.prose_edit and result.stats.written == 0
    assert snapshot(site / "build") == patched


@pytest.mark.parametrize(("old", "new", "why"), [
    ("title: ", "title: Now ", "the front matter"),
    ("Armenian Prime Minister", "The Armenian Prime Minister", "the first paragraph (the summary)"),
    ("\n\n", "\n\nVladimir Putin answered.\n\n", "a mention"),
])
def test_more_than_prose_takes_the_full_path(site: Path, tmp_path: Path, old: str, new: str,
                                             why: str) -> None:
    build(site)
    body_start = (site / BRIEFING).read_text().index("\n---\n") + 5
    text = (site / BRIEFING).read_text()
    if why == "the front matter":
        (site / BRIEFING).write_text(text.replace(old, new, 1))
    else:
        head, body = text[:body_start], text[body_start:]
        assert old in body, why
        (site / BRIEFING).write_text(head + body.replace(old, new, 1))
    result = build(site)
    assert not result.prose_edit, why
    assert snapshot(site / "build") == clean_build(site, tmp_path)


def test_a_hand_edited_page_is_repaired_by_the_full_path(site: Path, tmp_path: Path) -> None:
    build(site)
    (site / "build" / PAGE).write_text("vandalised")
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    result = build(site)
    assert not result.prose_edit
    assert snapshot(site / "build") == clean_build(site, tmp_path)


def test_a_build_with_a_search_index_takes_the_full_path(site: Path) -> None:
    build_site(site, use_cache=True)
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    assert not build_site(site, use_cache=True).prose_edit


def _splices(tmp_path: Path, templates: dict[str, str]) -> bool:
    for name, text in templates.items():
        path = tmp_path / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return body_splices(make_environment(tmp_path, {"base_path": "/"}))


def test_the_theme_prints_the_body_as_markup_only(tmp_path: Path) -> None:
    assert _splices(tmp_path, {})


@pytest.mark.parametrize("override", [
    '{% extends "theme/briefing.html" %}{% block main %}{{ page.body_html | striptags | wordcount }}'
    '{{ super() }}{% endblock %}',
    '{% extends "theme/briefing.html" %}{% block main %}{% set p = page %}{{ super() }}{% endblock %}',
    '{% extends "theme/briefing.html" %}{% block main %}{% filter upper %}{{ super() }}{% endfilter %}'
    '{% endblock %}',
    '{% extends "theme/briefing.html" %}{% block main %}{{ super() | upper }}{% endblock %}',
    '{% extends "theme/base.html" %}{% block main %}{% include page.title %}{% endblock %}',
    '{% extends "theme/base.html" %}{% block main %}{{ page["body_html"] | e }}{% endblock %}',
])
def test_templates_that_use_the_body_otherwise_are_never_patched(tmp_path: Path, override: str) -> None:
    assert not _splices(tmp_path, {"briefing.html": override})


def test_a_template_not_utf8_that_is_named_is_never_patched_and_breaks_no_build(
        site: Path, tmp_path: Path) -> None:
    """Named only on a branch not taken: rendering never loads it, and a build with a
    cache must not fail on it either (what the briefing page may load is read whole)."""
    (site / "templates/briefing.html").write_text(
        '{% extends "theme/briefing.html" %}{% block head %}{% if site.extra.legacy is defined %}'
        '{% include "legacy.html" %}{% endif %}{% endblock %}')
    (site / "templates/legacy.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    assert not body_splices(make_environment(site, {"base_path": "/"}))
    build(site)
    assert snapshot(site / "build") == clean_build(site, tmp_path)


THEME_BASE = (Path(__file__).parents[1] / "briefgen/theme/templates/base.html").read_text()


@pytest.mark.parametrize("around", [
    ('{% filter replace("Zebrafinch", "[redacted]") %}', "{% endfilter %}"),
    ("{% set main %}", '{% endset %}{{ main | replace("Zebrafinch", "[redacted]") }}'),
])
def test_a_parent_template_that_transforms_the_main_block_is_never_patched(
        site: Path, tmp_path: Path, around: tuple[str, str]) -> None:
    """What a child template puts in the block goes through the parent's filter: a patched
    body would not."""
    block = "{% block main %}{% endblock %}"
    assert block in THEME_BASE
    (site / "templates" / "base.html").write_text(THEME_BASE.replace(block, around[0] + block + around[1]))
    age_sources(site)
    build(site)
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nA Zebrafinch paragraph.\n")
    result = build(site)
    assert not result.prose_edit
    assert "<p>A [redacted] paragraph.</p>" in (site / "build" / PAGE).read_text()
    assert snapshot(site / "build") == clean_build(site, tmp_path)


def test_an_override_that_shows_the_body_plainly_still_splices(tmp_path: Path) -> None:
    plain = ('{% extends "theme/base.html" %}{% block main %}'
             "<h1>{{ page.title }}</h1>{{ page.body_html | safe }}{% endblock %}")
    assert _splices(tmp_path, {"briefing.html": plain})


def test_a_template_edit_that_breaks_splicing_is_seen_by_the_next_build(site: Path, tmp_path: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "briefing.html").write_text(
        '{% extends "theme/briefing.html" %}{% block main %}<p>{{ page.body_html | striptags | wordcount }}'
        " words</p>{{ super() }}{% endblock %}")
    build(site)
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    result = build(site)
    assert not result.prose_edit
    assert snapshot(site / "build") == clean_build(site, tmp_path)



def test_a_cache_kept_in_memory_patches_prose_too(site: Path, tmp_path: Path) -> None:
    from briefgen.cache import BuildCache

    live = BuildCache()  # as `briefgen serve` keeps one
    assert not build_site(site, search=False, cache=live).prose_edit
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph, live.\n")
    result = build_site(site, search=False, cache=live)
    assert result.prose_edit and result.rendered == 1
    assert snapshot(site / "build") == clean_build(site, tmp_path)
    assert not (site / ".briefgen-cache").exists()  # nothing written beside the site


@pytest.mark.parametrize("live", [False, True], ids=["build", "serve"])
def test_a_site_given_as_the_current_folder_patches_prose_too(site: Path, tmp_path: Path, live: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`briefgen build` and `briefgen serve` run in the site's folder build `Path(".")`."""
    from briefgen.cache import BuildCache

    monkeypatch.chdir(site)
    cache = BuildCache() if live else None
    assert not build_site(Path(), search=False, use_cache=not live, cache=cache).prose_edit
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph, here.\n")
    result = build_site(Path(), search=False, use_cache=not live, cache=cache)
    assert result.prose_edit and result.rendered == 1
    assert snapshot(site / "build") == clean_build(site, tmp_path)


@pytest.mark.parametrize("live", [False, True], ids=["build", "serve"])
@pytest.mark.parametrize("briefing_edit", ["prose", "title"])
def test_a_same_size_edit_of_another_file_within_a_second_of_the_last_build_is_not_missed(
        site: Path, tmp_path: Path, live: bool, briefing_edit: str) -> None:
    """An actor's file changed so soon after the build that read it that its mtime (on a file
    system that keeps whole seconds) and size stay the same, then a briefing edited: the
    prose patch and the kept site must not trust the actor's stamp."""
    from briefgen.cache import BuildCache

    cache = BuildCache() if live else None
    actor = site / "content/actors/vladimir-putin.md"
    os.utime(actor)  # saved just now: the build below reads it within a second
    build_site(site, search=False, use_cache=not live, cache=cache)
    stamp = actor.stat().st_mtime_ns
    actor.write_text(actor.read_text().replace("President of Russia", "President of Rossia"))
    os.utime(actor, ns=(stamp, stamp))
    if briefing_edit == "prose":
        (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    else:
        edit(site, "title: ", "title: Now ")
    result = build_site(site, search=False, use_cache=not live, cache=cache)
    assert not result.prose_edit and not result.reshaped
    assert "President of Rossia" in (site / "build/actors/vladimir-putin/index.html").read_text()
    assert snapshot(site / "build") == clean_build(site, tmp_path)


def test_an_edit_that_is_more_than_prose_builds_the_mention_matcher_once(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matcher of a large registry takes a while: the patch makes one only for prose."""
    import briefgen.markdown.bodies as bodies

    made: list[object] = []
    matcher = bodies.MentionMatcher

    def counted(*args: object) -> object:
        made.append(args)
        return matcher(*args)  # type: ignore[arg-type]

    build(site)
    monkeypatch.setattr(bodies, "MentionMatcher", counted)
    edit(site, "title: ", "title: Retitled ")
    assert not build(site).prose_edit
    assert len(made) == 1  # the full build's
    (site / BRIEFING).write_text((site / BRIEFING).read_text() + "\nOne more paragraph.\n")
    assert build(site).prose_edit
    assert len(made) == 2  # the patch's
