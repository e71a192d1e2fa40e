"""The build cache: what earlier builds computed, reused when its inputs are unchanged.

Tables, each keyed so that a hit can only happen when the inputs are the same:

- records: a content file's parsed record, by path, trusted while the file's
  size and mtime are unchanged (and re-hashed when the mtime is too close to
  the time the cache was saved to tell edits apart, as git does);
- bodies: a rendered Markdown body, by the digest of its text and of every
  setting that shapes its HTML; a change of the entity registry re-checks
  only the mentions, not the whole render, in the text the matcher searched
  (the `searched` table, written early and read back only for that re-check,
  so a large site does not hold it in memory); `checked` says, by the same
  key, for which registry (its matcher's fingerprint) a body's mentions hold,
  in a table of its own so that a re-check does not rewrite the bodies;
- memo: results of the site model's costlier steps, by a digest of their inputs;
- pages: the digest of each output page's inputs (template sources, site
  data, page data, briefgen's code), with the size and mtime of the file
  written for it, so an unchanged page is neither rendered nor written; and,
  for a page whose builder can tell, a cheap digest of its inputs made without
  making its data, so an unchanged page is not even digested.

A manifest also records a stamp of every input file and the size and mtime of
every output file after the last good build: when neither changed, a build
has nothing to do and stops after reading the manifest alone.

The cache lives in `.briefgen-cache/` beside `site.yaml`, as a small manifest
and sharded tables, so that one edit rewrites one shard, not the whole cache.
Each file is a pickle read back with an allow-list of classes, so a foreign
or tampered file can build nothing but briefgen's own records; anything
unexpected discards the whole cache with a warning.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from briefgen.identity import identity

CACHE_DIR = ".briefgen-cache"
MANIFEST = "manifest.pickle"
READS = "reads.pickle"
SHARDS = 16
TABLES = ("records", "bodies", "checked", "memo")
SPILLED = "searched"
FORMAT = 13
MAGIC = b"briefgen-cache\n"
RACY_SECONDS = 2.0

T = TypeVar("T")


class Revise(Protocol):
    """Something that keeps one result by name between builds: `revise(name, key, compute)`
    gives the kept result when `key` (a digest of everything it depends on) is the one
    it was made for, else `compute(earlier)`, where `earlier` is the kept result (None
    when there is none), from which `compute` may revise the new one."""

    def __call__(self, name: str, key: bytes, compute: Callable[[T | None], T]) -> T: ...


def no_revise(name: str, key: bytes, compute: Callable[[T | None], T]) -> T:
    """The `Revise` of a build without a cache: always computes afresh."""
    return compute(None)

_ALLOWED_MODULES = ("briefgen.",)
_ALLOWED_GLOBALS = {
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
    ("builtins", "set"), ("builtins", "frozenset"), ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


def salt() -> str:
    """What a cache must have been written by to be trusted."""
    return f"{FORMAT}:{identity()}:{sys.version_info[0]}.{sys.version_info[1]}"


# What a file's stat says of its bytes: (size, mtime, ctime), times in ns (`stamp_of`).
Stamp = tuple[int, int, int]


def stamp_of(found: os.stat_result) -> Stamp:
    """A file's size, mtime and inode change time (ctime).

    Size and mtime alone miss a file replaced by another of the same size and mtime,
    as `cp -p`, `rsync -a`, `tar x` or unzipping an older version write it: each sets
    the mtime back, but none can set the ctime. Whether a stamp is too recent to
    prove anything goes by the mtime (`BuildCache.is_racy`).
    """
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns


@dataclass
class RecordEntry:
    stamp: Stamp  # the file's when it was read
    digest: str
    value: Any


@dataclass
class PageEntry:
    digest: bytes
    size: int
    mtime_ns: int
    inputs: bytes = b""  # the cheap digest of its inputs (`PageSpec.inputs`) that went with `digest`


@dataclass
class Manifest:
    """What the last good build started from and left behind."""

    saved_at: float = 0.0
    stamp: bytes = b""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    pages: dict[str, PageEntry] = field(default_factory=dict)
    summary: Any = None
    prose: Any = None  # what a prose edit needs (`briefgen.prose_edit.ProseState`)
    reads: bytes = b""  # names the pages' reads (`READS`) that hold for this build (`briefgen.settle`)
    templates: dict[str, bytes] = field(default_factory=dict)  # page template -> what its pages were made of


@dataclass
class BuildCache:
    """Mutable by design: stages fill it as they work; `save_cache` persists what changed."""

    records: dict[str, RecordEntry] = field(default_factory=dict)
    bodies: dict[bytes, Any] = field(default_factory=dict)
    checked: dict[bytes, str] = field(default_factory=dict)
    memo: dict[bytes, Any] = field(default_factory=dict)
    manifest: Manifest = field(default_factory=Manifest)
    changed: set[tuple[str, int]] = field(default_factory=set)
    memo_used: set[bytes] = field(default_factory=set)
    folder: Path | None = None  # where the cache lives on disk, if it does
    # The "searched" table (SPILLED): what is not on disk yet; read back by shard, on demand.
    searched: dict[bytes, Any] = field(default_factory=dict)
    searched_used: set[bytes] | None = None
    _spilled: dict[int, dict[bytes, Any]] = field(default_factory=dict)
    # The files on disk are not this cache's (it replaces a discarded one): the next
    # save writes every shard, so that none of theirs is left to discard it again.
    replaces: bool = False
    # The site a long-lived build last built (`briefgen.kept.KeptSite`), in memory only.
    kept: Any = None
    # Jinja's compiled templates by cache key (`render.make_environment`), in memory only:
    # compiled code is never read from disk, where a foreign cache could have put it.
    compiled: dict[str, bytes] = field(default_factory=dict)
    # The briefing cards' HTML of the last build (`briefgen.render.KeptCards`), in memory only.
    cards: Any = None
    # The templates each template names, by its name and source (`briefgen.template_inputs`),
    # in memory only: a long-lived build parses only the templates that changed.
    referenced: dict[bytes, Any] = field(default_factory=dict)
    # What the pages of this build read (`briefgen.settle.PageReads`), to be saved with it.
    reads: Any = None

    @property
    def pages(self) -> dict[str, PageEntry]:
        return self.manifest.pages

    @property
    def saved_at(self) -> float:
        return self.manifest.saved_at

    def is_racy(self, mtime_ns: int) -> bool:
        """True when a file changed so close to the last save that its mtime proves nothing."""
        return mtime_ns / 1e9 >= self.manifest.saved_at - RACY_SECONDS

    def set_record(self, path: str, entry: RecordEntry) -> None:
        self.records[path] = entry
        self.changed.add(("records", shard(path)))

    def drop_record(self, path: str) -> None:
        del self.records[path]
        self.changed.add(("records", shard(path)))

    def set_body(self, key: bytes, entry: Any) -> None:
        self.bodies[key] = entry
        self.changed.add(("bodies", shard(key)))

    def drop_body(self, key: bytes) -> None:
        del self.bodies[key]
        self.checked.pop(key, None)
        self.changed.add(("bodies", shard(key)))
        self.changed.add(("checked", shard(key)))

    def set_checked(self, key: bytes, fingerprint: str) -> None:
        """The body of `key` holds for the registry whose matcher has this fingerprint."""
        if self.checked.get(key) != fingerprint:
            self.checked[key] = fingerprint
            self.changed.add(("checked", shard(key)))

    def set_searched(self, key: bytes, value: Any) -> None:
        self.searched[key] = value
        self.changed.add((SPILLED, shard(key)))

    def drop_searched(self, key: bytes) -> None:
        self.searched.pop(key, None)
        self.changed.add((SPILLED, shard(key)))

    def searched_for(self, key: bytes) -> Any | None:
        """The searched-table entry of `key`: in memory, or read back from its shard on disk."""
        if key in self.searched:
            return self.searched[key]
        if self.folder is None:
            return None
        number = shard(key)
        if number not in self._spilled:  # one shard in memory at a time: ask by shard
            self._spilled = {number: read_part(self.folder / part_name(SPILLED, number))}
        return self._spilled[number].get(key)

    def spill_searched(self, folder: Path | None = None) -> None:
        """Write the searched table's changed shards to disk now, and keep none of it in
        memory: it is read only when the registry changed, and a large site's is big.

        Its entries are keyed by content digests, so writing them before the build
        ends can never make the cache wrong. Without a folder it stays in memory.
        """
        folder = folder or self.folder
        if folder is None:
            return
        self.folder = folder
        pending: dict[int, dict[bytes, Any]] = {}
        for key, value in self.searched.items():
            pending.setdefault(shard(key), {})[key] = value
        for number in sorted(n for table, n in self.changed if table == SPILLED):
            path = folder / part_name(SPILLED, number)
            part = self._spilled.pop(number, None)
            part = read_part(path) if part is None else part
            part.update(pending.get(number, {}))
            if self.searched_used is not None:
                part = {key: value for key, value in part.items() if key in self.searched_used}
            _prepare(folder)
            _write(path, part)
            self.changed.discard((SPILLED, number))
        self.searched.clear()
        self._spilled.clear()

    def revise(self, name: str, key: bytes, compute: Callable[[T | None], T]) -> T:
        """The result kept under `name` when made for `key`, else `compute(earlier)` (a `Revise`)."""
        slot = digest(b"revise", name.encode())
        self.memo_used.add(slot)
        kept = self.memo.get(slot)
        if kept is not None and kept[0] == key:
            return kept[1]  # type: ignore[no-any-return]
        value = compute(kept[1] if kept is not None else None)
        self.memo[slot] = (key, value)
        self.changed.add(("memo", shard(slot)))
        return value

    def forget_unused_memo(self) -> None:
        """Drop what this build did not ask for, so the memo does not grow forever."""
        for key in [k for k in self.memo if k not in self.memo_used]:
            del self.memo[key]
            self.changed.add(("memo", shard(key)))
        self.memo_used.clear()

    def set_pages(self, pages: dict[str, PageEntry]) -> None:
        if pages != self.manifest.pages:
            self.manifest.pages = pages
            self.changed.add(("manifest", 0))

    def set_outcome(self, stamp: bytes, outputs: dict[str, tuple[int, int]], summary: Any,
                    templates: dict[str, bytes]) -> None:
        """What a good build started from (`stamp`), left behind, and reported; `templates`: the
        digest each page template's pages were made with (`briefgen.output.Plan`)."""
        self.manifest.stamp = stamp
        self.manifest.templates = templates
        self.manifest.outputs = outputs
        self.manifest.summary = summary
        self.manifest.saved_at = time.time()  # `save_cache` sets it again; a cache kept in memory has this
        self.changed.add(("manifest", 0))


