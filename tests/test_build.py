"""Building: output layout, determinism, all-or-nothing writes, stale files, escaping."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen import write
from briefgen.build import build_site
from briefgen.diagnostics import Severity
from briefgen.errors import BuildError, ContentError
from briefgen.render import OutputFile
from briefgen.write import validate_paths, write_site
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing

BRIEF = "content/briefings/2024-05-08-talks.md"


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: script elements, handlers, script URLs.

    The theme's own scripts (files of the site, loaded by `src`) and JSON-LD data
    blocks, which browsers never run, are not counted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        data_block = given.get("type") == "application/ld+json"
        own_file = (given.get("src") or "").startswith(("/assets/", "/pagefind/"))
        if tag == "script" and (data_block or own_file):
            pass
        elif tag in ("script", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and value.strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    return parser.found


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_pretty_urls_and_every_page_kind(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        BRIEF: briefing(actors="[Putin]", countries="[Russia]", tags="[Security Policy]"),
        "content/pages/about.md": "---\ntitle: About\nmenu: true\n---\nWho we are.\n",
    })
    build_site(root)
    files = set(tree(root / "build"))
    assert {
        "index.html", "404.html", "briefings/index.html", "briefings/talks/index.html",
        "actors/index.html", "actors/vladimir-putin/index.html", "actors/nikol-pashinyan/index.html",
        "countries/index.html", "countries/russia/index.html", "tags/index.html",
        "tags/security-policy/index.html", "about/index.html",
    } <= files
    assert any(f.startswith("assets/briefgen.") and f.endswith(".css") for f in files)


def test_briefing_page_shows_its_parts(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        BRIEF: briefing(
            title="Talks in Moscow", updated="2024-05-09", summary="Short summary.",
            actors="[Putin]", countries="[Russia, Armenia]", tags="[diplomacy]",
            sources="[{title: Wire story, publisher: Agency, url: 'https://example.org/s', "
                    "date: 2024-05-08}]",
            body="## Context\n\nBody paragraph.\n",
        ),
    })
    build_site(root)
    html = (root / "build/briefings/talks/index.html").read_text()
    assert "<h1>Talks in Moscow" in html
    assert '<time datetime="2024-05-08">8 May 2024</time>' in html
    assert '<time datetime="2024-05-09">9 May 2024</time>' in html
    assert "Short summary." in html
    assert '<h2 id="context">Context</h2>' in html
    assert '<a href="/actors/vladimir-putin/">Vladimir Putin</a>' in html
    assert '<a href="/countries/armenia/">Armenia</a>' in html
    assert '<a href="/tags/diplomacy/">diplomacy</a>' in html
    assert '<a href="https://example.org/s" rel="noopener">Wire story</a>, Agency' in html


def test_actor_page_lists_declaring_briefings_newest_first(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/2024-01-01-old.md": briefing("Old one", "2024-01-01", actors="[Putin]"),
        "content/briefings/2024-03-01-new.md": briefing("New one", "2024-03-01", actors="[Putin]"),
        "content/briefings/2024-02-01-other.md": briefing("Not his", "2024-02-01"),
    })
    build_site(root)
    html = (root / "build/actors/vladimir-putin/index.html").read_text()
    assert "President of Russia" in html
    assert html.index("New one") < html.index("Old one")
    assert "Not his" not in html


def test_drafts_are_left_out_unless_asked(make_site: MakeSite) -> None:
    root = make_site({BRIEF: briefing(draft="true")})
    build_site(root)
    assert not (root / "build/briefings/talks").exists()
    build_site(root, drafts=True)
    assert (root / "build/briefings/talks/index.html").exists()


def test_script_in_body_and_title_is_inert(make_site: MakeSite) -> None:
    root = make_site({
        BRIEF: briefing(
            title='"<script>alert(1)</script>"',
            summary='"<img src=x onerror=alert(2)>"',
            tags='["<b>x</b>"]',
            body="<script>alert(3)</script>\n\n[click](javascript:alert(4))\n\n"
                 "<a href='javascript:alert(5)'>x</a> {{ 7*7 }} {% raw %}\n",
        ),
    })
    build_site(root)
    for path, data in tree(root / "build").items():
        if path.endswith(".html"):
            assert active_content(data.decode()) == [], path
    html = (root / "build/briefings/talks/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html  # content is never compiled as a template


def test_markdown_features(make_site: MakeSite) -> None:
    body = (
        "# Top\n\n## Top\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Claim[^n].\n\n[^n]: The note.\n\n~~gone~~ [ok](https://example.org) "
        "[mail](mailto:a@example.org) [bad](vbscript:x) ![img](data:text/html,x)\n"
    )
    root = make_site({BRIEF: briefing(body=body)})
    build_site(root)
    html = (root / "build/briefings/talks/index.html").read_text()
    assert '<h1 id="top">Top</h1>' in html and '<h2 id="top-1">Top</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnotes"' in html and "The note." in html
    assert "<s>gone</s>" in html
    assert '<a href="https://example.org">ok</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html
    assert "vbscript:" not in html.replace("[bad](vbscript:x)", "")
    assert '<img src="data:' not in html


def test_site_templates_override_the_theme_by_name(make_site: MakeSite) -> None:
    root = make_site({
        BRIEF: briefing(),
        "templates/partials/footer.html": "<footer>Custom footer {{ site.title }}</footer>\n",
        "templates/page.html": '{% extends "theme/page.html" %}{% block title %}X{% endblock %}',
        "content/pages/about.md": "---\ntitle: About\n---\n",
    })
    build_site(root)
    assert "<footer>Custom footer Test Site</footer>" in (root / "build/index.html").read_text()
    about = (root / "build/about/index.html").read_text()
    assert "<title>X</title>" in about and "<h1>About</h1>" in about


def test_autoescape_applies_whatever_the_template_extension(make_site: MakeSite) -> None:
    root = make_site({
        BRIEF: briefing(title='"<b>bold</b>"'),
        "templates/briefing.html": '{% include "title.txt" %}',
        "templates/title.txt": "{{ page.title }}",
    })
    build_site(root)
    assert (root / "build/briefings/talks/index.html").read_text() == "&lt;b&gt;bold&lt;/b&gt;"


def test_base_url_path_prefixes_links(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Putin]")})
    build_site(root, base_url="https://example.org/sub/")
    html = (root / "build/briefings/talks/index.html").read_text()
    assert 'href="/sub/actors/vladimir-putin/"' in html
    assert 'href="/sub/assets/briefgen.' in html


def test_failed_build_leaves_previous_output_untouched(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Putin]")})
    build_site(root)
    before, times = tree(root / "build"), stamps(root / "build")
    (root / BRIEF).write_text(briefing(actors="[Vladimir Puttin]"))
    (root / "content/briefings/2024-06-01-new.md").write_text(briefing("New", "2024-06-01"))
    with pytest.raises(ContentError):
        build_site(root)
    assert tree(root / "build") == before and stamps(root / "build") == times
    (root / BRIEF).write_text(briefing(actors="[Putin]"))
    (root / "templates").mkdir()
    (root / "templates/briefing.html").write_text("{{ page.no_such_key }}")
    with pytest.raises(BuildError, match=r"briefing.html:1"):
        build_site(root)
    assert tree(root / "build") == before and stamps(root / "build") == times
    # No staging folder is left behind; the spare folder (old copies to write over) may stay.
    assert [p.name for p in root.glob(".build*")] in ([], [".build.briefgen-spare"])


def test_template_errors_name_the_file_from_the_site_folder_and_a_template_not_utf8_itself(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As content errors say `content/briefings/x.md`, whatever the current folder: the
    preview's banner and the terminal show the same name. A partial that is not UTF-8 is
    named with its line and column, not the theme template that includes it."""
    root = make_site({BRIEF: briefing()})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (root / "templates/partials").mkdir(parents=True)
    footer = root / "templates/partials/footer.html"
    footer.write_bytes(b"<footer>\n  <p>Caf\xe9</p>\n</footer>\n")
    with pytest.raises(BuildError) as raised:
        build_site(root, search=False)
    assert str(raised.value).startswith(
        "templates/partials/footer.html:2:9: not valid UTF-8 (byte 0xe9 cannot be decoded); "
        "save the template as UTF-8 (needed for /")
    footer.write_text("<footer>{{ page.no_such_key }}</footer>\n")
    with pytest.raises(BuildError, match=r"^templates/partials/footer\.html:1: UndefinedError"):
        build_site(root, search=False)
    footer.unlink()
    (root / "templates/briefing.html").write_text('{% extends "theme/briefing.html" %}\n{% block x %}')
    with pytest.raises(BuildError, match=r"^templates/briefing\.html:2: template syntax error"):
        build_site(root, search=False)


