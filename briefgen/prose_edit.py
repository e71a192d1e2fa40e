"""Prose edits: a build that patches only the files that show a briefing's body.

Most saves while writing change a briefing's prose and nothing else: the
front matter, the first paragraph (the default summary) and the entities the
text names stay as they were. The site model is then exactly what it was, and
the only bytes that change are the body's HTML, in the briefing's own page
and in the full-text feed when the briefing is one of the newest. Every full
build records what this needs (`ProseState`, in the cache manifest); a later
build that finds only such edits replaces the old HTML with the new in those
files, and is done.

Any doubt falls back to the full build. The patch is made only when:

- nothing but briefing files changed (the same files; the same templates,
  site.yaml, static files, entity files, theme, options and briefgen version),
  and none of the others was saved within two seconds of the last build (a
  same-size edit then may keep its mtime: its stamp proves nothing);
- each changed briefing parses to the same record but for its body, with the
  same diagnostics, and its body renders to the same first paragraph and the
  same mentions (entity, line, form, linked or not) as the cached one;
- the templates a briefing page is made of print `page.body_html` as markup
  and use it nowhere else, and never hand `page` on whole (checked on their
  syntax trees at every full build);
- the old HTML stands exactly once in each file to patch, and the file's size
  and mtime are what the last build left.

A patched page keeps no input digest in the cache, so the next full build
renders it again (to the same bytes) and records one. No search index is
made here: a build that indexes for search always takes the full path. Only
the files it patches are looked at: another file of `build/` edited by hand,
or one put there, stays until the next full build (which the next build with
nothing changed is, since it finds the output not as recorded; so is one that
reads files again within seconds of the last build and finds no prose
changed, when the output is not as recorded).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta, nodes

from briefgen.cache import (
    CACHE_DIR,
    BuildCache,
    Manifest,
    PageEntry,
    RecordEntry,
    Stamp,
    part_name,
    read_part,
    save_cache,
    shard,
    stamp_of,
    walk_files,
)
from briefgen.config import SiteConfig
from briefgen.content.loader import CONTENT_DIR, is_content_name, is_passed_over, read_record, record_digest
from briefgen.content.models import Briefing
from briefgen.diagnostics import Report
from briefgen.entities import SurfaceForm
from briefgen.markdown.bodies import CachedBody, body_renderer, body_request
from briefgen.render import TEMPLATES_DIR, OutputFile
from briefgen.urls import output_path
from briefgen.write import OutputScan, WriteStats, begin_replace, commit, file_state, rollback, stage

if TYPE_CHECKING:  # the build imports this module: only its types are needed here
    from briefgen.build import LoadedSite
    from briefgen.output import Plan
    from briefgen.sitemodel.feeds import Feed, Feeds

BRIEFINGS_DIR = f"{CONTENT_DIR}/briefings"
MOST_FILES = 8  # more changed briefings than this is not a save while writing: take the full path
BRIEFING_TEMPLATE = "briefing.html"


@dataclass(frozen=True)
class InputScan:
    """Every input file of a build, as stamps."""

    stamp: bytes  # every input file (path, size, mtime, ctime) and the build's options
    newest: int  # the newest mtime among them, in ns
    frame: bytes  # the same but for the briefing files: what a prose edit must leave alone
    briefings: dict[str, Stamp]  # briefing file (relative to the site) -> its stamp
    frame_newest: int = 0  # the newest mtime of the files in `frame`, in ns
    model: bytes = b""  # `frame` but for the site's templates: what the site model is made from
    model_newest: int = 0  # the newest mtime of the files in `model`, in ns

    def frame_kept(self, frame: bytes, cache: BuildCache) -> bool:
        """Whether the files other than briefings are as they were when `frame` was taken by
        the build that saved `cache`: the same stamps, none changed so close to that
        build that its stamp proves nothing (a same-size edit within the mtime's
        resolution)."""
        return frame == self.frame and not cache.is_racy(self.frame_newest)

    def model_kept(self, model: bytes, cache: BuildCache) -> bool:
        """`frame_kept` for the files other than briefings and templates (which a page's
        digest reads by their text: `briefgen.template_inputs`)."""
        return model == self.model and not cache.is_racy(self.model_newest)


def scan_inputs(root: Path, folders: Iterable[Path], described: bytes) -> InputScan:
    """Stamp the files under `folders`; briefing files are also listed one by one."""
    stamp = hashlib.blake2b(digest_size=20)
    frame = hashlib.blake2b(digest_size=20)
    model = hashlib.blake2b(digest_size=20)
    for h in (stamp, frame, model):
        h.update(len(described).to_bytes(8, "little") + described)
    top = str(root.absolute())  # `Path(".")` joins as "content", not "./content"
    start = len(top) + 1
    prefix = f"{top}/{BRIEFINGS_DIR}/"
    templates = f"{top}/{TEMPLATES_DIR}/"
    briefings: dict[str, Stamp] = {}
    newest = frame_newest = model_newest = 0
    for folder in folders:
        for path, found in sorted(walk_files(folder.absolute())):
            mtime = found[1]
            newest = max(newest, mtime)
            line = f"{path}\0{found}\n".encode()
            stamp.update(line)
            if path.startswith(prefix):
                parts = path[len(prefix):].split("/")
                if any(part.startswith(".") for part in parts) or is_passed_over(parts[-1]):
                    continue  # the loader never reads it
                if is_content_name(parts[-1]):
                    briefings[path[start:]] = found
                    continue
            frame.update(line)
            frame_newest = max(frame_newest, mtime)
            if not path.startswith(templates):
                model.update(line)
                model_newest = max(model_newest, mtime)
    return InputScan(stamp.digest(), newest, frame.digest(), briefings, frame_newest, model.digest(),
                     model_newest)


@dataclass
class ProseState:
    """What the last full build knew that a prose edit needs."""

    frame: bytes
    briefings: dict[str, Stamp]  # as the build read them
    config: SiteConfig
    forms: list[SurfaceForm]  # the names the mention matcher looked for
    pages: dict[str, str]  # briefing file -> the output file of its page (published briefings only)
    feeds: dict[str, set[str]]  # the output file of each full-text feed -> the briefing files it shows
    splices: bool  # the briefing page's templates pass `body_splices`


def prose_state(inputs: InputScan, cache: BuildCache, site: LoadedSite, plan: Plan) -> ProseState:
    briefings = {path: entry.stamp for path, entry in cache.records.items()
                 if path in inputs.briefings}
    briefing_pages = [page for page in site.pages if page.template == BRIEFING_TEMPLATE]
    source_of = {page.url: page.source for page in briefing_pages}
    return ProseState(
        frame=inputs.frame,
        briefings=briefings,
        config=site.config,
        forms=list(site.model.linked.registry.surface_forms()),
        pages={page.source: output_path(page.url) for page in briefing_pages},
        feeds={output_path(feed.url): {source_of[e.url] for e in feed.entries if e.url in source_of}
               for feed in _full_content(plan.makers.feeds)},
        splices=body_splices(plan.makers.env),
    )


def _full_content(feeds: Feeds) -> Iterator[Feed]:
    """The feeds that carry bodies (made here; the others need not be)."""
    return (feeds[index] for index, source in enumerate(feeds.sources) if source.full_content)


def prose_state_after(earlier: ProseState, cache: BuildCache, paths: Iterable[str]) -> ProseState:
    """`prose_state` after a build that kept the site's shape (`briefgen.kept`), from the one
    before it: only the briefing files at `paths` were read again."""
    briefings = dict(earlier.briefings)
    briefings.update((path, entry.stamp) for path in paths
                     if (entry := cache.records.get(path)) is not None)
    return replace(earlier, briefings=briefings)


# -- the templates ---------------------------------------------------------------------------

_CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)


def body_splices(env: jinja2.Environment) -> bool:
    """True when every template a briefing page is made of prints `page.body_html` only
    as markup (`{{ page.body_html }}` or `{{ page.body_html | safe }}`, not inside a
    macro, call, filter or set block), uses it nowhere else, never hands `page` on
    whole, and names every template it includes or extends plainly."""
    todo, seen, printed = [BRIEFING_TEMPLATE], set(), 0
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            assert env.loader is not None
            source = env.loader.get_source(env, name)[0]
            tree = env.parse(source)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):  # it may not come to load it
            return False
        for reference in meta.find_referenced_templates(tree):
            if reference is None:
                return False
            todo.append(reference)
        uses = _body_uses(tree, [])
        if uses is None:
            return False
        printed += uses
    return printed >= 1


def _body_uses(node: nodes.Node, ancestors: list[nodes.Node]) -> int | None:
    """How often `node` prints `page.body_html` as markup; None for any other use of `page`."""
    if isinstance(node, nodes.Name) and node.name == "page":
        return _page_use(node, ancestors) if node.ctx == "load" else None
    if isinstance(node, (nodes.Include, nodes.Call, nodes.Block)) and \
            any(isinstance(a, _CAPTURING) for a in ancestors):
        return None  # its output may be transformed (a block's: what a child template puts there)
    if isinstance(node, nodes.Call) and not _printed_whole(node, ancestors) and _calls_block(node):
        return None  # super() or self.block() used in an expression
    total = 0
    for child in node.iter_child_nodes():
        found = _body_uses(child, [*ancestors, node])
        if found is None:
            return None
        total += found
    return total


def _page_use(name: nodes.Name, ancestors: list[nodes.Node]) -> int | None:
    parent = ancestors[-1] if ancestors else None
    if isinstance(parent, nodes.Getattr) and parent.node is name:
        attribute: Any = parent.attr
    elif isinstance(parent, nodes.Getitem) and parent.node is name and isinstance(parent.arg, nodes.Const):
        attribute = parent.arg.value
    else:
        return None  # `page` itself handed on
    if attribute != "body_html":
        return 0
    above = ancestors[:-1]
    outer = above[-1] if above else None
    if isinstance(outer, nodes.Filter) and outer.name == "safe" and outer.node is parent:
        above = above[:-1]
    if not above or not isinstance(above[-1], nodes.Output) or any(isinstance(a, _CAPTURING) for a in above):
        return None
    return 1


def _printed_whole(node: nodes.Node, ancestors: list[nodes.Node]) -> bool:
    return bool(ancestors) and isinstance(ancestors[-1], nodes.Output)


def _calls_block(call: nodes.Call) -> bool:
    target = call.node
    if isinstance(target, nodes.Name) and target.name in ("super", "caller"):
        return True
    return (isinstance(target, nodes.Getattr) and isinstance(target.node, nodes.Name)
            and target.node.name == "self")


# -- the patch -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Patched:
    pages: int
    rendered: int
    stats: WriteStats
    report: Report


@dataclass(frozen=True)
class _Edit:
    path: str
    entry: RecordEntry
    key: bytes
    cached: CachedBody
    searched: Any
    old_html: str
    new_html: str


def patch_prose(root: Path, out_dir: Path, inputs: InputScan, manifest: Manifest | None,
                scanned: Callable[[], OutputScan], warn: Callable[[str], None],
                live: BuildCache | None = None) -> Patched | None:
    """Make the build by patching, when only prose changed (see the module); else None.

    `manifest` is the cache's, as read for this build; it is changed only once the
    patch is certain, and then saved with the cache. `scanned` gives the output
    folder as it is. A `live` cache (kept in memory by a long-lived caller) is used
    and updated as it is, and not saved.
    """
    state = manifest.prose if manifest is not None else None
    if manifest is None or not isinstance(state, ProseState) or not state.splices:
        return None
    if state.briefings.keys() != inputs.briefings.keys():
        return None
    cache = live if live is not None else BuildCache(folder=root / CACHE_DIR, manifest=manifest)
    if not inputs.frame_kept(state.frame, cache):
        return None
    candidates = [path for path, found in inputs.briefings.items()
                  if found != state.briefings[path] or cache.is_racy(found[1])]
    if not candidates or len(candidates) > MOST_FILES:
        return None
    shards = _Shards(cache, everything=live is not None)
    # Built when an edit proves to be prose: the matcher of a large registry takes a while.
    renderer = functools.cache(functools.partial(body_renderer, state.config, state.forms))
    edits: list[_Edit] = []
    for path in candidates:
        shards.load("records", path)
        edit = _prose_edit(root, path, shards, renderer)
        if edit is None:
            return None
        if isinstance(edit, RecordEntry):
            cache.set_record(path, edit)  # touched, not changed
        else:
            edits.append(edit)
    if not edits and scanned().files != manifest.outputs:
        # Files read again within seconds of the last build, unchanged: what brought this
        # build is the output (a file deleted by hand), which only the full build mends.
        return None
    files = _patched_files(out_dir, state, manifest.outputs, edits)
    if files is None:
        return None
    stats = _write(out_dir, files, len(manifest.outputs))
    for edit in edits:
        cache.set_record(edit.path, edit.entry)
        shards.load("bodies", edit.key)
        shards.load("checked", edit.key)
        cache.set_body(edit.key, edit.cached)
        cache.set_checked(edit.key, renderer().matcher.fingerprint)
        cache.set_searched(edit.key, edit.searched)
    for path in files:
        state_now = file_state(out_dir / path)
        manifest.outputs[path] = state_now
        if path in manifest.pages:
            manifest.pages[path] = PageEntry(b"", *state_now)  # no digest: made again by a full build
    state.briefings.update((path, entry.stamp)
                           for path, entry in cache.records.items() if path in state.briefings)
    manifest.stamp = inputs.stamp
    cache.changed.add(("manifest", 0))
    if live is None:
        save_cache(root, cache, warn, reads_hold=True)  # no briefing's shape changed (`briefgen.settle`)
    else:
        manifest.saved_at = time.time()
    pages, diagnostics, _ = manifest.summary
    return Patched(pages, sum(1 for path in files if path in state.pages.values()), stats,
                   Report(tuple(diagnostics)))


class _Shards:
    """The cache read shard by shard, as keys are needed; the rest stays on disk."""

    def __init__(self, cache: BuildCache, *, everything: bool = False) -> None:
        self.cache = cache
        self.everything = everything  # the cache holds every table whole already
        self.read: set[tuple[str, int]] = set()

    def load(self, table: str, key: Any) -> None:
        number = shard(key)
        if self.everything or (table, number) in self.read:
            return
        self.read.add((table, number))
        assert self.cache.folder is not None
        getattr(self.cache, table).update(read_part(self.cache.folder / part_name(table, number)))


def _prose_edit(root: Path, path: str, shards: _Shards,
                make_renderer: Callable[[], Any]) -> _Edit | RecordEntry | None:
    """The edit of one briefing file when it is prose only; its new cache entry when its
    bytes did not change after all; None when it is more than prose."""
    cache = shards.cache
    old = cache.records.get(path)
    if old is None:
        return None
    read = read_steady(root / path)
    if read is None:
        return None
    before, raw = read
    entry = RecordEntry(before, record_digest("briefings", raw), old.value)
    if entry.digest == old.digest:
        return entry
    record, diagnostics = read_record("briefings", path, raw)
    old_record, old_diagnostics = old.value
    if not isinstance(record, Briefing) or not isinstance(old_record, Briefing):
        return None
    if diagnostics != old_diagnostics:
        return None
    if replace(record, body=old_record.body, digest=old_record.digest) != old_record:
        return None
    renderer = make_renderer()
    old_key = renderer.key(body_request(old_record))
    shards.load("bodies", old_key)
    shards.load("checked", old_key)
    before_body = cache.bodies.get(old_key)
    fingerprint = renderer.matcher.fingerprint
    if not isinstance(before_body, CachedBody) or cache.checked.get(old_key) != fingerprint:
        return None
    made = renderer.render(body_request(record))
    after = made.cached.body
    earlier = before_body.body
    if after.first_paragraph != earlier.first_paragraph or after.mentions != earlier.mentions:
        return None
    new_entry = replace(entry, value=(record, diagnostics))
    return _Edit(path, new_entry, renderer.key(body_request(record)),
                 made.cached, made.searched, str(earlier.html), str(after.html))


def read_steady(file: Path) -> tuple[Stamp, bytes] | None:
    """An input file's stamp and bytes; None when it cannot be read, or changed while read."""
    try:
        before = stamp_of(file.stat())
        raw = file.read_bytes()
        return (before, raw) if stamp_of(file.stat()) == before else None
    except OSError:
        return None


