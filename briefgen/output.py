"""From a laid-out site to files on disk: decide what must be made, make it on every
core, and write it as one transaction.

Pages and feeds are functions of their input digests: an output whose digest
and file are unchanged since the cache last saw it is kept as it is, neither
rendered nor written. Everything else becomes a job; workers digest, render
and stage their jobs themselves, so only a yes/no and a digest per file
travel back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2

from briefgen.cache import BuildCache, DigestOnce, PageEntry, data_digest, digest
from briefgen.config import SiteConfig
from briefgen.errors import BuildError
from briefgen.identity import identity
from briefgen.parallel import MIN_PARALLEL_JOBS, run_jobs
from briefgen.publish import SITEMAP_FILE, atom_feed, publish_makers
from briefgen.render import (
    CARD_TEMPLATE,
    KeptCards,
    OutputFile,
    PageDigester,
    make_environment,
    render_page,
    site_context,
    site_wide_digest,
    template_inputs,
    theme_assets,
)
from briefgen.sitemodel import PageSpec, SiteModel, menu
from briefgen.sitemodel.feeds import Feed, FeedEntry, Feeds, FeedSource, feed_links
from briefgen.sitemodel.head import Heads
from briefgen.sitemodel.model import Remembered
from briefgen.urls import output_path
from briefgen.write import OutputScan, WriteStats, begin, commit, file_state, rollback, stage

# What making an output gives back: its file (None when the file in place was
# found to be made from the same inputs), the digest of its inputs, the cheap
# digest of what it reads (both with a cache only; see `plan_outputs`), and the
# positions of the briefings that cheap digest read (`Told.page`).
Made = tuple[OutputFile | None, bytes | None, bytes | None, frozenset[int] | None]


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: item `index` of the plan's pages, feeds or files (by `kind`).

    Plain data, no closure: a large site has a hundred thousand of these.
    """

    path: str
    kind: Literal["page", "feed", "file"]
    index: int
    digest: bool = False  # digest its inputs where it is made (a build with a cache)
    unless: bytes = b""  # the inputs digest of the file in place: when still the same, leave it
    told: bytes = b""  # the cheap digest that went with `unless`: when still the same, leave it undigested
    carry: bool = False  # known to read nothing that changed (`plan_outputs`): leave it, undigested too


class Told:
    """The cheap digest of what a page or feed reads (`PageSpec.inputs`, `Feeds.inputs`),
    with the site-wide data each kind depends on (for a page, by its template: the
    templates it may load); None for a page that does not tell.

    Each digest comes with the positions of the briefings it read (for a page,
    `ModelDigests.reading`; for a feed, its entries'): the outputs that a later
    edit of those briefings alone touches (`briefgen.settle`). Made in a worker,
    they travel back with the output's result.
    """

    def __init__(self, model: SiteModel, heads: Heads, feeds: Feeds, page_wide: Mapping[str, bytes],
                 feed_wide: bytes) -> None:
        self.model, self.heads, self.feeds = model, heads, feeds
        self.page_wide, self.feed_wide = page_wide, feed_wide

    def page(self, page: PageSpec) -> tuple[bytes | None, frozenset[int] | None]:
        if page.inputs is None:
            return None, None
        return self.model.digests.reading(functools.partial(self._page, page))

    def _page(self, page: PageSpec) -> bytes:
        assert page.inputs is not None
        return digest(self.page_wide[page.template], page.url.encode(), page.template.encode(), page.inputs(),
                      self.heads.inputs(page))

    def feed(self, index: int) -> tuple[bytes, frozenset[int] | None]:
        return digest(self.feed_wide, self.feeds.inputs(index)), self.feeds.reads(index)