def shard(key: Hashable) -> int:
    data = key if isinstance(key, bytes) else str(key).encode()
    return zlib.crc32(data) % SHARDS


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_ALLOWED_MODULES) or (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"class {module}.{name} is not allowed in a cache")


def cache_path(root: Path) -> Path:
    """The manifest: the file every cache has, and the one to look at first."""
    return root / CACHE_DIR / MANIFEST


def _header() -> bytes:
    return MAGIC + salt().encode() + b"\n"


def _read(path: Path) -> Any:
    raw = path.read_bytes()
    if not raw.startswith(_header()):
        if raw.startswith(MAGIC) and raw.count(b"\n", len(MAGIC)) >= 1:
            raise _Foreign(path.name)  # a whole header, another maker's
        raise pickle.UnpicklingError(f"{path.name} has no cache header")
    return _AllowListUnpickler(io.BytesIO(raw[len(_header()):])).load()


class _Foreign(Exception):
    pass


def read_manifest(root: Path) -> Manifest | None:
    """The manifest alone (cheap), or None when there is no usable one."""
    try:
        manifest = _read(cache_path(root))
    except Exception:  # missing, foreign or damaged: the full load will say which
        return None
    return manifest if isinstance(manifest, Manifest) else None


def load_cache(root: Path, warn: Callable[[str], None], manifest: Manifest | None = None) -> BuildCache:
    """The cache of `root`, or an empty one (with a warning if one existed but was unusable).

    `manifest`: the cache's manifest when the caller has read it already. What it
    says for prose edits is dropped: the build that loads the whole cache makes it anew.
    """
    folder = root / CACHE_DIR
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        warn(f"discarding {folder}: a file where the build cache's folder belongs")
        with contextlib.suppress(OSError):  # else saving says why it cannot
            folder.unlink()
        return BuildCache(folder=folder, replaces=True)
    if not cache_path(root).exists():
        return BuildCache(folder=folder)
    cache = BuildCache(folder=folder)
    try:
        if manifest is None:
            manifest = _read(cache_path(root))
        if not isinstance(manifest, Manifest):
            raise pickle.UnpicklingError("not a cache manifest")
        manifest.prose = None
        cache.manifest = manifest
        for table in TABLES:
            target: dict[Any, Any] = getattr(cache, table)
            for number in range(SHARDS):
                path = folder / part_name(table, number)
                if path.exists():
                    part = _read(path)
                    if not isinstance(part, dict):
                        raise pickle.UnpicklingError(f"{path.name} is not a table")
                    target.update(part)
        _check_shape(cache)
    except _Foreign:
        warn(f"discarding the build cache in {folder}: written by another briefgen or Python")
        return BuildCache(folder=folder, replaces=True)
    except Exception as exc:  # any damage at all means: do not trust it
        warn(f"discarding a corrupt build cache in {folder} ({type(exc).__name__}: {exc})")
        return BuildCache(folder=folder, replaces=True)
    return cache