def test_a_build_leaves_no_process_behind_whether_it_fails_or_not(make_site: MakeSite) -> None:
    """Builds with a cache walk the output and digest the model in forked processes."""
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Putin]")})
    build_site(root, use_cache=True, search=False)
    assert multiprocessing.active_children() == []
    (root / BRIEF).write_text(briefing(actors="[Vladimir Puttin]"))  # resolving fails: a model is built
    with pytest.raises(ContentError):
        build_site(root, use_cache=True, search=False)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_failed_write_rolls_back_when_disk_fills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 failing: int) -> None:
    """The disk fills while the `failing`th file is staged: a replaced one (staged in the
    spare folder) or a new one (beside its target)."""
    out = tmp_path / "out"
    write_site(out, [OutputFile("a/index.html", b"A"), OutputFile("b.txt", b"B")])
    before, times = tree(out), stamps(out)
    write.spare_folder(out)  # whether files can be swapped here is found out before the disk fills
    calls = {"n": 0}

    def failing_after(real: Callable[..., object]) -> Callable[..., object]:
        def write(path: Path, data: bytes, *rest: object) -> object:
            calls["n"] += 1
            if calls["n"] == failing:
                raise OSError(28, "No space left on device")
            return real(path, data, *rest)
        return write

    monkeypatch.setattr(Path, "write_bytes", failing_after(Path.write_bytes))
    monkeypatch.setattr(write, "_overwrite", failing_after(write._overwrite))
    with pytest.raises(BuildError, match="No space left"):
        write_site(out, [OutputFile("a/index.html", b"A2"), OutputFile("new/deep/x.html", b"X"),
                         OutputFile("b.txt", b"B2")])
    monkeypatch.undo()
    assert tree(out) == before and stamps(out) == times
    write_site(out, [OutputFile("a/index.html", b"A2"), OutputFile("b.txt", b"B2")])
    assert tree(out) == {"a/index.html": b"A2", "b.txt": b"B2"}