class Makers:
    """What the jobs of one plan are made from; `make(job)` runs in a worker."""

    def __init__(self, env: jinja2.Environment, heads: Heads, pages: Sequence[PageSpec],
                 feeds: Feeds, files: Sequence[tuple[str, Callable[[], bytes]]],
                 config: SiteConfig, page_digest: PageDigester | None, feed_shared: bytes | None,
                 told: Told | None) -> None:
        self.env, self.heads, self.pages, self.feeds, self.files = env, heads, pages, feeds, files
        self.config, self.page_digest, self.feed_shared, self.told = config, page_digest, feed_shared, told
        # An entry is in many feeds: it is digested once.
        self._entries: dict[type, Callable[[Any], Any]] = {FeedEntry: DigestOnce(FeedEntry)}

    def make(self, job: Job, in_place: bool = True) -> Made:
        """The job's output, or None for a file left `in_place` (`job.told`, `job.unless`)."""
        if in_place and job.carry:
            return None, job.unless or None, job.told or None, None  # a site-wide file has neither
        if job.kind == "file":
            path, make = self.files[job.index]
            return OutputFile(path, make()), None, None, None
        told: bytes | None = None
        read: frozenset[int] | None = None
        if job.digest and self.told is not None:
            told, read = (self.told.page(self.pages[job.index]) if job.kind == "page"
                          else self.told.feed(job.index))
        if in_place and job.told and told == job.told:
            return None, job.unless, told, read  # what it reads is as it was: its data is too
        render: Callable[[], OutputFile]
        if job.kind == "page":
            page = self.heads(self.pages[job.index])
            inputs = self.page_inputs(page) if job.digest else None
            render = functools.partial(render_page, self.env, page)
        else:
            feed = self.feeds[job.index]
            inputs = self.feed_inputs(feed) if job.digest else None
            render = functools.partial(atom_feed, feed, self.config)
        if in_place and job.unless and inputs == job.unless:
            return None, inputs, told, read  # its data is as it was
        return render(), inputs, told, read

    def page_inputs(self, page: PageSpec) -> bytes:
        """The digest of a page whose head is made (`heads`)."""
        assert self.page_digest is not None
        return self.page_digest(page)

    def feed_inputs(self, feed: Feed) -> bytes:
        assert self.feed_shared is not None
        return digest(self.feed_shared, data_digest(feed, self._entries))


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    makers: Makers
    min_parallel: int = MIN_PARALLEL_JOBS  # jobs from which making them on every core pays off
    templates: dict[str, bytes] = field(default_factory=dict)  # page template -> its templates and site data


@dataclass(frozen=True)
class Written:
    stats: WriteStats
    digests: dict[str, bytes]  # every digested output's input digest
    told: dict[str, bytes]  # every output's cheap digest of what it reads, where it tells
    reads: dict[str, frozenset[int]]  # what each output digested cheaply read (`Told`)
    untold: frozenset[str]  # the outputs digested cheaply whose digest cannot tell what it read
    files: dict[str, tuple[int, int]]  # (size, mtime) of every file the plan accounts for, as it is now
    pages_made: int  # pages rendered (not those found in place)