def part_name(table: str, number: int) -> str:
    """The file of shard `number` of `table` in a cache folder."""
    return f"{table}-{number:02d}.pickle"


def read_part(path: Path) -> dict[Any, Any]:
    """One shard of a table read on demand; a missing, foreign or damaged one is empty
    (its entries are then made again, never trusted)."""
    try:
        part = _read(path)
    except Exception:
        return {}
    return part if isinstance(part, dict) else {}


def _check_shape(cache: BuildCache) -> None:
    manifest = cache.manifest
    if not (isinstance(manifest.saved_at, float) and isinstance(manifest.pages, dict)
            and isinstance(manifest.outputs, dict) and isinstance(manifest.stamp, bytes)):
        raise pickle.UnpicklingError("unexpected manifest layout")
    for path, entry in cache.records.items():
        if not (isinstance(path, str) and isinstance(entry, RecordEntry)):
            raise pickle.UnpicklingError("unexpected record entry")
    for key, fingerprint in cache.checked.items():
        if not (isinstance(key, bytes) and isinstance(fingerprint, str)):
            raise pickle.UnpicklingError("unexpected checked entry")
    for out, page in manifest.pages.items():
        if not (isinstance(out, str) and isinstance(page, PageEntry)):
            raise pickle.UnpicklingError("unexpected page entry")


