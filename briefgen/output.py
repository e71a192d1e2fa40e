"""From a laid-out site to files on disk: decide what must be made, make it on every
core, and write it as one transaction.

Pages and feeds are functions of their input digests: an output whose digest
and file are unchanged since the cache last saw it is kept as it is, neither
rendered nor written. Everything else becomes a job; workers render their
jobs and stage the bytes themselves, so only a yes/no per file travels back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen import __version__
from briefgen.cache import BuildCache, PageEntry, data_digest, digest
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
from briefgen.sitemodel.feeds import Feed, FeedSource, build_feeds, feed_links
from briefgen.sitemodel.head import Heads
from briefgen.urls import output_path
from briefgen.write import WriteStats, begin, commit, rollback, stage

# What making an output gives back: its file, and its input digest when the
# plan did not compute one (an output the cache has never seen is digested by
# the worker that makes it, in the same pass).
Made = tuple[OutputFile, bytes | None]


@dataclass(frozen=True)
class Job:
    """One output to make; `page` marks the site's pages (as opposed to feeds and files)."""

    path: str
    make: Callable[[], Made]
    page: bool = False


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    kept: set[str]
    digests: dict[str, bytes]  # the input digests known before making anything
    min_parallel: int = MIN_PARALLEL_JOBS  # jobs from which making them on every core pays off

    @property
    def pages_made(self) -> int:
        return sum(1 for job in self.jobs if job.page)


@dataclass(frozen=True)
class Written:
    stats: WriteStats
    digests: dict[str, bytes]  # every digested output's input digest, the plan's and the workers'


def plan_outputs(root: Path, config: SiteConfig, model: SiteModel, pages: Sequence[PageSpec],
                 feeds: Sequence[FeedSource], static: Sequence[OutputFile], out_dir: Path,
                 cache: BuildCache | None, workers: int | None = None) -> Plan:
    """Every output of the site, as jobs, minus those the cache shows to be in place already.

    Input digests are computed only with a cache (without one nothing could be
    skipped): on every core, for the outputs an earlier build made (to see
    whether they can stay), and by the worker that makes it for the others.
    Each is a pickle of the output's whole context, head data included.
    """
    assets = theme_assets(config.relation_vocabulary)
    context = site_context(config, menu(model), assets)
    env = make_environment(root, context)
    heads = Heads(model, feed_links(feeds))
    feed_list = build_feeds(model, feeds)
    paths = [*(output_path(page.url) for page in pages), *(output_path(feed.url) for feed in feed_list)]
    page_digest: PageDigester | None = None
    feed_shared: bytes | None = None
    if cache is not None:
        page_digest = PageDigester(render_inputs_digest(root, context))
        feed_shared = digest(__version__.encode(), data_digest(_feed_settings(config)))

    def job(index: int, digested: bool) -> Job:
        """The job of candidate `index`; its worker digests it unless the plan already has."""
        if index < len(pages):
            return Job(paths[index], _page_maker(env, heads, pages[index], None if digested else page_digest),
                       page=True)
        feed = feed_list[index - len(pages)]
        return Job(paths[index], _feed_maker(feed, config, None if digested else feed_shared))

    def inputs(index: int) -> bytes:
        if index < len(pages):
            assert page_digest is not None
            return page_digest(heads(pages[index]))
        assert feed_shared is not None
        return digest(feed_shared, data_digest(feed_list[index - len(pages)]))

    jobs: list[Job] = []
    kept: set[str] = set()
    digests: dict[str, bytes] = {}
    known = [i for i, path in enumerate(paths) if cache is not None and path in cache.pages]
    fresh = set(range(len(paths))).difference(known)
    if cache is not None:
        for index, found in zip(known, run_jobs(lambda k: inputs(known[k]), len(known), workers=workers),
                                strict=True):
            digests[paths[index]] = found
            if _in_place(cache, out_dir, paths[index], found):
                kept.add(paths[index])
            else:
                jobs.append(job(index, digested=True))
    jobs += (job(index, digested=False) for index in sorted(fresh))
    jobs[:0] = [Job(path, _published(path, make)) for path, make in publish_makers(model, pages)]
    jobs += (Job(file.path, _ready(file)) for file in [*assets, *static])
    # On a large site the sitemap and the data exports take a while each: worth a core each.
    large = len(pages) >= MIN_PARALLEL_JOBS
    return Plan(jobs, kept, digests, min_parallel=2 if large else MIN_PARALLEL_JOBS)


def _feed_settings(config: SiteConfig) -> tuple[str, str, str]:
    return (config.title, config.base_url, config.language)


def _page_maker(env: jinja2.Environment, heads: Heads, spec: PageSpec,
                page_digest: PageDigester | None) -> Callable[[], Made]:
    def make() -> Made:
        page = heads(spec)
        return render_page(env, page), None if page_digest is None else page_digest(page)
    return make


def _feed_maker(feed: Feed, config: SiteConfig, shared: bytes | None) -> Callable[[], Made]:
    def make() -> Made:
        return atom_feed(feed, config), None if shared is None else digest(shared, data_digest(feed))
    return make


def _published(path: str, make: Callable[[], bytes]) -> Callable[[], Made]:
    return lambda: (OutputFile(path, make()), None)


def _ready(file: OutputFile) -> Callable[[], Made]:
    return lambda: (file, None)


def _in_place(cache: BuildCache, out_dir: Path, path: str, inputs: bytes) -> bool:
    entry = cache.pages.get(path)
    if entry is None or entry.digest != inputs:
        return False
    try:
        stat = (out_dir / path).stat()
    except OSError:
        return False
    return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns


def write_outputs(out_dir: Path, plan: Plan, keep: Collection[str] = (),
                  workers: int | None = None) -> Written:
    """Make and stage every job (in parallel), then commit; on any failure, roll back."""
    tx = begin(out_dir, [job.path for job in plan.jobs], {*plan.kept, *keep})
    jobs = plan.jobs

    def make_and_stage(index: int) -> tuple[bool, bytes | None]:
        file, inputs = jobs[index].make()
        return stage(tx, file), inputs

    try:
        results = run_jobs(make_and_stage, len(jobs), workers=workers, min_jobs=plan.min_parallel)
    except BaseException:
        rollback(tx)
        raise
    stats = commit(tx, [job.path for job, (changed, _) in zip(jobs, results, strict=True) if changed])
    late = {job.path: inputs for job, (_, inputs) in zip(jobs, results, strict=True) if inputs is not None}
    return Written(stats, {**plan.digests, **late})


def remember_outputs(cache: BuildCache, out_dir: Path, plan: Plan, written: Written) -> None:
    """Record, for every digested output, the digest it was made from and the file it now has."""
    current: dict[str, PageEntry] = {}
    for path, inputs in written.digests.items():
        if path in plan.kept:
            current[path] = cache.pages[path]
            continue
        try:
            stat = (out_dir / path).stat()
        except OSError as exc:
            raise BuildError(f"{path} is missing right after it was written: {exc}") from exc
        current[path] = PageEntry(inputs, stat.st_size, stat.st_mtime_ns)
    cache.set_pages(current)


def search_key(written: Written) -> bytes:
    """The pages' input digests fix their bytes, so they fix the search index too."""
    return digest(*(p.encode() + d for p, d in sorted(written.digests.items()) if p.endswith(".html")))
