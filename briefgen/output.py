"""From a laid-out site to files on disk: decide what must be made, make it on every
core, and write it as one transaction.

Pages and feeds are functions of their input digests: an output whose digest
and file are unchanged since the cache last saw it is kept as it is, neither
rendered nor written. Everything else becomes a job; workers digest, render
and stage their jobs themselves, so only a yes/no and a digest per file
travel back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2

from briefgen import __version__
from briefgen.cache import BuildCache, DigestOnce, PageEntry, data_digest, digest
from briefgen.config import SiteConfig
from briefgen.errors import BuildError
from briefgen.parallel import MIN_PARALLEL_JOBS, run_jobs
from briefgen.publish import atom_feed, publish_makers
from briefgen.render import (
    OutputFile,
    PageDigester,
    make_environment,
    render_inputs_digest,
    render_page,
    site_context,
    theme_assets,
)
from briefgen.sitemodel import PageSpec, SiteModel, menu
from briefgen.sitemodel.feeds import Feed, FeedEntry, FeedSource, build_feeds, feed_links
from briefgen.sitemodel.head import Heads
from briefgen.urls import output_path
from briefgen.write import OutputScan, WriteStats, begin, commit, file_state, rollback, stage

# What making an output gives back: its file (None when the file in place was
# found to be made from the same inputs), and its input digest when the plan
# did not compute one (an output the cache cannot vouch for is digested by the
# worker that makes it, in the same pass).
Made = tuple[OutputFile | None, bytes | None]


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: item `index` of the plan's pages, feeds or files (by `kind`).

    Plain data, no closure: a large site has a hundred thousand of these.
    """

    path: str
    kind: Literal["page", "feed", "file"]
    index: int
    digest: bool = False  # made by a worker that also digests its inputs (the plan has not)
    unless: bytes = b""  # the inputs digest of the file in place: when still the same, leave it


class Makers:
    """What the jobs of one plan are made from; `make(job)` runs in a worker."""

    def __init__(self, env: jinja2.Environment, heads: Heads, pages: Sequence[PageSpec],
                 feeds: Sequence[Feed], files: Sequence[tuple[str, Callable[[], bytes]]],
                 config: SiteConfig, page_digest: PageDigester | None, feed_shared: bytes | None) -> None:
        self.env, self.heads, self.pages, self.feeds, self.files = env, heads, pages, feeds, files
        self.config, self.page_digest, self.feed_shared = config, page_digest, feed_shared
        # An entry is in many feeds: it is digested once.
        self._entries: dict[type, Callable[[Any], Any]] = {FeedEntry: DigestOnce(FeedEntry)}

    def make(self, job: Job, in_place: bool = True) -> Made:
        """The job's output, or None for a file left `in_place` (`job.unless`)."""
        if job.kind == "page":
            page = self.heads(self.pages[job.index])
            inputs = self.page_inputs(page) if job.digest else None
            if in_place and job.unless and inputs == job.unless:
                return None, inputs
            return render_page(self.env, page), inputs
        if job.kind == "feed":
            feed = self.feeds[job.index]
            inputs = self.feed_inputs(feed) if job.digest else None
            if in_place and job.unless and inputs == job.unless:
                return None, inputs
            return atom_feed(feed, self.config), inputs
        path, make = self.files[job.index]
        return OutputFile(path, make()), None

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
    kept: set[str]
    digests: dict[str, bytes]  # the input digests known before making anything
    makers: Makers
    fingerprints: dict[str, bytes] = dataclasses.field(default_factory=dict)  # cheap ones, where known
    min_parallel: int = MIN_PARALLEL_JOBS  # jobs from which making them on every core pays off


@dataclass(frozen=True)
class Written:
    stats: WriteStats
    digests: dict[str, bytes]  # every digested output's input digest, the plan's and the workers'
    files: dict[str, tuple[int, int]]  # (size, mtime) of every file the plan accounts for, as it is now
    pages_made: int  # pages rendered (not those found in place)