def swapping(out: Path) -> Path:
    """The spare folder of `out` (made first), or a skip where files cannot be swapped."""
    out.mkdir(parents=True, exist_ok=True)
    spare = write.spare_folder(out)
    if spare is None:
        pytest.skip("this file system (or system) cannot swap two files")
    return spare


def test_a_replaced_file_trades_places_with_its_old_copy_which_is_written_over_next(tmp_path: Path) -> None:
    """A rewrite frees no file: the old copy goes to the spare folder, and the next rewrite
    of that file is written into it (the same inode) and swapped back."""
    out = tmp_path / "out"
    spare = swapping(out)
    write_site(out, [OutputFile("a/index.html", b"A"), OutputFile("b.txt", b"B")])
    first = (out / "a/index.html").stat().st_ino
    write_site(out, [OutputFile("a/index.html", b"A2"), OutputFile("b.txt", b"B")])
    assert tree(out) == {"a/index.html": b"A2", "b.txt": b"B"}
    assert (spare / "a/index.html").read_bytes() == b"A"
    assert (spare / "a/index.html").stat().st_ino == first
    assert not (spare / "b.txt").exists()  # unchanged: not staged
    write_site(out, [OutputFile("a/index.html", b"A3, longer"), OutputFile("b.txt", b"B")])
    assert tree(out) == {"a/index.html": b"A3, longer", "b.txt": b"B"}
    assert (out / "a/index.html").stat().st_ino == first
    write_site(out, [OutputFile("a/index.html", b"4"), OutputFile("b.txt", b"B")])
    assert tree(out) == {"a/index.html": b"4", "b.txt": b"B"}  # a shorter one is cut to its length


def test_a_hard_link_to_an_old_output_is_never_written_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    swapping(out)
    write_site(out, [OutputFile("index.html", b"first")])
    os.link(out / "index.html", tmp_path / "snapshot.html")  # as `cp -al` or rsync --link-dest do
    write_site(out, [OutputFile("index.html", b"second")])
    write_site(out, [OutputFile("index.html", b"third")])
    assert (tmp_path / "snapshot.html").read_bytes() == b"first"
    assert tree(out) == {"index.html": b"third"}


def test_old_copies_of_another_layout_make_way_in_the_spare_folder(tmp_path: Path) -> None:
    """`x` was a file and becomes a folder, `y` the other way round: their old copies in the
    spare folder stand in the way of the next rewrite, which clears them."""
    out = tmp_path / "out"
    swapping(out)
    for version in (b"1", b"2"):
        write_site(out, [OutputFile("x", version), OutputFile("y/index.html", version)])
    for version in (b"3", b"4"):
        write_site(out, [OutputFile("x/index.html", version), OutputFile("y", version)])
        assert tree(out) == {"x/index.html": version, "y": version}


