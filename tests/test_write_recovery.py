"""Writing after a killed build, and a commit that fails: the output folder stays whole."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen import write
from briefgen.build import build_site
from briefgen.errors import BuildError
from briefgen.render import OutputFile
from briefgen.scaffold import GITIGNORE
from briefgen.write import write_site
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing

BRIEF = "content/briefings/2024-05-08-talks.md"
SECOND = "content/briefings/2024-06-09-second.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    """Every file and folder under `folder` with its inode: a file put back is the same file."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")}


def dead_pid() -> int:
    """The id of a process that has ended (and was waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# A build killed halfway leaves temporary files in the output ---------------------------------


def test_a_leftover_temp_of_a_page_the_next_build_creates_is_not_an_output(make_site: MakeSite) -> None:
    """A killed build's temporary file for a new page, for a page already there and for a
    page that is gone: the next build succeeds and its output is a clean build's."""
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Putin]")})
    build_site(root, search=False)
    (root / SECOND).write_text(briefing("A second briefing", "2024-06-09"))
    out = root / "build"
    leftovers = ["briefings/second/.index.html.briefgen-tmp",  # the page the next build creates
                 "briefings/talks/.index.html.briefgen-tmp",  # a page already there
                 "briefings/gone/.index.html.briefgen-tmp"]  # a page no build makes
    for leftover in leftovers:
        (out / leftover).parent.mkdir(parents=True, exist_ok=True)
        (out / leftover).write_bytes(b"partial")
    build_site(root, search=False)
    build_site(root, out_dir=root / "clean", search=False)
    assert tree(out) == tree(root / "clean")
    assert not (out / "briefings/gone").exists()
    build_site(root, search=False)  # and the build after it too
    assert tree(out) == tree(root / "clean")


def test_a_leftover_temp_is_never_kept_nor_taken_for_an_output(tmp_path: Path) -> None:
    """Straight into `write`: a leftover beside a file the write leaves unchanged, and one
    whose name the write uses itself, are both gone after it."""
    out = tmp_path / "out"
    write_site(out, [OutputFile("a.html", b"A"), OutputFile("b/index.html", b"B")])
    (out / ".a.html.briefgen-tmp").write_bytes(b"old A")
    (out / "c").mkdir()
    (out / "c/.index.html.briefgen-tmp").write_bytes(b"old C")
    scan = write.scan_output(out)
    assert set(scan.files) == {"a.html", "b/index.html"}
    write_site(out, [OutputFile("a.html", b"A"), OutputFile("b/index.html", b"B"),
                     OutputFile("c/index.html", b"C")])
    assert tree(out) == {"a.html": b"A", "b/index.html": b"B", "c/index.html": b"C"}


def test_a_leftover_folder_with_this_process_id_is_not_staged_into(tmp_path: Path) -> None:
    """Process ids come round again (a container's build often has the same one): a
    staging folder left by a killed build under this process's id is not published."""
    out = tmp_path / "out"
    leftover = write._staging(out)
    leftover.mkdir()
    (leftover / "junk.html").write_bytes(b"from a killed build")
    write_site(out, [OutputFile("index.html", b"new")])
    assert tree(out) == {"index.html": b"new"}


# A commit that fails is undone ---------------------------------------------------------------


class Failing:
    """Counts the moves that `commit` makes (renames, swaps, links) and fails the `nth`
    (and those of `then`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, nth: int, *then: int) -> None:
        self.calls, self.failing = 0, {nth, *then}
        for name in ("_rename", "_exchanged", "_link"):
            real = getattr(write, name, None)
            if real is not None:
                monkeypatch.setattr(write, name, self.wrap(real))

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def move(*args: Any) -> Any:
            self.calls += 1
            if self.calls in self.failing:
                raise PermissionError(errno.EACCES, "Permission denied", str(args[-1]))
            return real(*args)
        return move


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if write.TEMP_SUFFIX in p.name or ".briefgen-old" in p.name]


BEFORE = [OutputFile("a.html", b"A1"), OutputFile("b/index.html", b"B1"), OutputFile("d/stale.html", b"D1"),
          OutputFile("z.html", b"Z1")]
AFTER = [OutputFile("a.html", b"A2"), OutputFile("b/index.html", b"B2"), OutputFile("e/f/new.html", b"E2"),
         OutputFile("z.html", b"Z2")]


@pytest.mark.parametrize("swapping", [True, False], ids=["swap", "rename"])
def test_a_commit_that_fails_midway_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              swapping: bool) -> None:
    """Whichever move fails (replaced files, a new file, a stale one), the output is put
    back as it was, the very same files, and nothing temporary is left."""
    out = tmp_path / "out"
    if not swapping:
        monkeypatch.setattr(write, "spare_folder", lambda *_args: None)
    write_site(out, BEFORE)
    write_site(out, [OutputFile(f.path, f.data.replace(b"1", b"0")) for f in BEFORE])  # a spare copy each
    write_site(out, BEFORE)
    before, files = inodes(out), tree(out)
    nth = 1
    while True:
        with monkeypatch.context() as patched:
            failing = Failing(patched, nth)
            try:
                write_site(out, AFTER)
            except BuildError as error:
                assert "Permission denied" in str(error) and "put back as it was" in str(error)
            else:
                break
            finally:
                assert failing.calls >= 1, "commit moved nothing through the patched functions"
        assert tree(out) == files and inodes(out) == before, f"move {nth} failed"
        assert no_temporary_files(out)
        nth += 1
    assert nth > 5  # every rewritten, new and stale file was failed once
    assert tree(out) == {f.path: f.data for f in AFTER} and no_temporary_files(out)


def test_a_commit_that_cannot_be_undone_says_what_it_left(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The new file fails, then so does putting back a file already swapped: the error says
    which file holds which version, and where the previous one is."""
    out = tmp_path / "out"
    for files in (BEFORE, [OutputFile(f.path, f.data.replace(b"1", b"0")) for f in BEFORE], BEFORE):
        write_site(out, files)
    spare = write.spare_folder(out)
    if spare is None:
        pytest.skip("files cannot be swapped here")
    Failing(monkeypatch, 3, 4)  # swap a.html, swap b/index.html, rename new.html (fails); b back (fails)
    with pytest.raises(BuildError) as failed:
        write_site(out, AFTER)
    assert f"could not put {out}/e/f/new.html in place: Permission denied" in str(failed.value)
    assert (f"could not be put back entirely: {out}/b/index.html holds the new version, the previous "
            f"one is {spare}/b/index.html") in str(failed.value)
    assert tree(out) == {"a.html": b"A1", "b/index.html": b"B2", "d/stale.html": b"D1", "z.html": b"Z1"}
    assert (spare / "b/index.html").read_bytes() == b"B1" and no_temporary_files(out)


