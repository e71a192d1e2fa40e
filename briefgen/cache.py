"""The build cache: what earlier builds computed, reused when its inputs are unchanged.

Three tables, each keyed so that a hit can only happen when the inputs are
the same:

- records: a content file's parsed record, by path, trusted while the file's
  size and mtime are unchanged (and re-hashed when the mtime is too close to
  the time the cache was saved to tell edits apart, as git does);
- bodies: a rendered Markdown body, by the digest of its text and of every
  setting that shapes its HTML; a change of the entity registry re-checks
  only the mentions, not the whole render;
- pages: the digest of each output page's inputs (template sources, site
  data, page data, briefgen version), with the size and mtime of the file
  written for it, so an unchanged page is neither rendered nor written.

The cache lives in `.briefgen-cache/` beside `site.yaml`. It is a pickle
read back with an allow-list of classes, so a foreign or tampered file can
build nothing but briefgen's own records; anything unexpected discards the
whole cache with a warning.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen import __version__

CACHE_DIR = ".briefgen-cache"
CACHE_FILE = "cache.pickle"
FORMAT = 1
MAGIC = b"briefgen-cache\n"
RACY_SECONDS = 2.0

_ALLOWED_MODULES = ("briefgen.",)
_ALLOWED_GLOBALS = {
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
    ("builtins", "set"), ("builtins", "frozenset"), ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


def salt() -> str:
    """What a cache must have been written by to be trusted."""
    return f"{FORMAT}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"


@dataclass
class RecordEntry:
    size: int
    mtime_ns: int
    digest: str
    value: Any


@dataclass
class PageEntry:
    digest: bytes
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    """Mutable by design: stages fill it as they work; `save` persists it after a good build."""

    records: dict[str, RecordEntry] = field(default_factory=dict)
    bodies: dict[bytes, Any] = field(default_factory=dict)
    pages: dict[str, PageEntry] = field(default_factory=dict)
    saved_at: float = 0.0
    dirty: bool = False

    def is_racy(self, mtime_ns: int) -> bool:
        """True when a file changed so close to the last save that its mtime proves nothing."""
        return mtime_ns / 1e9 >= self.saved_at - RACY_SECONDS


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_ALLOWED_MODULES) or (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"class {module}.{name} is not allowed in a cache")


def cache_path(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def load_cache(root: Path, warn: Callable[[str], None]) -> BuildCache:
    """The cache of `root`, or an empty one (with a warning if one existed but was unusable)."""
    path = cache_path(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return BuildCache()
    except OSError as exc:
        warn(f"cannot read the build cache ({exc}); building without it")
        return BuildCache()
    header = MAGIC + salt().encode() + b"\n"
    if not raw.startswith(header):
        warn(f"discarding the build cache in {path.parent}: written by another briefgen or Python")
        return BuildCache()
    try:
        cache = _AllowListUnpickler(io.BytesIO(raw[len(header):])).load()
        if not isinstance(cache, BuildCache):
            raise pickle.UnpicklingError("not a build cache")
        _check_shape(cache)
    except Exception as exc:  # any damage at all means: do not trust it
        warn(f"discarding a corrupt build cache in {path.parent} ({type(exc).__name__}: {exc})")
        return BuildCache()
    cache.dirty = False
    return cache


def _check_shape(cache: BuildCache) -> None:
    if not (isinstance(cache.records, dict) and isinstance(cache.bodies, dict)
            and isinstance(cache.pages, dict) and isinstance(cache.saved_at, float)):
        raise pickle.UnpicklingError("unexpected cache layout")
    for path, entry in cache.records.items():
        if not (isinstance(path, str) and isinstance(entry, RecordEntry)):
            raise pickle.UnpicklingError("unexpected record entry")
    for out, page in cache.pages.items():
        if not (isinstance(out, str) and isinstance(page, PageEntry)):
            raise pickle.UnpicklingError("unexpected page entry")


def save_cache(root: Path, cache: BuildCache) -> None:
    """Write the cache atomically, and only when something in it changed."""
    if not cache.dirty:
        return
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    cache.saved_at = time.time()
    cache.dirty = False
    temp = folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
    with temp.open("wb") as handle:
        handle.write(MAGIC + salt().encode() + b"\n")
        pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temp.replace(cache_path(root))


def digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def data_digest(value: Any) -> bytes:
    """A digest of plain data (dicts, lists, text, numbers) that depends only on its value."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: object identity must not change the bytes
    pickler.dump(value)
    return digest(buffer.getvalue())