def _patched_files(out_dir: Path, state: ProseState, outputs: dict[str, tuple[int, int]],
                   edits: list[_Edit]) -> dict[str, bytes] | None:
    """The new bytes of every file that shows a changed body; None when any cannot be patched."""
    files: dict[str, bytes] = {}
    for edit in edits:
        page = state.pages.get(edit.path)
        targets = ([(page, edit.old_html, edit.new_html)] if page else []) + [
            (feed, _xml_text(edit.old_html), _xml_text(edit.new_html))
            for feed, shown in state.feeds.items() if edit.path in shown]
        for path, old, new in targets:
            if path not in files:
                try:
                    if file_state(out_dir / path) != outputs.get(path):
                        return None  # changed by hand since: the full build repairs it
                    files[path] = (out_dir / path).read_bytes()
                except OSError:
                    return None
            text = files[path].decode("utf-8")
            if text.count(old) != 1:
                return None
            files[path] = text.replace(old, new).encode("utf-8")
    return files


def _xml_text(text: str) -> str:
    """Text as ElementTree writes it inside an element (the feeds' `content`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write(out_dir: Path, files: dict[str, bytes], total: int) -> WriteStats:
    tx = begin_replace(out_dir, list(files))
    try:
        changed = [path for path, data in files.items() if stage(tx, OutputFile(path, data))]
    except BaseException:
        rollback(tx)
        raise
    stats = commit(tx, changed)
    return WriteStats(stats.written, total - stats.written, 0)
