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
from briefgen.parallel import run_jobs
from briefgen.publish import atom_feed, publish_files
from briefgen.render import (
    OutputFile,
    make_environment,
    page_digest,
    render_inputs_digest,
    render_page,
    site_context,
    theme_assets,
)
from briefgen.sitemodel import PageSpec, SiteModel, menu
from briefgen.sitemodel.feeds import Feed, FeedSource, build_feeds
from briefgen.urls import output_path
from briefgen.write import WriteStats, begin, commit, rollback, stage


@dataclass(frozen=True)
class Job:
    """One output to make; `page` marks the site's pages (as opposed to feeds and files)."""

    path: str
    make: Callable[[], OutputFile]
    page: bool = False


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    kept: set[str]
    digests: dict[str, bytes]

    @property
    def pages_made(self) -> int:
        return sum(1 for job in self.jobs if job.page)


def plan_outputs(root: Path, config: SiteConfig, model: SiteModel, pages: Sequence[PageSpec],
                 feeds: Sequence[FeedSource], static: Sequence[OutputFile], out_dir: Path,
                 cache: BuildCache | None, workers: int | None = None) -> Plan:
    """Every output of the site, as jobs, minus those the cache shows to be in place already.

    Input digests are computed only with a cache (without one nothing could be
    skipped), on every core: each is a pickle of a page's whole context.
    """
    assets = theme_assets(config.relation_vocabulary)
    context = site_context(config, menu(model), assets)
    env = make_environment(root, context)
    feed_list = build_feeds(model, feeds)
    candidates = [
        *(Job(output_path(page.url), _page_maker(env, page), page=True) for page in pages),
        *(Job(output_path(feed.url), _feed_maker(feed, config)) for feed in feed_list),
    ]
    jobs: list[Job] = []
    kept: set[str] = set()
    digests: dict[str, bytes] = {}
    if cache is None:
        jobs += candidates
    else:
        page_shared = render_inputs_digest(root, context)
        feed_shared = digest(__version__.encode(), data_digest(_feed_settings(config)))

        def inputs(index: int) -> bytes:
            if index < len(pages):
                return page_digest(page_shared, pages[index])
            return digest(feed_shared, data_digest(feed_list[index - len(pages)]))

        for job, found in zip(candidates, run_jobs(inputs, len(candidates), workers=workers), strict=True):
            digests[job.path] = found
            if _in_place(cache, out_dir, job.path, found):
                kept.add(job.path)
            else:
                jobs.append(job)
    for file in [*publish_files(model, pages), *assets, *static]:
        jobs.append(Job(file.path, _ready(file)))
    return Plan(jobs, kept, digests)


def _feed_settings(config: SiteConfig) -> tuple[str, str, str]:
    return (config.title, config.base_url, config.language)


def _page_maker(env: jinja2.Environment, page: PageSpec) -> Callable[[], OutputFile]:
    return lambda: render_page(env, page)


def _feed_maker(feed: Feed, config: SiteConfig) -> Callable[[], OutputFile]:
    return lambda: atom_feed(feed, config)


def _ready(file: OutputFile) -> Callable[[], OutputFile]:
    return lambda: file


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
                  workers: int | None = None) -> WriteStats:
    """Make and stage every job (in parallel), then commit; on any failure, roll back."""
    tx = begin(out_dir, [job.path for job in plan.jobs], {*plan.kept, *keep})
    jobs = plan.jobs

    def make_and_stage(index: int) -> bool:
        return stage(tx, jobs[index].make())

    try:
        changed = run_jobs(make_and_stage, len(jobs), workers=workers)
    except BaseException:
        rollback(tx)
        raise
    return commit(tx, [job.path for job, was_changed in zip(jobs, changed, strict=True) if was_changed])


def remember_outputs(cache: BuildCache, out_dir: Path, plan: Plan) -> None:
    """Record, for every digested output, the digest it was made from and the file it now has."""
    current: dict[str, PageEntry] = {}
    for path, inputs in plan.digests.items():
        if path in plan.kept:
            current[path] = cache.pages[path]
            continue
        try:
            stat = (out_dir / path).stat()
        except OSError as exc:
            raise BuildError(f"{path} is missing right after it was written: {exc}") from exc
        current[path] = PageEntry(inputs, stat.st_size, stat.st_mtime_ns)
    cache.set_pages(current)


def search_key(plan: Plan) -> bytes:
    """The pages' input digests fix their bytes, so they fix the search index too."""
    return digest(*(p.encode() + d for p, d in sorted(plan.digests.items()) if p.endswith(".html")))