def test_a_swapped_in_file_has_the_mode_a_new_one_has(tmp_path: Path) -> None:
    out = tmp_path / "out"
    swapping(out)
    write_site(out, [OutputFile("index.html", b"1")])
    new_mode = (out / "index.html").stat().st_mode & 0o777
    (out / "index.html").chmod(0o600)  # the copy the next rewrite moves to the spare folder
    for version in (b"2", b"3", b"4"):
        write_site(out, [OutputFile("index.html", version)])
        assert (out / "index.html").stat().st_mode & 0o777 == new_mode


def test_a_symlink_in_the_output_or_the_spare_folder_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spare = swapping(out)
    precious = tmp_path / "precious.txt"
    precious.write_text("precious")
    write_site(out, [OutputFile("a.html", b"1"), OutputFile("b.html", b"1")])
    (out / "a.html").unlink()
    (out / "a.html").symlink_to(precious)  # put there by hand; the next rewrite swaps it out
    write_site(out, [OutputFile("a.html", b"2"), OutputFile("b.html", b"2")])
    (spare / "b.html").unlink()
    (spare / "b.html").symlink_to(tmp_path / "nowhere.txt")  # a dangling one
    for version in (b"3", b"4"):
        write_site(out, [OutputFile("a.html", version), OutputFile("b.html", version)])
        assert tree(out) == {"a.html": version, "b.html": version}
        assert not (out / "a.html").is_symlink()
    assert precious.read_text() == "precious"
    assert not (tmp_path / "nowhere.txt").exists()


