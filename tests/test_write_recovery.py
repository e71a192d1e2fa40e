"""Writing after a killed build, and a commit that fails: the output folder stays whole."""

from __future__ import annotations

from pathlib import Path

from briefgen import write
from briefgen.build import build_site
from briefgen.render import OutputFile
from briefgen.write import write_site
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite, briefing

BRIEF = "content/briefings/2024-05-08-talks.md"
SECOND = "content/briefings/2024-06-09-second.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    """Every file and folder under `folder` with its inode: a file put back is the same file."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")}



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
