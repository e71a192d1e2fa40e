"""The search index: Pagefind runs on the rendered pages; when it cannot, the site still builds."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from briefgen import search
from briefgen.build import build_site
from briefgen.cli import main
from briefgen.search import find_pagefind
from tests.conftest import REPO, MakeSite, briefing
from tests.test_incremental import snapshot


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """The output folder for a build of the example site."""
    return tmp_path / "build"


def indexed_pages(out: Path) -> int:
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def marked_pages(out: Path) -> int:
    return sum("data-pagefind-body" in p.read_text() for p in out.rglob("*.html"))


def test_pagefind_ships_with_briefgen() -> None:
    binary = find_pagefind()
    assert binary is not None and binary.is_file()


def test_the_index_covers_briefings_entities_and_pages_only(example_copy: Path) -> None:
    result = build_site(REPO, example_copy)
    assert result.warnings == ()
    out = example_copy
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (out / "pagefind" / name).is_file(), name
    briefings = len(list((REPO / "content/briefings").glob("*.md")))
    entities = sum(len(list((REPO / "content" / kind).glob("*.md"))) for kind in ("actors", "countries"))
    plain = len(list((REPO / "content/pages").glob("*.md")))
    assert marked_pages(out) == briefings + entities + plain
    assert indexed_pages(out) == marked_pages(out)
    assert 'data-pagefind-body' not in (out / "index.html").read_text()
    assert 'data-pagefind-body' not in (out / "actors/index.html").read_text()


def test_a_rebuild_of_unchanged_content_rewrites_no_index_file(example_copy: Path) -> None:
    build_site(REPO, example_copy)
    stamps = {p: p.stat().st_mtime_ns for p in (example_copy / "pagefind").rglob("*") if p.is_file()}
    result = build_site(REPO, example_copy)
    assert result.stats.written == 0 and result.stats.removed == 0
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}


def test_an_edit_replaces_stale_index_files(make_site: MakeSite) -> None:
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(body="Kremlin spokesman.\n")})
    build_site(root)
    before = {p.name for p in (root / "build/pagefind/fragment").iterdir()}
    (root / "content/briefings/2024-05-08-x.md").write_text(briefing(body="Another word.\n"))
    build_site(root)
    after = {p.name for p in (root / "build/pagefind/fragment").iterdir()}
    assert before and after and not before & after  # the old fragment is gone, not left behind


def test_missing_binary_warns_and_builds_the_rest(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/briefings/2024-05-08-x.md": briefing()})
    build_site(root)
    assert (root / "build/pagefind/pagefind.js").is_file()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(root / "no-such-pagefind"))
    code = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    assert code == 0
    assert "briefgen: warning: search index not built: could not run Pagefind" in err
    assert "pip install 'pagefind[bin]'" in err
    assert (root / "build/briefings/x/index.html").is_file()
    assert (root / "build/search/index.html").is_file()
    assert not (root / "build/pagefind").exists()  # no index for pages it never saw


def test_failing_binary_reports_its_exit_code_and_message(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    root = make_site({"content/briefings/2024-05-08-x.md": briefing()})
    result = build_site(root)
    assert len(result.warnings) == 1
    assert "Pagefind failed (exit code 3): Error: something broke" in result.warnings[0]
    assert (root / "build/briefings/x/index.html").is_file()


def test_no_search_skips_the_index_quietly(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({"content/briefings/2024-05-08-x.md": briefing()})
    assert main(["build", "--no-search", "--quiet", "--root", str(root)]) == 0
    assert capsys.readouterr().err == ""
    assert not (root / "build/pagefind").exists()


def counting_pagefind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pagefind, run through a script that adds a line to the file returned at each run."""
    real = find_pagefind()
    assert real is not None
    log = tmp_path / "runs.log"
    counting = tmp_path / "pagefind"
    counting.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n')
    counting.chmod(counting.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(counting))
    return log


def search_bundle(out: Path) -> dict[str, bytes]:
    """Every file of the search index in the output folder `out`, by path."""
    return {path.relative_to(out).as_posix(): path.read_bytes()
            for path in (out / "pagefind").rglob("*") if path.is_file()}


def test_unchanged_pages_reuse_the_cached_index(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = counting_pagefind(monkeypatch, tmp_path)
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(body="Kremlin.\n")})
    build_site(root, use_cache=True)
    first = search_bundle(root / "build")
    shutil.rmtree(root / "build")
    build_site(root, use_cache=True)
    assert log.read_text().count("run") == 1  # the second build reused the cached bundle
    assert search_bundle(root / "build") == first
    (root / "content/briefings/2024-05-08-x.md").write_text(briefing(body="Yerevan.\n"))
    build_site(root, use_cache=True)
    assert log.read_text().count("run") == 2
    assert len(list((root / ".briefgen-cache/search").iterdir())) == 1  # only the latest is kept


