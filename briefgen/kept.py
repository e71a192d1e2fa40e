"""Edits of a few briefings, built from the site a long-lived build keeps.

Most saves in the preview server change only what a briefing shows of
itself: its title, summary, sources, `updated` date, a front-matter field
of the site's own, its tags, or its prose. The shape of the site model
stays as it was (the same briefings in the same order, with the same
entities, relations, aliases and undeclared mentions), so the pages, their
lists and the related briefings stay the same too, but for the tag pages
when tags changed (tags enter no related list). A long-lived build (one
with a cache kept in memory) keeps the site it last built, and what the
digest of each page read of its briefings (`KeptSite`). After such an edit
the build replaces the changed briefings in the kept model instead of
loading, resolving, rendering and indexing everything again, lays out the
tag pages again if it must, and neither digests nor makes the other pages
that read none of the changed briefings.

An edit of what the model indexes (declared entities, relations, aliases,
undeclared mentions), or of where briefings stand (a briefing added,
deleted, renamed or redated), is re-indexed instead (`_reindexed`): the
model's indexes are made again from the kept content with the edits, its
pages laid out anew, and every page but the briefing pages that read none
of the changed briefings and kept their related ones is digested. What
those pages read moves with their briefings' positions.

The kept site is used only when:

- nothing but briefing files and the site's templates changed, and at most
  `MOST_FILES` briefings (the same site.yaml, static files, entity files,
  theme, options and version; none of those saved within two seconds of the
  last build). The site model is not made from templates: after a template
  edit the kept site is built as it is, and the plan digests the pages whose
  templates changed (`briefgen.template_inputs`), the others being settled;
- each changed or new briefing parses with no error and resolves with no
  problem, and a changed one had no diagnostic but its parse's warnings and
  the suggestions to declare what its body names (others may say a line
  that moved); both are made again (they say on which line);
- no URL is claimed twice (by tag pages, or by pages laid out anew, and
  another page, a feed or an alias).

Any doubt takes the full build, which keeps its site anew; a failed build
keeps none. What each page read comes back with its digest from whichever
process made it (`output.Told`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import urls
from briefgen.cache import BuildCache, RecordEntry
from briefgen.config import SiteConfig
from briefgen.content.loader import read_record, record_digest
from briefgen.content.models import Briefing
from briefgen.diagnostics import Diagnostic, Report, Severity
from briefgen.entities import EntityRef, Registry
from briefgen.markdown import RenderedBody
from briefgen.markdown.bodies import body_renderer, body_request
from briefgen.prose_edit import MOST_FILES, InputScan, read_steady
from briefgen.resolve import ResolvedBriefing, resolve_briefing
from briefgen.settle import Settled, remade_for, same_place
from briefgen.sitemodel import PageSpec, SiteModel, build_model
from briefgen.sitemodel.discovery import alias_problems, claimed_urls
from briefgen.sitemodel.feeds import feed_sources
from briefgen.sitemodel.model import Remembered, briefing_suggestions, undeclared
from briefgen.sitemodel.pages import Layout, lay_out, tag_pages
from briefgen.urls import feed_url, output_path

if TYPE_CHECKING:  # the build imports this module: only its type is needed here
    from briefgen.build import LoadedSite


@dataclass
class KeptSite:
    """The site of the last good build, as it read its inputs."""

    inputs: InputScan
    site: LoadedSite
    reads: Mapping[str, frozenset[int]]  # page or feed output path -> the briefing positions its digest read
    places: Mapping[str, tuple[int, int | None]]  # `SiteModel.places`: the same for a shape kept
    made: frozenset[str]  # the output path of every page and feed
    remembered: Remembered  # what the builds of this site made of one briefing alone
    readers: dict[int, list[str]] | None = None  # `reads` reversed, once asked for (`readers_of`)

    def readers_of(self, positions: Iterable[int]) -> set[str]:
        """The pages whose digests read any of the briefings at `positions`."""
        readers = self.readers
        if readers is None:
            readers = {}
            for path, read in self.reads.items():
                for position in read:
                    readers.setdefault(position, []).append(path)
            self.readers = readers  # made once, kept by the next reshape
        return {path for position in positions for path in readers.get(position, ())}


def keep_site(inputs: InputScan, site: LoadedSite, reads: Mapping[str, frozenset[int]],
              remembered: Remembered, reshaped: Reshaped | None = None,
              untold: Collection[str] = ()) -> KeptSite:
    """The site just built (`remembered`: what its build made of one briefing alone);
    `reshaped`: how it was reshaped from the kept site, whose pages not digested
    again read what they read then (but those of `untold`, digested again with a
    digest that cannot tell what it read: a feed whose last entry went)."""
    if reshaped is None or reshaped.retagged:
        made = frozenset(map(output_path, [*(page.url for page in site.pages),
                                           *(feed_url(feed.page_url) for feed in site.feeds)]))
    if reshaped is None:
        return KeptSite(inputs, site, dict(reads), site.model.places(), made, remembered)
    earlier = reshaped.kept
    before = {path: read for path, read in earlier.reads.items() if path not in untold}
    if reshaped.moved is not None:  # laid out anew: the pages not digested read what they read then
        moved = reshaped.moved
        carried = {path: frozenset(moved[position] for position in read)
                   for path, read in before.items()
                   if path in made and path not in reads and all(position in moved for position in read)}
        return KeptSite(inputs, site, {**carried, **reads}, site.model.places(), made, remembered)
    if reshaped.retagged:  # tag pages may have come or gone
        kept = {path: read for path, read in {**before, **reads}.items() if path in made}
        return KeptSite(inputs, site, kept, earlier.places, made, remembered)
    same = len(before) == len(earlier.reads) and all(earlier.reads.get(path) == read
                                                     for path, read in reads.items())
    return KeptSite(inputs, site, {**before, **reads}, earlier.places, earlier.made, remembered,
                    earlier.readers if same else None)


@dataclass(frozen=True)
class Reshaped:
    kept: KeptSite  # what it was reshaped from
    model: SiteModel
    read: tuple[str, ...]  # the briefing files read again
    changed: tuple[int, ...]  # the positions of the edited briefings
    report: Report
    settled: Settled
    retagged: bool  # the tags changed: so did the tag pages (`_tag_pages_before_and_after`)
    unlinked: Mapping[str, list[EntityRef]]  # each briefing's undeclared mentions
    laid_out: tuple[Layout, tuple[PageSpec, ...]] | None = None  # re-indexed: laid out anew
    moved: Mapping[int, int] | None = None  # re-indexed: each kept briefing's position, then -> now


def reshape(root: Path, inputs: InputScan, cache: BuildCache) -> Reshaped | None:
    """The kept model with the edited briefings replaced, when every edit keeps the site's
    shape, or the kept site re-indexed for them (see the module); else None. The cache
    learns the new records and bodies."""
    kept = cache.kept
    if not isinstance(kept, KeptSite):
        return None
    framed = inputs.frame_kept(kept.inputs.frame, cache)
    if not framed and not inputs.model_kept(kept.inputs.model, cache):
        return None  # more than briefings and templates changed
    read_then = kept.inputs.briefings
    candidates = [path for path, found in inputs.briefings.items()
                  if found != read_then.get(path) or cache.is_racy(found[1])]
    deleted = [path for path in read_then if path not in inputs.briefings]
    if len(candidates) + len(deleted) > MOST_FILES or (framed and not (candidates or deleted)):
        return None
    model = kept.site.model
    linked = model.linked
    # Built only when a body changed: the matcher of a large registry takes a while.
    renderer = functools.cache(functools.partial(body_renderer, linked.config,
                                                 linked.registry.surface_forms()))
    edits: dict[str, tuple[ResolvedBriefing, RenderedBody]] = {}
    change = SHOWN  # the most any edit changes
    unlinked = dict(kept.site.unlinked)
    was: set[Diagnostic] = set()
    now: list[Diagnostic] = []
    for path in candidates:
        place = kept.places.get(path)
        if place is None:  # a new briefing
            added = _added(root, path, cache, renderer, linked.registry, linked.config)
            if path in read_then or added is None:
                return None
            new_item, new_body, warnings = added
            edits[path], change = (new_item, new_body), MOVED
            unlinked[path] = undeclared(new_item, new_body)
            now += [*warnings, *briefing_suggestions(linked, new_item, new_body, unlinked[path])]
            continue
        item, body = linked.briefings[place[0]], model.bodies[path]
        edit = _edit(root, path, item, body, cache, renderer, linked.registry, linked.config)
        if edit is None:
            return None
        if edit.item is not item:
            edits[path] = edit.item, edit.body
            named = unlinked[path]
            suggested = {*edit.warned, *briefing_suggestions(linked, item, body, named)}
            if any(d.path == path and d not in suggested for d in kept.site.report.diagnostics):
                return None  # others may say lines that moved
            was.update(suggested)
            unlinked[path] = undeclared(edit.item, edit.body)
            change = max(change, edit.change, INDEXED if unlinked[path] != named else SHOWN)
            now += [*edit.warns, *briefing_suggestions(linked, edit.item, edit.body, unlinked[path])]
    for path in deleted:
        if path not in kept.places:
            return None
        del unlinked[path]
        cache.drop_record(path)
        change = MOVED
    gone = set(deleted)
    report = Report.of([*(d for d in kept.site.report.diagnostics if d not in was and d.path not in gone),
                        *now])
    if change != SHOWN:
        return _reindexed(kept, edits, gone, unlinked, cache, tuple(candidates), report)
    changed = [position for path in edits if (position := kept.places[path][1]) is not None]
    edited = model.with_briefings(edits, kept.places)
    touched = kept.readers_of(changed)
    retagged = edited.by_tag != model.by_tag or edited.tag_names != model.tag_names
    if retagged:
        tagged = _tag_pages_before_and_after(kept, edited)
        if tagged is None:
            return None
        touched |= tagged
    redated = any(item.briefing.updated != linked.briefings[kept.places[path][0]].briefing.updated
                  for path, (item, _) in edits.items())
    remade = remade_for(bool(edits), retagged, redated)
    return Reshaped(kept, edited, tuple(candidates), tuple(changed), report,
                    Settled(kept.reads, kept.made, touched, remade=remade), retagged, unlinked)


# What an edit of a briefing changes (`_edit`), by how much of the kept site it takes again.
SHOWN = 0  # what it shows of itself: the kept model, reshaped (its tags may change the tag pages)
INDEXED = 1  # what the model indexes of it, in its place: the kept site re-indexed
MOVED = 2  # its place (its slug, date, draft state; or it came or went): re-indexed, every position anew


def _reindexed(kept: KeptSite, edits: Mapping[str, tuple[ResolvedBriefing, RenderedBody]], gone: set[str],
               unlinked: Mapping[str, list[EntityRef]], cache: BuildCache, read: tuple[str, ...],
               report: Report) -> Reshaped | None:
    """The kept site with edits that change what the model indexes (entities, relations,
    aliases, undeclared mentions) or where briefings stand (briefings added, deleted,
    renamed, redated): the model's indexes made again from the kept content with the
    edits (the related briefings revised), its pages laid out anew. Its digests are
    the kept model's, by briefing, but for the edited ones'; only the briefing pages
    whose related briefings stayed and that read none of the edited or deleted ones
    are settled, every other page is digested. None when a URL is claimed twice (the
    full build says which)."""
    model = kept.site.model
    linked = model.linked
    items = {item.briefing.source: item for item in linked.briefings if item.briefing.source not in gone}
    items.update((path, item) for path, (item, _) in edits.items())
    bodies = {path: body for path, body in model.bodies.items() if path not in gone}
    bodies.update((path, body) for path, (_, body) in edits.items())
    content = tuple(item for _, item in sorted(items.items()))
    edited = build_model(replace(linked, briefings=content), bodies, unlinked, drafts=kept.site.drafts,
                         revise=cache.revise, workers=1)
    layout, pages, problems = lay_out(edited)
    feeds = (feed_url(feed.page_url) for feed in feed_sources(edited))
    if problems or alias_problems(edited, [*claimed_urls(pages, feeds), *kept.site.served]):
        return None
    then = {path: position for path, (_, position) in kept.places.items() if position is not None}
    places = edited.places()
    moved = {then[path]: position for path, (_, position) in places.items()
             if position is not None and path in then}  # each kept briefing's position, then -> now
    edited.digests.inherit(model.digests, [], {now: was for was, now in moved.items()
                                               if model.briefings[was].briefing.source not in edits})
    stayed = set[str]()
    for was, now in moved.items():
        source = edited.briefings[now].briefing.source
        before = [model.briefings[other].briefing.source for other in model.related[was]]
        after = [edited.briefings[other].briefing.source for other in edited.related[now]]
        if source not in edits and before == after:
            stayed.add(output_path(urls.briefing_url(linked.config, edited.briefings[now].briefing)))
    touched = kept.readers_of(then[path] for path in [*edits, *gone] if path in then)
    changed = tuple(position for path in edits if (position := places[path][1]) is not None)
    settled = Settled(kept.reads, kept.made, touched, stayed)
    return Reshaped(kept, edited, read, changed, report, settled, True, unlinked, (layout, pages), moved)


def _tag_pages_before_and_after(kept: KeptSite, model: SiteModel) -> set[str] | None:
    """The output paths of the tag pages of the kept site and of `model` (the kept one
    with other tags), or None when a new one takes a URL that another page, a feed or
    an alias has (the full build says which)."""
    layout = kept.site.layout
    before = {page.url for page in tag_pages(layout)}
    after = {page.url for page in tag_pages(layout, model)}
    others = [page.url for page in kept.site.pages if page.url not in before]
    if after.intersection(others):
        return None
    feeds = (feed_url(feed.page_url) for feed in kept.site.feeds)
    if alias_problems(model, [*claimed_urls((), [*others, *after, *feeds]), *kept.site.served]):
        return None
    return {output_path(url) for url in before | after}


@dataclass(frozen=True)
class _Edit:
    item: ResolvedBriefing  # the briefing as it is now (the kept one when its bytes did not change)
    body: RenderedBody
    change: int  # SHOWN, INDEXED or MOVED (`same_place`)
    warned: tuple[Diagnostic, ...]  # what its parse said before
    warns: tuple[Diagnostic, ...]  # and now


def _edit(root: Path, path: str, item: ResolvedBriefing, body: RenderedBody, cache: BuildCache,
          make_renderer: Callable[[], Any], registry: Registry, config: SiteConfig) -> _Edit | None:
    """The briefing of `path` as it is now, with its body, what the edit changes and the
    warnings its parse gave then and now, when it parses with no error and resolves with
    no problem; else None."""
    read = read_steady(root / path)
    if read is None:
        return None
    before, raw = read
    old = item.briefing
    cached = cache.records.get(path)
    if cached is None or cached.value[0] is None:
        return None
    warned = tuple(cached.value[1])
    if record_digest("briefings", raw) == old.digest == cached.digest:
        cache.set_record(path, replace(cached, stamp=before))
        return _Edit(item, body, SHOWN, warned, warned)  # touched, not changed
    record, diagnostics = read_record("briefings", path, raw)
    if not isinstance(record, Briefing) or any(d.severity is Severity.ERROR for d in diagnostics):
        return None
    same = same_place(record, old)
    new_body = _rendered(record, make_renderer, cache) if record.body != old.body else body
    new_item, problems = resolve_briefing(record, registry, config)
    if problems:
        return None
    cache.set_record(path, RecordEntry(before, record.digest, (record, diagnostics)))
    return _Edit(new_item, new_body, MOVED if same is None else SHOWN if same else INDEXED, warned,
                 tuple(diagnostics))


def _added(root: Path, path: str, cache: BuildCache, make_renderer: Callable[[], Any], registry: Registry,
           config: SiteConfig) -> tuple[ResolvedBriefing, RenderedBody, list[Diagnostic]] | None:
    """The briefing of a new file, with its body and the warnings its parse gave, when it
    parses with no error and resolves with no problem; else None."""
    read = read_steady(root / path)
    if read is None:
        return None
    before, raw = read
    record, diagnostics = read_record("briefings", path, raw)
    if not isinstance(record, Briefing) or any(d.severity is Severity.ERROR for d in diagnostics):
        return None
    body = _rendered(record, make_renderer, cache)
    item, problems = resolve_briefing(record, registry, config)
    if problems:
        return None
    cache.set_record(path, RecordEntry(before, record.digest, (record, diagnostics)))
    return item, body, diagnostics


def _rendered(record: Briefing, make_renderer: Callable[[], Any], cache: BuildCache) -> RenderedBody:
    """The body of `record` rendered, and kept in the cache as a full build keeps it."""
    renderer = make_renderer()
    made = renderer.render(body_request(record))
    key = renderer.key(body_request(record))
    cache.set_body(key, made.cached)
    cache.set_checked(key, renderer.matcher.fingerprint)
    cache.set_searched(key, made.searched)
    body: RenderedBody = made.cached.body
    return body
