"""One build at a time: a build waits while another process builds the same site."""

from __future__ import annotations

import multiprocessing
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from briefgen.build import BuildResult, build_site
from briefgen.cache import RACY_SECONDS, BuildCache
from briefgen.lock import WAITING, one_build_at_a_time
from tests.conftest import REPO, copy_example_site
from tests.test_incremental import age_sources

# A process that holds the site's locks, as a build does, until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from briefgen.lock import one_build_at_a_time
root, out = Path(sys.argv[1]), Path(sys.argv[2])
with one_build_at_a_time(root, out, print):
    print("held", flush=True)
    sys.stdin.read()
"""


def _hold(root: Path, out: Path | None = None, timeout: float = 120) -> subprocess.Popen[str]:
    """A process holding the locks of a build of `root` into `out`, once it says so."""
    out = out or root / "build"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(out)], cwd=REPO, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None
    said: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: said.put(holder.stdout.readline() if holder.stdout else ""),
                     daemon=True).start()
    try:
        assert said.get(timeout=timeout) == "held\n"
    except BaseException:
        holder.kill()
        raise
    return holder


def _build_in_thread(root: Path, told: queue.Queue[str],
                     out: Path | None = None) -> tuple[threading.Thread, list[BuildResult]]:
    results: list[BuildResult] = []
    thread = threading.Thread(target=lambda: results.append(
        build_site(root, out, search=False, use_cache=True, workers=1, warn=told.put)))
    thread.start()
    return thread, results


def test_a_build_waits_for_the_build_that_holds_the_site_and_leaves_no_lock_file(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    before = {path.name for path in root.iterdir()}
    holder = _hold(root)
    told: queue.Queue[str] = queue.Queue()
    try:
        thread, results = _build_in_thread(root, told)
        assert told.get(timeout=60) == WAITING
        thread.join(timeout=1)
        assert thread.is_alive() and not (root / "build").exists()  # waiting, and nothing written yet
    finally:
        holder.communicate("")  # releases the locks
    thread.join(timeout=120)
    assert results and results[0].pages > 20 and (root / "build" / "index.html").is_file()
    assert {path.name for path in root.iterdir()} == before | {"build", ".briefgen-cache"}
    assert told.empty()


def test_another_site_built_into_the_same_output_folder_waits_too(tmp_path: Path) -> None:
    one, other = (copy_example_site(tmp_path / name) for name in ("one", "other"))
    out = tmp_path / "shared" / "site"  # its folder does not exist yet: the first build makes it
    holder = _hold(one, out)
    told: queue.Queue[str] = queue.Queue()
    try:
        thread, results = _build_in_thread(other, told, out)
        assert told.get(timeout=60) == WAITING
        assert out.parent.is_dir() and not out.exists()
    finally:
        holder.communicate("")
    thread.join(timeout=120)
    assert results and (out / "index.html").is_file()


def test_a_killed_build_leaves_the_site_unlocked(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    holder = _hold(root)
    holder.kill()
    holder.wait()
    told: queue.Queue[str] = queue.Queue()
    thread, results = _build_in_thread(root, told)
    thread.join(timeout=120)
    assert results and (root / "build" / "index.html").is_file()
    assert told.empty()  # it never waited


def test_a_worker_forked_during_a_build_does_not_keep_the_site_locked(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    with one_build_at_a_time(root, root / "build", print):
        worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,), daemon=True)
        worker.start()  # it shares the locked folders' descriptors
    try:
        holder = _hold(root, timeout=30)  # would wait until the worker exits
        holder.communicate("")
    finally:
        worker.kill()
        worker.join()


def test_builds_started_together_all_succeed_with_the_output_of_one_build(tmp_path: Path) -> None:
    # Without the lock, two builds writing at once staged files under the same temporary
    # names, and one of them crashed in its commit (5 rounds of 6, measured).
    root = copy_example_site(tmp_path / "site")
    command = [sys.executable, "-m", "briefgen", "build", "--no-search", "--root", str(root)]
    subprocess.run(command, cwd=REPO, capture_output=True, check=True, timeout=120)
    footer = root / "templates" / "partials" / "footer.html"  # on every page
    for round_ in range(3):
        footer.write_text(footer.read_text() + f"<!-- round {round_} -->\n")
        builds = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True) for _ in range(2)]
        outcomes = [(build.communicate(timeout=120)[1], build.returncode) for build in builds]
        assert [code for _, code in outcomes] == [0, 0], outcomes
        assert f"<!-- round {round_} -->" in (root / "build" / "index.html").read_text()
    clean = tmp_path / "clean"
    build_site(root, clean, search=False, workers=1)
    assert _tree(root / "build") == _tree(clean)


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def test_the_preview_and_a_published_build_take_turns_on_one_output(tmp_path: Path) -> None:
    # The preview server (a kept site, drafts shown, no search) and `briefgen build` (its
    # disk cache, no drafts) write the same build/: each, after the other, makes exactly
    # what a clean build with its own options makes.
    root = copy_example_site(tmp_path / "site")
    draft = root / "content" / "briefings" / "2024-06-01-a-draft.md"
    draft.write_text("---\ntitle: A draft\ndate: 2024-06-01\ndraft: true\n---\nNot yet.\n", encoding="utf-8")
    age_sources(root)  # saved a while ago, as a writer's files are
    kept = BuildCache()

    def preview() -> BuildResult:
        return build_site(root, drafts=True, search=False, publishing=False, cache=kept, workers=1)

    def published() -> BuildResult:
        return build_site(root, search=False, use_cache=True, workers=1)

    def clean(**options: bool) -> dict[str, bytes]:
        out = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
        build_site(root, out, search=False, workers=1, **options)
        return _tree(out)

    preview()
    published()
    assert _tree(root / "build") == clean()
    first = next((root / "content" / "briefings").glob("20*.md"))
    first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1),
                     encoding="utf-8")
    time.sleep(RACY_SECONDS + 0.1)  # an mtime this recent proves nothing: the builds would look harder
    assert preview().reshaped
    assert _tree(root / "build") == clean(drafts=True, publishing=False)
    assert (root / "build" / "briefings" / "a-draft" / "index.html").is_file()
    published()
    assert _tree(root / "build") == clean()