@pytest.mark.parametrize("damage", ["truncated", "outside the bundle", "a file for the folder"])
def test_a_damaged_or_foreign_cached_index_is_made_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: str
) -> None:
    log = counting_pagefind(monkeypatch, tmp_path)
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(body="Kremlin.\n")})
    build_site(root, use_cache=True)
    first = search_bundle(root / "build")
    [bundle] = (root / ".briefgen-cache/search").iterdir()
    if damage == "truncated":
        bundle.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    elif damage == "a file for the folder":
        shutil.rmtree(bundle.parent)
        bundle.parent.write_text("not a folder")
    else:
        with zipfile.ZipFile(bundle, "a") as archive:
            archive.writestr("pagefind/../../escaped.txt", b"not Pagefind's")
    shutil.rmtree(root / "build")
    build_site(root, use_cache=True)
    assert log.read_text().count("run") == 2  # the damaged bundle was not trusted
    assert search_bundle(root / "build") == first
    assert not (root / "escaped.txt").exists() and not (root / "build/escaped.txt").exists()
    [renewed] = (root / ".briefgen-cache/search").iterdir()
    with zipfile.ZipFile(renewed) as archive:
        assert archive.testzip() is None and all(".." not in name for name in archive.namelist())


@pytest.mark.parametrize("room", ["enough", "too little"])
def test_pagefind_writes_into_memory_only_where_the_pages_would_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: str
) -> None:
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY_SCRATCH", memory)
    log = tmp_path / "output-path.log"
    fake = tmp_path / "pagefind"  # writes a one-file bundle where it is told, and says where
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--output-path" ]; do shift; done\n'
                    f'echo "$2" > "{log}"\nmkdir -p "$2" && echo "{{}}" > "$2/pagefind-entry.json"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    free = shutil.disk_usage(memory).free
    index = search.index_search(b"", tmp_path, fake, pages_size=1 if room == "enough" else free * 2)
    assert index.problem is None and [f.path for f in index.files] == ["pagefind/pagefind-entry.json"]
    used = Path(log.read_text().strip())
    assert used.is_relative_to(memory) == (room == "enough")
    assert list(memory.iterdir()) == []  # its temporary folder is gone


def test_pagefind_reads_only_the_folders_of_marked_pages_and_indexes_the_same(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(REPO, example_copy, search=False)
    pages = sorted(p.relative_to(example_copy).as_posix() for p in example_copy.rglob("*.html"))
    commands: list[list[str]] = []
    run = subprocess.run

    def recording(command: list[str], **options: Any) -> Any:
        commands.append(command)
        return run(command, **options)

    monkeypatch.setattr(subprocess, "run", recording)
    every = search.index_search(b"", example_copy, find_pagefind())
    marked = search.index_search(b"", example_copy, find_pagefind(), pages=pages)
    assert "--glob" not in commands[0]
    glob = commands[1][commands[1].index("--glob") + 1]
    assert "briefings/**/*.html" in glob and "actors/**/*.html" in glob
    assert "relations" not in glob and "tags" not in glob and "index.html" not in glob
    assert marked.problem is None and marked.files == every.files  # the same index, byte for byte


def test_pages_a_site_template_marks_are_indexed_wherever_they_are(make_site: MakeSite) -> None:
    theme_tag = (REPO / "briefgen/theme/templates/tag.html").read_text()
    marked_tag = theme_tag.replace("{% block main %}", "{% block main %}<div data-pagefind-body>", 1)
    marked_tag = marked_tag.replace("{% endblock %}", "</div>{% endblock %}", 1)
    assert marked_tag != theme_tag
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(tags="[diplomacy]"),
                      "templates/tag.html": marked_tag})
    build_site(root)
    out = root / "build"
    assert any("data-pagefind-body" in p.read_text() for p in (out / "tags").rglob("*.html"))
    assert indexed_pages(out) == marked_pages(out)


def test_an_output_whose_layout_changes_is_made_anew_with_its_search_index(make_site: MakeSite,
                                                                          tmp_path: Path) -> None:
    """A file of static/ becomes a folder: the output folder is made anew, search index too
    (the retry kept the old index's files, found the layout changed again, and recursed)."""
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(), "static/x": "a file\n"})
    build_site(root, use_cache=True)
    (root / "static/x").unlink()
    (root / "static/x").mkdir()
    (root / "static/x/index.html").write_text("a folder\n")
    build_site(root, use_cache=True)
    build_site(root, tmp_path / "clean")
    assert snapshot(root / "build") == snapshot(tmp_path / "clean")
    assert (root / "build/pagefind/pagefind-entry.json").is_file()
