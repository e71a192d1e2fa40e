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
the bundle without running Pagefind. Only the latest bundle is kept, as one
uncompressed zip file (its fragments are gzipped already): a bundle has a
file per page, and writing 10,000 files into the cache and deleting as many
on every edit cost 1.5 s at 10,000 briefings and slowed the disk after. For
the same reason Pagefind writes into memory (`/dev/shm`) where there is room.

When the binary is missing or fails, the site is built without an index and
the reason is returned for the build to report; the search page then says
that search is unavailable.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.render import OutputFile

SEARCH_DIR = "pagefind"
TIMEOUT_SECONDS = 600
MEMORY_SCRATCH = Path("/dev/shm")
MARK = b"data-pagefind-body"  # what marks a page for indexing; with none marked, Pagefind takes all
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


def index_search(pages_key: bytes, site_dir: Path, executable: Path | None, cache_dir: Path | None = None,
                 pages: Sequence[str] = (), pages_size: int = 0) -> SearchIndex:
    """Index the HTML pages in `site_dir`; `pages_key` must change whenever a page does.
    `pages`, the HTML files' paths in `site_dir` when known, let Pagefind read only the
    folders that hold a page marked for it (`_marked_folders`). `pages_size`, their
    bytes, bounds the bundle's: Pagefind writes into memory only where that much is
    free (a container's /dev/shm is often 64 MB)."""
    if executable is None:
        return SearchIndex((), f"the Pagefind binary was not found; {INSTALL_HINT}")
    cached = cache_dir / f"{_cache_key(pages_key, executable)}.zip" if cache_dir is not None else None
    if cached is not None and (files := _unzip(cached)) is not None:
        return SearchIndex(files)
    index = _run_pagefind(site_dir, executable, _scratch(pages_size), _marked_folders(site_dir, pages))
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
    staging = target.with_name(f".{target.name}.tmp")
    try:
        if (cache_dir.exists() or cache_dir.is_symlink()) and not cache_dir.is_dir():
            cache_dir.unlink()  # damage: a file where the folder belongs
        cache_dir.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(staging, "w", zipfile.ZIP_STORED) as bundle:
            for file in files:
                bundle.writestr(file.path, file.data)
        staging.replace(target)
        for old in cache_dir.iterdir():
            if old == target:
                continue
            if old.is_dir():  # a bundle kept by an older briefgen, as a folder
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)


def _unzip(bundle: Path) -> tuple[OutputFile, ...] | None:
    """The cached bundle, or None when there is none or it is damaged or not ours (a
    file outside `pagefind/`): then Pagefind runs again and the bundle is replaced."""
    try:
        with zipfile.ZipFile(bundle) as archive:
            names = archive.namelist()
            if not all(_inside_bundle(name) for name in names):
                return None
            return tuple(OutputFile(name, archive.read(name)) for name in sorted(names))
    except (OSError, zipfile.BadZipFile, ValueError):
        return None


def _inside_bundle(name: str) -> bool:
    parts = name.split("/")
    return parts[0] == SEARCH_DIR and len(parts) > 1 and all(p not in ("", ".", "..") for p in parts)


def _read_bundle(bundle: Path) -> tuple[OutputFile, ...]:
    return tuple(
        OutputFile(f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
        for path in sorted(bundle.rglob("*")) if path.is_file()
    )


def _marked_folders(site: Path, pages: Sequence[str]) -> str | None:
    """A glob of the top-level folders (and files) of `site` that hold a page marked
    `data-pagefind-body`, or None for Pagefind's own (every HTML file): when no page
    is marked (Pagefind then indexes every page whole) or a name would need quoting.

    Pagefind parses every page it is given, marked or not: at 10,000 briefings the
    relation and tag pages, marked by no template, cost it 4 of its 25 s. Its index
    is the same without them. A folder is read until its first marked page.
    """
    folders: dict[str, list[str]] = {}
    for path in pages:
        folders.setdefault(path.split("/", 1)[0], []).append(path)
    marked = [name for name, paths in sorted(folders.items()) if any(_marked(site / path) for path in paths)]
    if not marked or not all(_PLAIN_NAME.fullmatch(name) for name in marked):
        return None
    return "{" + ",".join(name if name in folders[name] else f"{name}/**/*.html" for name in marked) + "}"


_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")


def _marked(page: Path) -> bool:
    try:
        return MARK in page.read_bytes()
    except OSError:
        return True  # Pagefind will say what is wrong with it


def _run_pagefind(site: Path, executable: Path, scratch: Path | None, glob: str | None) -> SearchIndex:
    with tempfile.TemporaryDirectory(prefix="briefgen-search-", dir=scratch) as temp:
        bundle = Path(temp) / SEARCH_DIR
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--quiet",
                   *(["--glob", glob] if glob is not None else [])]
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


def _scratch(needed: int) -> Path | None:
    """Memory-backed scratch space (Linux's /dev/shm) when it has `needed` bytes free, else
    None (the default temporary folder)."""
    memory = MEMORY_SCRATCH
    try:
        found = os.statvfs(memory)
    except OSError:
        return None
    roomy = found.f_bavail * found.f_frsize >= needed
    return memory if roomy and memory.is_dir() and os.access(memory, os.W_OK) else None
