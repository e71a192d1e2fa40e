"""Full-text search: the built pages indexed by Pagefind into the site's `pagefind/` folder.

This is the pipeline's post-processing step: once the pages are written,
Pagefind's bundled binary indexes the output folder (only the pages marked
`data-pagefind-body`, as Pagefind does when any page is marked) into a
temporary folder, and the build writes those files into `pagefind/` like
any output: an unchanged index file is not rewritten, a stale one is removed.
Pagefind's output is a function of its input, so a rebuild of unchanged
content writes nothing.

Pagefind has no incremental mode, so with a cache folder the bundle is kept
there under a key that changes whenever any page's bytes do (the build
passes its pages' input digests): a build whose pages did not change reuses
the bundle without running Pagefind. Only the latest bundle is kept.

When the binary is missing or fails, the site is built without an index and
the reason is returned for the build to report; the search page then says
that search is unavailable.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.render import OutputFile

SEARCH_DIR = "pagefind"
TIMEOUT_SECONDS = 600
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"


@dataclass(frozen=True)
class SearchIndex:
    """Pagefind's files for the output folder, or why there are none."""

    files: tuple[OutputFile, ...]
    problem: str | None = None


def find_pagefind() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` package ships."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index_search(pages_key: bytes, site_dir: Path, executable: Path | None,
                 cache_dir: Path | None = None) -> SearchIndex:
    """Index the HTML pages in `site_dir`; `pages_key` must change whenever a page does."""
    if executable is None:
        return SearchIndex((), f"the Pagefind binary was not found; {INSTALL_HINT}")
    cached = cache_dir / _cache_key(pages_key, executable) if cache_dir is not None else None
    if cached is not None and cached.is_dir():
        return SearchIndex(_read_bundle(cached))
    index = _run_pagefind(site_dir, executable)
    if index.problem is None and cache_dir is not None and cached is not None:
        _store(cache_dir, cached, index.files)
    return index


def _cache_key(pages_key: bytes, executable: Path) -> str:
    digest = hashlib.sha256()
    try:
        found = executable.stat()
        digest.update(f"{executable.resolve()}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
    except OSError:
        digest.update(f"{executable}\0".encode())
    digest.update(pages_key)
    return digest.hexdigest()[:32]


def _store(cache_dir: Path, target: Path, files: Sequence[OutputFile]) -> None:
    """Keep `files` as the only cached bundle; a cache that cannot be written is skipped."""
    staging = cache_dir / f".{target.name}.tmp"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        for file in files:
            path = staging / file.path.removeprefix(f"{SEARCH_DIR}/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.data)
        staging.rename(target)
        for old in cache_dir.iterdir():
            if old != target:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _read_bundle(bundle: Path) -> tuple[OutputFile, ...]:
    return tuple(
        OutputFile(f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
        for path in sorted(bundle.rglob("*")) if path.is_file()
    )


def _run_pagefind(site: Path, executable: Path) -> SearchIndex:
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as temp:
        bundle = Path(temp) / SEARCH_DIR
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--quiet"]
        try:
            run = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                 timeout=TIMEOUT_SECONDS, check=False)
        except OSError as exc:
            return SearchIndex((), f"could not run Pagefind ({executable}): {exc.strerror or exc}; "
                                   f"{INSTALL_HINT}")
        except subprocess.TimeoutExpired:
            return SearchIndex((), f"Pagefind took longer than {TIMEOUT_SECONDS}s and was stopped")
        if run.returncode != 0:
            said = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
            return SearchIndex((), f"Pagefind failed (exit code {run.returncode})"
                                   + (f": {' '.join(said)}" if said else ""))
        if not bundle.is_dir():
            return SearchIndex((), f"Pagefind wrote no index (looked for {bundle.name}/)")
        return SearchIndex(_read_bundle(bundle))