@pytest.mark.parametrize("layout", ["first", "reshaped"])
def test_a_commit_of_a_new_output_folder_that_fails_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              layout: str) -> None:
    """A first build, or one whose output changed shape (a folder where a file was), is
    staged in a folder of its own: when it cannot take the output's place, the previous
    output (or none) stays, and the staging folder goes."""
    out = tmp_path / "out"
    if layout == "reshaped":
        write_site(out, [OutputFile("x", b"file")])
    files = tree(out) if out.exists() else None
    for nth in (1, 2):
        with monkeypatch.context() as patched:
            Failing(patched, nth)
            with pytest.raises(BuildError, match=r"Permission denied.*put back as it was"):
                write_site(out, [OutputFile("x/index.html", b"folder")])
        assert (tree(out) if out.exists() else None) == files
        assert sorted(p.name for p in tmp_path.iterdir()) == (["out"] if files else [])
        if layout == "first":
            break  # nothing to move aside: one move only


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """`immutable(path)`: no one, root included, may rename or remove it (until the test ends)."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0 or shutil.which("chattr") is None:
            pytest.skip("needs root and chattr")
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("this file system has no immutable files")
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("locked", ["index.html", "briefings/talks"])
def test_a_file_that_cannot_be_replaced_fails_the_build_and_leaves_the_output_as_it_was(
        make_site: MakeSite, immutable: Callable[[Path], None], locked: str) -> None:
    """A file (or a folder) of build/ that may not be changed, even by root: a clear error
    naming it, and build/ as the last good build left it."""
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Putin]")})
    build_site(root, search=False)
    out = root / "build"
    before, files = inodes(out), tree(out)
    (root / BRIEF).write_text(briefing("Retitled", actors="[Putin]"))
    actor = root / "content/actors/vladimir-putin.md"
    actor.write_text(actor.read_text().replace("President of Russia.", "Head of state."))
    immutable(out / locked)
    with pytest.raises(BuildError, match=rf"{locked}.*Operation not permitted.*put back"):
        build_site(root, search=False)
    assert tree(out) == files and inodes(out) == before
    assert no_temporary_files(out)


# Leftovers beside the output ----------------------------------------------------------------


def test_leftovers_of_a_killed_build_beside_the_output_are_removed_by_the_next(make_site: MakeSite) -> None:
    """Staging and retired folders (and probes) of builds whose process is gone go; those of
    a running process, of another output and anything not named as briefgen names them stay."""
    root = make_site({BRIEF: briefing()})
    dead, alive = dead_pid(), os.getppid()
    gone = [f".build.briefgen-staging-{dead}", f".build.briefgen-old-{dead}", f".build.staging-{dead}",
            f".build.old-{dead}"]
    kept = [f".build.briefgen-staging-{alive}", f".build.staging-{alive}", ".build.staging-mine",
            f".other.briefgen-staging-{dead}", f"build.staging-{dead}"]
    for name in gone + kept:
        (root / name / "briefings/talks").mkdir(parents=True)
        (root / name / "briefings/talks/index.html").write_bytes(b"partial")
    (root / f".build.briefgen-probe-{dead}-a").write_bytes(b"a")
    build_site(root, search=False)
    sources = ("content", "site.yaml", ".build.briefgen-spare")
    assert sorted(p.name for p in root.iterdir() if p.name not in sources) == sorted(["build", *kept])


@pytest.mark.parametrize("ignore", [GITIGNORE, (REPO / ".gitignore").read_text()],
                         ids=["scaffold", "repository"])
def test_what_a_build_leaves_beside_the_output_is_git_ignored(tmp_path: Path, ignore: str) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    (tmp_path / ".gitignore").write_text(ignore)
    names = [".build.briefgen-spare/x.html", f".build.briefgen-staging-{os.getpid()}/x.html",
             f".build.briefgen-old-{os.getpid()}/x.html", "build/x.html"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    checked = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "--no-index", *names],
                             capture_output=True, text=True)
    assert sorted(checked.stdout.split()) == sorted(names)