def test_a_spare_copy_that_is_not_ours_to_write_is_made_anew(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spare = swapping(out)
    write_site(out, [OutputFile("index.html", b"1")])
    write_site(out, [OutputFile("index.html", b"2")])
    if os.geteuid() == 0:
        os.chown(spare / "index.html", 65534, 65534)  # another user's (root may write it, must not)
    else:
        (spare / "index.html").chmod(0o444)
    write_site(out, [OutputFile("index.html", b"3")])
    assert tree(out) == {"index.html": b"3"}
    assert (out / "index.html").stat().st_uid == os.geteuid()


def test_the_spare_and_staging_folders_stand_beside_the_folder_the_output_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--output ..` from a folder inside it, or an output that is a symlink: nothing of the
    build's own lands inside the output, and a symlink stays a symlink."""
    real = tmp_path / "real"
    inner = real / "sub"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    for version in (b"1", b"2", b"3"):
        write_site(Path(".."), [OutputFile("sub/index.html", version)])
    assert tree(real) == {"sub/index.html": b"3"}
    link = tmp_path / "link"
    link.symlink_to(real)
    for files in ([OutputFile("x", b"file")], [OutputFile("x/index.html", b"folder")]):  # a new layout
        write_site(link, files)
    assert link.is_symlink() and tree(real) == {"x/index.html": b"folder"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".real.briefgen-spare", "link", "real"]


def test_stale_files_are_removed_and_unchanged_files_not_rewritten(make_site: MakeSite) -> None:
    root = make_site({
        BRIEF: briefing(tags="[alpha]"),
        "content/briefings/2024-05-09-second.md": briefing("Second", "2024-05-09"),
    })
    build_site(root)
    out = root / "build"
    untouched = out / "briefings/second/index.html"
    mtime = untouched.stat().st_mtime_ns
    (root / BRIEF).unlink()
    result = build_site(root)
    assert not (out / "briefings/talks").exists()
    assert not (out / "tags/alpha").exists()
    assert untouched.stat().st_mtime_ns == mtime
    assert result.stats.removed >= 2
    assert result.stats.unchanged >= 1


def test_a_file_replacing_a_folder_swaps_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, [OutputFile("feed/index.html", b"A"), OutputFile("x.txt", b"X")])
    write_site(out, [OutputFile("feed", b"F"), OutputFile("x.txt", b"X")])
    assert tree(out) == {"feed": b"F", "x.txt": b"X"}
    assert not list(tmp_path.glob(".out.*"))


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", "a//b", "a\\..\\b", ""])
def test_paths_outside_the_output_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(BuildError, match="refusing"):
        validate_paths(tmp_path / "out", [OutputFile(path, b"x")])


def test_symlink_out_of_the_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / "briefings").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BuildError, match="outside"):
        write_site(out, [OutputFile("briefings/x/index.html", b"x")])
    assert not list((tmp_path / "elsewhere").iterdir())


def test_two_outputs_for_one_path_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="same file"):
        validate_paths(tmp_path, [OutputFile("a.html", b"1"), OutputFile("a.html", b"2")])


def test_static_file_colliding_with_a_page_is_refused(make_site: MakeSite) -> None:
    root = make_site({BRIEF: briefing(), "static/index.html": "<p>mine</p>"})
    with pytest.raises(ContentError) as raised:
        build_site(root)
    assert [d.path for d in raised.value.report.errors] == ["static/index.html"]


def test_a_static_link_to_a_file_outside_static_is_not_published(make_site: MakeSite, tmp_path: Path) -> None:
    """A site cloned from elsewhere must not publish (nor the preview serve) whatever its links
    name, such as a key in the home folder; links within static/ are published."""
    secret = tmp_path / "private" / "id_key"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY")
    root = make_site({BRIEF: briefing(), "static/fonts/a.woff2": "font", "content/extra.txt": "site text"})
    (root / "static/key.txt").symlink_to(secret)
    (root / "static/near.txt").symlink_to(root / "content/extra.txt")  # in the site, out of static/
    (root / "static/b.woff2").symlink_to("fonts/a.woff2")
    result = build_site(root, search=False)
    built = root / "build"
    assert (built / "fonts/a.woff2").read_text() == "font"
    assert (built / "b.woff2").read_text() == "font" and not (built / "b.woff2").is_symlink()
    assert not (built / "key.txt").exists() and not (built / "near.txt").exists()
    assert all(b"PRIVATE" not in path.read_bytes() for path in built.rglob("*") if path.is_file())
    said = {d.path: d for d in result.report.diagnostics if d.severity is Severity.WARNING}
    assert said["static/key.txt"].message == (
        f"static/key.txt is a link to {secret.resolve()}, outside static/; not published")
    assert said["static/key.txt"].hint == "copy the file into static/ to publish it"
    assert "static/near.txt" in said and "static/b.woff2" not in said


def test_output_folder_holding_a_site_is_refused(make_site: MakeSite) -> None:
    root = make_site({BRIEF: briefing()})
    with pytest.raises(BuildError, match="contains the site"):
        build_site(root, root)
    other = make_site({BRIEF: briefing()})
    with pytest.raises(BuildError, match=r"site\.yaml"):
        build_site(root, other)


@pytest.mark.parametrize("output", ["content", "content/briefings", "templates", "static/x", ".git",
                                    ".briefgen-cache", ".github/pages"])
def test_an_output_folder_inside_the_sites_sources_is_refused_and_nothing_is_lost(
        make_site: MakeSite, output: str) -> None:
    """Stale-file removal would delete the briefings, the templates, the repository or the
    cache: `--output content` deleted every briefing."""
    root = make_site({BRIEF: briefing(), "templates/partials/footer.html": "<footer>mine</footer>",
                      "static/x/logo.txt": "logo", ".git/HEAD": "ref: refs/heads/main\n",
                      ".github/pages/workflow.yml": "on: push\n"})
    build_site(root, search=False, use_cache=True)
    assert (root / ".briefgen-cache").is_dir()

    def sources() -> dict[Path, bytes]:
        return {path: path.read_bytes() for path in root.rglob("*")
                if path.is_file() and "build" not in path.parts}

    before = sources()
    with pytest.raises(BuildError, match=f"inside the site's {output.split('/')[0]}"):
        build_site(root, root / output, search=False, use_cache=True)
    assert sources() == before


def test_an_output_folder_holding_a_project_is_refused(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({BRIEF: briefing()})
    for name in ("package.json", "setup.py", ".hg"):
        project = tmp_path / f"project-{name}"
        project.mkdir()
        (project / name).write_text("{}")
        with pytest.raises(BuildError, match=f"holds '{name}'"):
            build_site(root, project, search=False)
        assert [path.name for path in project.iterdir()] == [name]


def _write_shuffled(src: Path, dst: Path, seed: int) -> None:
    files = [p for p in src.rglob("*") if p.is_file() and "build" not in p.relative_to(src).parts]
    random.Random(seed).shuffle(files)
    for path in files:
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_two_builds_are_byte_identical_across_hash_seeds_and_file_order(tmp_path: Path) -> None:
    outputs = []
    for seed in (1, 2):
        site = tmp_path / f"site{seed}"
        for name in ("site.yaml", "content", "templates", "static"):
            if (REPO / name).is_dir():
                _write_shuffled(REPO / name, site / name, seed)
            elif (REPO / name).exists():
                site.mkdir(exist_ok=True)
                shutil.copyfile(REPO / name, site / name)
        env = {**os.environ, "PYTHONHASHSEED": str(seed * 1000 + 7)}
        subprocess.run([sys.executable, "-m", "briefgen", "build", "--quiet", "--root", str(site)],
                       check=True, env=env)
        outputs.append(tree(site / "build"))
    assert outputs[0] == outputs[1]