def plan_outputs(root: Path, config: SiteConfig, model: SiteModel, pages: Sequence[PageSpec],
                 feeds: Sequence[FeedSource], static: Sequence[OutputFile],
                 existing: Mapping[str, tuple[int, int]], cache: BuildCache | None,
                 settled: Container[str] = (), remembered: Remembered | None = None) -> Plan:
    """Every output of the site as a job (`existing`: the output folder's files with their
    size and mtime).

    With a cache (without one nothing could be skipped), each page and feed is
    digested by the worker that would make it: first cheaply, from what it
    reads (`Told`), then, when that changed, from its whole data, head
    included. An output an earlier build made, whose file is still in place,
    is made only when one of those digests changed (`Job.told`, `Job.unless`):
    after one edit, most outputs of a large site are neither digested in full
    nor made. An output of `settled` (by its path), known to read nothing
    that changed since it was made, is not even digested cheaply (`Job.carry`)
    when its file is as the cache last saw it. What outputs make of one briefing
    alone is kept in `remembered`, when given (for the builds of a kept site).
    """
    assets = theme_assets(config.relation_vocabulary)
    context = site_context(config, menu(model), assets)
    feed_list = Feeds(model, feeds, remembered)
    # The sitemap and the data exports first: on a large site they take a while each.
    files = [*publish_makers(model, pages, remembered),
             *((file.path, _ready(file.data)) for file in [*assets, *static])]
    heads = Heads(model, feed_links(feeds))
    # Kept between the builds of a long-lived cache (one that keeps its site: `remembered`);
    # a command-line build's workers would only fill copies of its cards' memo.
    compiled = cache.compiled if cache is not None else None
    cards = (cache.cards or KeptCards()) if cache is not None and remembered is not None else None
    env = make_environment(root, context, compiled, cards)
    page_digest = feed_shared = told = None
    shared: dict[str, bytes] = {}
    if cache is not None:
        model.digests.settle()  # before any worker is forked: they all inherit the digests
        settings = data_digest(config)
        site_wide = site_wide_digest(context)
        templates = template_inputs(env, root, cache.referenced)
        # Each page is digested with the templates its own may load (`briefgen.template_inputs`).
        shared = {name: digest(site_wide, templates(name)) for name in {page.template for page in pages}}
        page_digest = PageDigester(shared)
        feed_shared = digest(identity().encode(), data_digest(_feed_settings(config)))
        told = Told(model, heads, feed_list, {name: digest(wide, settings) for name, wide in shared.items()},
                    digest(feed_shared, settings))
        if cards is not None:
            cache.cards = cards.begin(digest(site_wide, templates(CARD_TEMPLATE)))
    makers = Makers(env, heads, pages, feed_list, files, config, page_digest, feed_shared, told)
    made = cache.manifest.outputs if cache is not None else {}  # as the last build left them
    jobs = [Job(path, "file", i, carry=path in settled and path in made and existing.get(path) == made[path])
            for i, (path, _) in enumerate(files)]
    candidates = [
        *(Job(output_path(page.url), "page", i) for i, page in enumerate(pages)),
        *(Job(output_path(feed_list.url(i)), "feed", i) for i in range(len(feed_list))),
    ]
    if cache is None:
        jobs += candidates
    else:
        # `settled` says what read nothing that changed in the model; a page whose templates
        # changed is digested all the same (the preview keeps its site after a template edit).
        before = cache.manifest.templates
        same_templates = {name for name, wide in shared.items() if before.get(name) == wide}
        for job in candidates:
            entry = cache.pages.get(job.path)
            if entry is not None and existing.get(job.path) == (entry.size, entry.mtime_ns):
                carry = bool(entry.digest and entry.inputs) and job.path in settled and (
                    job.kind != "page" or pages[job.index].template in same_templates)
                jobs.append(Job(job.path, job.kind, job.index, True, entry.digest, entry.inputs, carry))
            else:
                jobs.append(Job(job.path, job.kind, job.index, True))
    # On a large site the sitemap and the data exports take a while each: worth a core each,
    # but for a build that leaves the sitemap as it is (`briefgen.settle`): forking a
    # large site's heap then cost more than it saved (at 100,000 briefings, 0.8 s more).
    large = len(pages) >= MIN_PARALLEL_JOBS and SITEMAP_FILE not in settled
    min_parallel = 2 if large else MIN_PARALLEL_JOBS
    if not large and any(job.carry for job in jobs):
        # Most outputs are left as they are; the rest are made on every core only when they
        # are many (a template edit that reaches a fifth of the pages or more): at 10,000
        # briefings, forking the site's heap for the 1,254 actor pages saved nothing.
        min_parallel = max(min_parallel, len(jobs) // 5)
    return Plan(jobs, makers, min_parallel=min_parallel, templates=shared)


def _feed_settings(config: SiteConfig) -> tuple[str, str, str]:
    return (config.title, config.base_url, config.language)


def _ready(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def write_outputs(out_dir: Path, plan: Plan, scan: OutputScan, keep: Collection[str] = (),
                  workers: int | None = None) -> Written:
    """Make and stage every job (in parallel), then commit; on any failure, roll back.

    `scan` is the output folder as it was before; the result says what it holds now
    (every file but those of `keep`), without walking it again.
    """
    jobs = plan.jobs
    tx = begin(out_dir, [job.path for job in jobs], keep, scan)
    in_place = tx.staging is None  # a new folder must be given every file

    # A carried job's file is left as it is, unasked (`Makers.make`): at 10,000 briefings
    # a kept site's build carries 16,700 outputs, and calling on each cost 0.1 s.
    making = [index for index, job in enumerate(jobs) if not (in_place and job.carry)]

    def make_and_stage(number: int) -> tuple[bool, bool, bytes | None, bytes | None, frozenset[int] | None]:
        file, inputs, told, read = plan.makers.make(jobs[making[number]], in_place)
        if file is None:
            return False, False, inputs, told, read
        return stage(tx, file), True, inputs, told, read

    try:
        done = run_jobs(make_and_stage, len(making), workers=workers, min_jobs=plan.min_parallel)
    except BaseException:
        rollback(tx)
        raise
    results: list[tuple[bool, bool, bytes | None, bytes | None, frozenset[int] | None]] = [
        (False, False, job.unless or None, job.told or None, None) for job in jobs]
    for index, result in zip(making, done, strict=True):
        results[index] = result
    changed = [job.path for job, result in zip(jobs, results, strict=True) if result[0]]
    stats = commit(tx, changed)
    digests, told, reads = {}, {}, {}
    # A feed with no entries reads every briefing's date: what it read before no longer holds.
    untold = frozenset(jobs[index].path for index in making if results[index][3] is not None
                       and results[index][4] is None)
    made = 0
    for job, (_, was_made, inputs, cheap, read) in zip(jobs, results, strict=True):
        if inputs is not None:
            digests[job.path] = inputs
        if cheap is not None:
            told[job.path] = cheap
        if read is not None:
            reads[job.path] = read
        made += was_made and job.kind == "page"
    rewritten = set(changed)
    files = {job.path: scan.files[job.path] for job in jobs if job.path not in rewritten}  # not touched
    try:
        files.update((path, file_state(out_dir / path)) for path in changed)
    except OSError as exc:
        raise BuildError(f"an output is missing right after it was written: {exc}") from exc
    return Written(stats, digests, told, reads, untold, files, made)


def remember_outputs(cache: BuildCache, written: Written) -> None:
    """Record, for every digested output, the digest it was made from, the cheap digest of
    what it reads, and the file it now has."""
    cache.set_pages({
        path: PageEntry(inputs, *written.files[path], written.told.get(path, b""))
        for path, inputs in written.digests.items()
    })


def search_key(written: Written) -> bytes:
    """The pages' input digests fix their bytes, so they fix the search index too."""
    return digest(*(p.encode() + d for p, d in sorted(written.digests.items()) if p.endswith(".html")))