def plan_outputs(root: Path, config: SiteConfig, model: SiteModel, pages: Sequence[PageSpec],
                 feeds: Sequence[FeedSource], static: Sequence[OutputFile],
                 existing: Mapping[str, tuple[int, int]], cache: BuildCache | None) -> Plan:
    """Every output of the site, as jobs, minus those the cache shows to be in place already
    (`existing`: the output folder's files with their size and mtime).

    Input digests are computed only with a cache (without one nothing could be
    skipped), each by the worker that would make the output: a pickle of its
    whole context, head data included. An output an earlier build made, whose
    file is still in place, is made only when that digest changed (`Job.unless`).
    A page whose builder tells its inputs (`PageSpec.inputs`) is not even
    digested when their cheap digest is as the cache recorded: after one edit,
    that is most pages of a large site.
    """
    assets = theme_assets(config.relation_vocabulary)
    context = site_context(config, menu(model), assets)
    feed_list = build_feeds(model, feeds)
    # The sitemap and the data exports first: on a large site they take a while each.
    files = [*publish_makers(model, pages), *((file.path, _ready(file.data)) for file in [*assets, *static])]
    cached = cache is not None
    makers = Makers(make_environment(root, context), Heads(model, feed_links(feeds)), pages, feed_list,
                    files, config,
                    PageDigester(render_inputs_digest(root, context)) if cached else None,
                    digest(__version__.encode(), data_digest(_feed_settings(config))) if cached else None)
    candidates = [
        *(Job(output_path(page.url), "page", i) for i, page in enumerate(pages)),
        *(Job(output_path(feed.url), "feed", i) for i, feed in enumerate(feed_list)),
    ]

    jobs = [Job(path, "file", i) for i, (path, _) in enumerate(files)]
    kept: set[str] = set()
    digests: dict[str, bytes] = {}
    fingerprints: dict[str, bytes] = {}
    if cache is None:
        jobs += candidates
    else:
        assert makers.page_digest is not None
        site_wide = digest(makers.page_digest.shared, data_digest(config))
        fingerprints = _fingerprints(pages, makers.heads, site_wide)
        for job in candidates:
            entry = cache.pages.get(job.path)
            in_place = entry is not None and existing.get(job.path) == (entry.size, entry.mtime_ns)
            if entry is None or not in_place:
                jobs.append(dataclasses.replace(job, digest=True))
            elif entry.inputs and entry.inputs == fingerprints.get(job.path):
                kept.add(job.path)  # its inputs are as they were: no need to digest its data
                digests[job.path] = entry.digest
            else:  # digested where it would be made, and made only when that digest changed
                jobs.append(dataclasses.replace(job, digest=True, unless=entry.digest))
    large = len(pages) >= MIN_PARALLEL_JOBS
    return Plan(jobs, kept, digests, makers, fingerprints, min_parallel=2 if large else MIN_PARALLEL_JOBS)


def _fingerprints(pages: Sequence[PageSpec], heads: Heads, site_wide: bytes) -> dict[str, bytes]:
    """The cheap digest of the inputs of every page whose builder can tell them."""
    return {
        output_path(page.url): digest(site_wide, page.url.encode(), page.template.encode(),
                                      page.inputs(), heads.inputs(page))
        for page in pages if page.inputs is not None
    }


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
    tx = begin(out_dir, [job.path for job in plan.jobs], {*plan.kept, *keep}, scan)
    jobs = plan.jobs

    in_place = tx.staging is None  # a new folder must be given every file

    def make_and_stage(index: int) -> tuple[bool, bytes | None, bool]:
        file, inputs = plan.makers.make(jobs[index], in_place)
        if file is None:
            return False, inputs, False
        return stage(tx, file), inputs, True

    try:
        results = run_jobs(make_and_stage, len(jobs), workers=workers, min_jobs=plan.min_parallel)
    except BaseException:
        rollback(tx)
        raise
    changed = [job.path for job, (was_changed, _, _) in zip(jobs, results, strict=True) if was_changed]
    stats = commit(tx, changed)
    late = {job.path: inputs for job, (_, inputs, _) in zip(jobs, results, strict=True) if inputs is not None}
    made = sum(1 for job, (_, _, was_made) in zip(jobs, results, strict=True)
               if was_made and job.kind == "page")
    rewritten = set(changed)
    files = {path: scan.files[path] for path in plan.kept}  # neither made nor touched
    files.update((job.path, scan.files[job.path]) for job in jobs if job.path not in rewritten)
    try:
        files.update((path, file_state(out_dir / path)) for path in changed)
    except OSError as exc:
        raise BuildError(f"an output is missing right after it was written: {exc}") from exc
    return Written(stats, {**plan.digests, **late}, files, made)


def remember_outputs(cache: BuildCache, plan: Plan, written: Written) -> None:
    """Record, for every digested output, the digest it was made from and the file it now has."""
    current: dict[str, PageEntry] = {}
    for path, inputs in written.digests.items():
        fingerprint = plan.fingerprints.get(path, b"")
        if path in plan.kept:
            entry = cache.pages[path]  # kept: as it was, though its inputs may be told anew
            current[path] = dataclasses.replace(entry, inputs=fingerprint)
            continue
        size, mtime_ns = written.files[path]
        current[path] = PageEntry(inputs, size, mtime_ns, fingerprint)
    cache.set_pages(current)


def search_key(written: Written) -> bytes:
    """The pages' input digests fix their bytes, so they fix the search index too."""
    return digest(*(p.encode() + d for p, d in sorted(written.digests.items()) if p.endswith(".html")))
