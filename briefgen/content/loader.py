"""Find the content files of a site and read each into a record.

`read_record` is a pure function of (kind, path, bytes), so it can run in a
worker process or be cached by the bytes' hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefgen.cache import BuildCache, RecordEntry, Stamp, stamp_of
from briefgen.content.models import Actor, Briefing, Content, Country, Page
from briefgen.content.records import read_actor, read_briefing, read_country, read_page
from briefgen.diagnostics import Diagnostic, warning
from briefgen.frontmatter import FrontMatter, parse_yaml
from briefgen.parallel import run_jobs
from briefgen.source import SplitSource, decode, split_front_matter

Kind = Literal["briefings", "actors", "countries", "pages"]
KINDS: tuple[Kind, ...] = ("briefings", "actors", "countries", "pages")
CONTENT_DIR = "content"

Record = Briefing | Actor | Country | Page
_READERS: dict[Kind, Callable[[FrontMatter, SplitSource], Record]] = {
    "briefings": read_briefing,
    "actors": read_actor,
    "countries": read_country,
    "pages": read_page,
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk: its kind, its path relative to the site root, and
    its stamp when it was found."""

    kind: Kind
    path: str
    stamp: Stamp


def is_content_name(name: str) -> bool:
    """Markdown files, minus editor droppings (`.#x.md`, `x.md~`, `.x.md.swp`)."""
    return name.endswith(".md") and not name.startswith((".", "_", "#"))


def is_passed_over(name: str) -> bool:
    """Files the loader neither reads nor mentions: dot-files and editors' backups and swap files."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp"))


def discover(root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every content file of the site, sorted by path, and warnings for stray files."""
    found: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    content = root / CONTENT_DIR
    if not content.is_dir():
        return found, diagnostics
    for child in sorted(content.iterdir()):
        if child.name.startswith("."):
            continue
        rel = child.relative_to(root).as_posix()
        if child.name not in KINDS or not child.is_dir():
            diagnostics.append(warning(
                rel, 0, 0, f"'{rel}' is not one of content/{{{','.join(KINDS)}}}; ignored",
            ))
            continue
        kind = KINDS[KINDS.index(child.name)]
        for path, name, stat in sorted(_files_under(child, rel)):
            if is_content_name(name):
                found.append(SourceFile(kind, path, stamp_of(stat)))
            elif not is_passed_over(name):
                diagnostics.append(warning(path, 0, 0, f"'{path}' is not a .md file; ignored"))
    return found, diagnostics


def _files_under(folder: Path, rel: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """(relative path, name, stat) of every file below `folder`, skipping dot-files and
    dot-folders; a symlink to a file counts, one to a folder is not followed."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                yield from _files_under(Path(entry.path), path)
            elif entry.is_file():
                yield path, entry.name, entry.stat()


def read_record(kind: Kind, path: str, raw: bytes) -> tuple[Record | None, list[Diagnostic]]:
    """Bytes of one file to its record; None when the file cannot be read at all."""
    text = decode(raw, path)
    if isinstance(text, Diagnostic):
        return None, [text]
    split = split_front_matter(text, path)
    if isinstance(split, Diagnostic):
        return None, [split]
    fm, diagnostics = parse_yaml(split.front, path, split.front_line)
    if fm is None:
        return None, diagnostics
    record = _READERS[kind](fm, split)
    if isinstance(record, (Briefing, Actor, Country)):
        record = dataclasses.replace(record, digest=record_digest(kind, raw))
    return record, diagnostics


def assemble(records: Iterable[Record]) -> Content:
    """Sort records into a `Content`, each kind in source-path order."""
    ordered = sorted(records, key=lambda r: r.source)
    return Content(
        briefings=tuple(r for r in ordered if isinstance(r, Briefing)),
        actors=tuple(r for r in ordered if isinstance(r, Actor)),
        countries=tuple(r for r in ordered if isinstance(r, Country)),
        pages=tuple(r for r in ordered if isinstance(r, Page)),
    )


def load_content(root: Path, cache: BuildCache | None = None,
                 workers: int | None = None) -> tuple[Content, list[Diagnostic]]:
    """Read every content file under `root/content`; all problems are returned, none raised.

    With a cache, a file whose stamp (size, mtime, ctime) is unchanged is not read again,
    and one whose bytes are unchanged is not parsed again. The files that do
    need parsing are parsed on every core.
    """
    files, diagnostics = discover(root)
    results: dict[int, ReadResult] = {}
    todo: list[int] = []
    for index, file in enumerate(files):
        found = _from_cache(root, file, cache) if cache is not None else None
        if found is None:
            todo.append(index)
        else:
            results[index] = found
    parsed = run_jobs(lambda i: _read_and_parse(root, files[todo[i]]), len(todo), workers=workers)
    for index, (stamp, digest, result) in zip(todo, parsed, strict=True):
        results[index] = result
        if cache is not None:
            cache.set_record(files[index].path, RecordEntry(stamp, digest, result))
    records: list[Record] = []
    for index in range(len(files)):
        record, problems = results[index]
        diagnostics.extend(problems)
        if record is not None:
            records.append(record)
    if cache is not None:
        wanted = {f.path for f in files}
        for gone in [path for path in cache.records if path not in wanted]:
            cache.drop_record(gone)
    return assemble(records), diagnostics


ReadResult = tuple[Record | None, list[Diagnostic]]


def record_digest(kind: str, raw: bytes) -> str:
    """What the records cache knows a file's bytes by."""
    return hashlib.blake2b(kind.encode() + b"\0" + raw, digest_size=20).hexdigest()


def _read_and_parse(root: Path, file: SourceFile) -> tuple[Stamp, str, ReadResult]:
    """Stat, read, digest and parse one file: what the cache records of it, and its record.

    Runs in a worker, which reads the file itself: only the record travels back.
    """
    path = root / file.path
    stat = path.stat()
    raw = path.read_bytes()
    digest = record_digest(file.kind, raw)
    return stamp_of(stat), digest, read_record(file.kind, file.path, raw)


def _from_cache(root: Path, file: SourceFile, cache: BuildCache) -> ReadResult | None:
    """The cached result for `file`, or None when it must be parsed."""
    entry = cache.records.get(file.path)
    if entry is None:
        return None
    if entry.stamp == file.stamp and not cache.is_racy(file.stamp[1]):
        return entry.value  # type: ignore[no-any-return]
    digest = record_digest(file.kind, (root / file.path).read_bytes())
    if entry.digest != digest:
        return None
    cache.set_record(file.path, RecordEntry(file.stamp, digest, entry.value))
    return entry.value  # type: ignore[no-any-return]
