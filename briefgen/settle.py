"""What each page read, kept between builds: after an edit of a few briefings that
keeps the site's shape, the pages (and feeds) that read none of them are left as
they are, not even digested.

A build with a cache digests each page and feed cheaply (`output.Told`) and
learns, with the digest, the positions of the briefings it read. The command-line
build keeps them in its cache (`PageReads`, in a file beside the manifest),
with the briefing that stood at each position. The next build loads and lays
out the site as always, then compares (`settled_by_reads`). When

- the files other than briefings and templates are as they were (the same
  stamps, none saved within two seconds of the last build), and so are the
  options (a page whose templates changed is digested all the same: the plan
  compares each page template's digest, `briefgen.template_inputs`);
- the same briefings stand at the same positions (none added, deleted,
  renamed, redated or made a draft);
- each changed briefing changed only what it shows of itself (`same_place`):
  its title, summary, sources, dates, fields of the site's own, prose or
  tags, with the same undeclared mentions;

every page that read none of the changed briefings is settled (`Settled`):
after a retitle at 10,000 briefings, all but a few dozen of 14,000. Tag
pages are digested when tags changed; briefings.json is made again (unless
only templates changed), and so is the sitemap when tags or an `updated` date
changed. Anything else digests every page, as a build without this did, and
learns anew what each read.

What is kept holds only for the build that wrote it: the manifest names it
(`Manifest.reads`), and every other save of the cache forgets it, but for a
prose patch's (which changes no briefing's shape: the briefing then counts
as changed, and its readers are digested).
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefgen.cache import BuildCache, RecordEntry
from briefgen.content.models import Briefing, RelationStatement
from briefgen.entities import EntityRef
from briefgen.frontmatter import Located
from briefgen.prose_edit import BRIEFINGS_DIR, InputScan
from briefgen.publish import BRIEFINGS_EXPORT, SHOWS_BRIEFINGS
from briefgen.sitemodel.pages import tag_pages
from briefgen.urls import feed_url, output_path

if TYPE_CHECKING:  # the build imports this module: only its type is needed here
    from briefgen.build import LoadedSite


class Settled:
    """The outputs a build leaves as they are (`output.plan_outputs`), from what each page
    read when last digested (`reads`, by output path): the pages known to read none of
    the changed briefings (those not `touched`), and the site-wide files made of the
    site's shape alone (not pages or feeds: not in `made`); of `only`, when given, only
    the pages in it that read none of them."""

    def __init__(self, reads: Mapping[str, frozenset[int]], made: Container[str], touched: set[str],
                 only: Container[str] | None = None, retagged: bool = False,
                 remade: Container[str] = SHOWS_BRIEFINGS) -> None:
        self.reads, self.made, self.touched, self.only = reads, made, touched, only
        self.retagged = retagged  # tag pages may have come or gone
        self.remade = remade  # the site-wide files that show what the edits changed

    def __contains__(self, path: object) -> bool:
        if path in self.touched:
            return False
        if self.only is not None:
            return path in self.only and path in self.reads
        if path in self.reads:
            return True
        return path not in self.made and path not in self.remade


def readers(reads: Mapping[str, frozenset[int]], positions: Iterable[int]) -> set[str]:
    """The pages whose digests read any of the briefings at `positions`."""
    wanted = set(positions)
    return {path for path, read in reads.items() if not wanted.isdisjoint(read)}


# What a briefing shows of itself alone (on its page, its cards, its feed entries, its export),
# and its tags, which the tag pages show too.
_DISPLAYED = ("title", "summary", "sources", "updated", "extra", "body", "body_line", "digest", "tags")
_LOCATED = ("actors", "countries", "aliases")


def same_place(record: Briefing, old: Briefing) -> bool | None:
    """None when `record` is not `old` but for what it shows of itself, what the model
    indexes of it and where its front matter stands (lines shift when a line is added
    above): its slug, date or draft state changed (it would move). Else whether the
    model indexes the same of it: the same entities, relations and aliases."""
    unshaped = (*_DISPLAYED, *_LOCATED, "relations", "slug_line")
    if replace(record, **{name: getattr(old, name) for name in unshaped}) != old:
        return None
    if any(_texts(getattr(record, name)) != _texts(getattr(old, name)) for name in _LOCATED):
        return False
    return list(map(_statement, record.relations)) == list(map(_statement, old.relations))


def _texts(values: tuple[Located, ...]) -> list[str]:
    return [value.value for value in values]


def _statement(statement: RelationStatement) -> tuple[list[str], str | None, str]:
    return _texts(statement.between), statement.status.value if statement.status else None, statement.note


@dataclass(frozen=True)
class PageReads:
    """What the pages of one good build read, and what it read them from."""

    frame: bytes  # the files other than briefings, and the options (`InputScan.frame`)
    model: bytes  # the same but for the templates (`InputScan.model`)
    sources: tuple[str, ...]  # the briefing file at each position of the model
    unlinked: dict[str, tuple[EntityRef, ...]]  # each briefing's undeclared mentions, where it has any
    reads: dict[str, frozenset[int]]  # page or feed output path -> the positions its digest read


def briefing_edits(before: Mapping[str, RecordEntry],
                   after: Mapping[str, RecordEntry]) -> dict[str, Briefing] | None:
    """Each briefing file the build read anew, with its record as the last build read it:
    the cache's records `before` the build loaded the site, and `after`. None when any
    other content file was read anew, a content file came or went, or a briefing's last
    record was not a briefing (it had errors).

    What the build loaded decides, not the scan of the inputs that came before it: a
    file saved in between is loaded as it is now, and its pages must show it.
    """
    if before.keys() != after.keys():
        return None
    edits: dict[str, Briefing] = {}
    prefix = f"{BRIEFINGS_DIR}/"
    for path in read_anew(before, after):
        old = before[path]
        if after[path].value is old.value:  # read again to the same record (its stamp proved nothing)
            continue
        record = old.value[0]
        if not path.startswith(prefix) or not isinstance(record, Briefing):
            return None
        edits[path] = record
    return edits


def read_anew(before: Mapping[str, RecordEntry], after: Mapping[str, RecordEntry]) -> list[str]:
    """The content files whose records a build replaced: read again, changed or not."""
    return [path for path, entry in after.items() if before.get(path) is not entry]


def settled_by_reads(earlier: PageReads, edits: Mapping[str, Briefing], inputs: InputScan,
                     cache: BuildCache, site: LoadedSite) -> Settled | None:
    """What `site` (loaded after `edits`, each briefing's record before) can leave as it
    is, from what its pages read in the build that kept `earlier`; None when the edits
    changed the site's shape or anything but briefings (see the module)."""
    if not inputs.frame_kept(earlier.frame, cache) and not inputs.model_kept(earlier.model, cache):
        return None  # more than briefings and templates changed (the plan sees to templates)
    model = site.model
    if _sources(site) != earlier.sources:
        return None
    linked = {item.briefing.source: item.briefing for item in model.linked.briefings}
    position = {source: number for number, source in enumerate(earlier.sources)}
    changed: list[int] = []
    retagged = redated = False
    for path, old in edits.items():
        record = linked.get(path)
        if record is None or not same_place(record, old):
            return None
        if tuple(site.unlinked.get(path, ())) != earlier.unlinked.get(path, ()):
            return None
        retagged = retagged or record.tags != old.tags
        redated = redated or record.updated != old.updated
        if path in position:  # else a draft, left out
            changed.append(position[path])
    touched = readers(earlier.reads, changed)
    if retagged:
        touched |= {output_path(page.url) for page in tag_pages(site.layout)}
    remade = remade_for(bool(edits), retagged, redated)
    # `made`: every page and feed the last build digested, as now, the shape being the same
    # (tag pages aside: touched).
    return Settled(earlier.reads, cache.pages, touched, retagged=retagged, remade=remade)


def remade_for(edited: bool, retagged: bool, redated: bool) -> frozenset[str]:
    """The site-wide files that show what edits of briefings that kept their places changed:
    briefings.json when any briefing changed, and the sitemap when tags or an `updated`
    date did (it dates each page by the newest date it shows; a briefing's page, by its
    `updated`)."""
    if retagged or redated:
        return SHOWS_BRIEFINGS
    return frozenset({BRIEFINGS_EXPORT} if edited else ())


def reads_now(inputs: InputScan, site: LoadedSite, reads: Mapping[str, frozenset[int]],
              settled: Settled | None, untold: Collection[str] = ()) -> PageReads | None:
    """What the pages and feeds of `site` read, after a build that digested those of
    `reads` and `untold` (whose digests cannot tell what they read), and left those of
    `settled` undigested, as they were; None when that is what the last build kept
    (each output digested read what it read then)."""
    if settled is None:
        kept: dict[str, frozenset[int]] = {}
    elif not settled.retagged and all(settled.reads.get(path) == read for path, read in reads.items()) \
            and not any(path in settled.reads for path in untold):
        return None
    else:
        made = {*(output_path(page.url) for page in site.pages),
                *(output_path(feed_url(feed.page_url)) for feed in site.feeds)}
        kept = {path: read for path, read in settled.reads.items() if path in made and path not in untold}
    kept.update(reads)
    unlinked = {path: tuple(found) for path, found in site.unlinked.items() if found}
    return PageReads(inputs.frame, inputs.model, _sources(site), unlinked, kept)


def _sources(site: LoadedSite) -> tuple[str, ...]:
    return tuple(item.briefing.source for item in site.model.briefings)