def load_reads(root: Path, manifest: Manifest) -> Any:
    """What the pages of the build that saved `manifest` read (`briefgen.settle.PageReads`,
    unchecked), or None when it kept none, or they are missing, damaged or another's."""
    if not manifest.reads:
        return None
    try:
        token, reads = _read(root / CACHE_DIR / READS)
    except Exception:
        return None
    return reads if token == manifest.reads else None


def save_cache(root: Path, cache: BuildCache, warn: Callable[[str], None], *,
               reads_hold: bool = False) -> None:
    """Write the shards that changed, then the manifest, each atomically.

    The pages' reads that the last save kept no longer hold unless `reads_hold`
    (the caller changed nothing they depend on), or the cache has new ones (`reads`).
    A cache that cannot be written is only a warning: the build's output stands, and
    each file of the cache is checked on its own when read, so one written without
    the others misleads no build.
    """
    try:
        _save(root, cache, reads_hold)
    except OSError as exc:
        warn(f"could not save the build cache in {root / CACHE_DIR} ({exc.strerror or exc}); "
             "the next build will redo what it kept")


def _save(root: Path, cache: BuildCache, reads_hold: bool) -> None:
    if cache.replaces:
        cache.changed.update((table, number) for table in (*TABLES, SPILLED) for number in range(SHARDS))
        cache.changed.add(("manifest", 0))
        cache.replaces = False
    if not cache.changed:
        return
    folder = root / CACHE_DIR
    _prepare(folder)
    cache.spill_searched(folder)
    for table, number in sorted(cache.changed):
        if table == "manifest":
            continue
        source: dict[Any, Any] = getattr(cache, table)
        part = {key: value for key, value in source.items() if shard(key) == number}
        _write(folder / part_name(table, number), part)
    if cache.reads is not None:
        token = os.urandom(16)
        _write(folder / READS, (token, cache.reads))
        cache.manifest.reads, cache.reads = token, None
    elif not reads_hold:
        cache.manifest.reads = b""
    cache.manifest.saved_at = time.time()
    _write(cache_path(root), cache.manifest)
    cache.changed.clear()


def _prepare(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")


def _write(path: Path, value: Any) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temp.open("wb") as handle:
        handle.write(_header())
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temp.replace(path)


def digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def data_digest(value: Any, reducers: Mapping[type, Callable[[Any], Any]] | None = None) -> bytes:
    """A digest of plain data (dicts, lists, text, numbers) that depends only on its value.

    `reducers` pickle the objects of a type their own way (`copyreg` style),
    e.g. as a digest of their own value.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: object identity must not change the bytes
    if reducers:
        pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
    pickler.dump(value)
    return digest(buffer.getvalue())


class DigestOnce:
    """A `data_digest` reducer for shared objects of one type (a briefing's card, a feed
    entry): each pickles as its own digest, computed the first time it is met.

    Objects are remembered by identity (and kept, so that an id stays theirs):
    use one per build, for objects nothing changes once made.
    """

    def __init__(self, kind: type, plain: Callable[[Any], Any] = lambda value: value) -> None:
        self.kind, self.plain = kind, plain
        self._seen: dict[int, tuple[Any, bytes]] = {}

    def __call__(self, value: Any) -> tuple[type, tuple[bytes]]:
        return self.kind, (self.digest(value),)

    def digest(self, value: Any) -> bytes:
        """The digest of `value`'s own data, made once."""
        found = self._seen.get(id(value))
        if found is None or found[0] is not value:
            found = self._seen[id(value)] = (value, data_digest(self.plain(value)))
        return found[1]


def walk_files(top: Path) -> Iterable[tuple[str, Stamp]]:
    """(path, stamp) of `top`, or of every file under it (symlinked folders not followed)."""
    if top.is_file():
        yield str(top), stamp_of(top.stat())
        return
    stack = [str(top)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                yield entry.path, stamp_of(entry.stat())
