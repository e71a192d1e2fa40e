"""The orchestrator: config -> content -> entities -> resolve -> markdown -> site model
-> render -> write, read top to bottom.

`load_site` is everything up to the site model and writes nothing; `briefgen
check` is that plus the report. `build_site` renders and writes only when
loading found no errors. A `BuildCache` makes every stage skip the work
whose inputs did not change; the output is the same with or without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen import urls
from briefgen.cache import CACHE_DIR, BuildCache, PageEntry, digest, load_cache, save_cache
from briefgen.config import CONFIG_FILE, SiteConfig, is_absolute_url, load_config
from briefgen.content import load_content
from briefgen.diagnostics import Diagnostic, Report, error, warning
from briefgen.entities import build_registry
from briefgen.errors import ContentError, UsageError
from briefgen.markdown import render_bodies
from briefgen.publish import publish_files
from briefgen.render import (
    OutputFile,
    make_environment,
    page_digest,
    render_inputs_digest,
    render_page,
    site_context,
    theme_assets,
)
from briefgen.resolve import resolve
from briefgen.search import find_pagefind, index_search
from briefgen.sitemodel import PageSpec, SiteModel, build_model, build_pages, menu
from briefgen.sitemodel.discovery import alias_problems, claimed_urls
from briefgen.sitemodel.feeds import FeedSource, feed_links, feed_sources
from briefgen.sitemodel.head import annotate
from briefgen.sitemodel.model import mention_suggestions
from briefgen.urls import output_path
from briefgen.write import SwapNeeded, WriteStats, check_output_dir, write_site

STATIC_DIR = "static"
OUTPUT_DIR = "build"

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class LoadedSite:
    config: SiteConfig
    model: SiteModel
    pages: tuple[PageSpec, ...]
    report: Report
    feeds: tuple[FeedSource, ...]


@dataclass(frozen=True)
class BuildResult:
    pages: int
    rendered: int
    stats: WriteStats
    seconds: float
    report: Report
    warnings: tuple[str, ...] = ()


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None,
              publishing: bool = False, cache: BuildCache | None = None) -> LoadedSite:
    """Load and link everything, render Markdown, lay out pages; never writes.

    A missing base_url is an error when `publishing` (canonical URLs, feeds and the
    sitemap need the site's address), else a warning.
    """
    config, diagnostics = load_config(root)
    if base_url is not None:
        if not is_absolute_url(base_url):
            raise UsageError(f"--base-url must be an absolute http(s) URL, not '{base_url}'")
        config = config.with_base_url(base_url)
    content, problems = load_content(root, cache)
    diagnostics += problems
    registry, problems = build_registry(content)
    diagnostics += problems
    linked, problems = resolve(content, registry, config)
    diagnostics += problems
    bodies = render_bodies(linked, cache)
    diagnostics += mention_suggestions(linked, bodies)
    model = build_model(linked, bodies, drafts=drafts)
    pages, problems = build_pages(model)
    diagnostics += problems
    feeds = feed_sources(model)
    diagnostics += alias_problems(model, claimed_urls(pages, (urls.feed_url(f.page_url) for f in feeds)))
    if (root / CONFIG_FILE).is_file():
        diagnostics += base_url_problems(config, publishing=publishing)
    pages = annotate(pages, model, feed_links(feeds))
    return LoadedSite(config, model, tuple(pages), Report.of(diagnostics), tuple(feeds))


def base_url_problems(config: SiteConfig, *, publishing: bool) -> list[Diagnostic]:
    if config.base_url:
        return []
    report = error if publishing else warning
    return [report(
        CONFIG_FILE, 0, 0,
        "base_url is not set; canonical URLs, feeds, the sitemap and the data exports need "
        "the site's public address",
        hint="add 'base_url: https://your.site/' to site.yaml or pass --base-url "
             "(for a local preview: --base-url http://127.0.0.1:8000/)",
    )]


def check_site(root: Path, cache: BuildCache | None = None) -> Report:
    """Every diagnostic of the site, drafts included."""
    return load_site(root, drafts=True, cache=cache).report


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    base_url: str | None = None,
    search: bool = True,
    publishing: bool = True,
    use_cache: bool = False,
    cache: BuildCache | None = None,
    progress: Progress = _quiet,
    warn: Progress = _quiet,
) -> BuildResult:
    """Build into `out_dir` (default `root/build`); on any error the old output stays.

    With `search`, the pages are indexed by Pagefind before writing; when that fails
    the site is still built and the reason is one of the result's `warnings`.
    `use_cache` keeps a cache in `.briefgen-cache/` between runs; a long-lived
    caller (the preview server) passes its own `cache` instead. A preview
    (`publishing=False`) tolerates a missing base_url.
    """
    started = time.perf_counter()
    out_dir = out_dir or root / OUTPUT_DIR
    check_output_dir(out_dir, root)
    if cache is None and use_cache:
        cache = load_cache(root, warn)
    progress("loading content")
    site = load_site(root, drafts=drafts, base_url=base_url, publishing=publishing, cache=cache)
    if site.report.failed():
        if use_cache and cache is not None:
            save_cache(root, cache)
        raise ContentError(site.report)
    progress(f"rendering up to {len(site.pages)} pages")
    rendered = render_site(root, site, out_dir, cache)
    files = list(rendered.files)
    warnings: list[str] = []
    if search:
        progress("indexing pages for search")
        search_cache = root / CACHE_DIR / "search" if cache is not None else None
        index = index_search(_search_key(rendered), lambda: _html_pages(out_dir, rendered),
                             find_pagefind(), search_cache)
        files += index.files
        if index.problem:
            warnings.append(f"search index not built: {index.problem}; "
                            "the rest of the site was built, its search page will say so")
    progress(f"writing {len(files)} files")
    try:
        stats = write_site(out_dir, files, keep=rendered.kept)
    except SwapNeeded:
        return build_site(root, out_dir, drafts=drafts, base_url=base_url, search=search,
                          publishing=publishing, progress=progress, warn=warn)
    if cache is not None:
        _remember_pages(cache, out_dir, rendered)
        if use_cache:
            save_cache(root, cache)
    return BuildResult(len(site.pages), len(site.pages) - len(rendered.kept), stats,
                       time.perf_counter() - started, site.report, tuple(warnings))


@dataclass(frozen=True)
class Rendered:
    """The files to write, the pages kept as they are, and every page's input digest."""

    files: list[OutputFile]
    kept: set[str]
    digests: dict[str, bytes]


def render_site(root: Path, site: LoadedSite, out_dir: Path, cache: BuildCache | None) -> Rendered:
    """Render every page whose inputs changed since the cache saw it (all of them without one)."""
    assets = theme_assets(site.config.relation_vocabulary)
    context = site_context(site.config, menu(site.model), assets)
    env = make_environment(root, context)
    shared = render_inputs_digest(root, context)
    files: list[OutputFile] = []
    kept: set[str] = set()
    digests: dict[str, bytes] = {}
    for page in site.pages:
        path = output_path(page.url)
        digests[path] = page_digest(shared, page)
        if cache is not None and _unchanged(cache, out_dir, path, digests[path]):
            kept.add(path)
        else:
            files.append(render_page(env, page))
    extras = publish_files(site.model, site.pages, site.feeds)
    return Rendered([*files, *extras, *assets, *static_files(root)], kept, digests)


def _unchanged(cache: BuildCache, out_dir: Path, path: str, inputs: bytes) -> bool:
    entry = cache.pages.get(path)
    if entry is None or entry.digest != inputs:
        return False
    try:
        stat = (out_dir / path).stat()
    except OSError:
        return False
    return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns


def _remember_pages(cache: BuildCache, out_dir: Path, rendered: Rendered) -> None:
    """Record, for every page, the digest it was built from and the file it now has."""
    current: dict[str, PageEntry] = {}
    for path, inputs in rendered.digests.items():
        if path in rendered.kept:
            current[path] = cache.pages[path]
        else:
            stat = (out_dir / path).stat()
            current[path] = PageEntry(inputs, stat.st_size, stat.st_mtime_ns)
    if current != cache.pages:
        cache.pages = current
        cache.dirty = True


def _search_key(rendered: Rendered) -> bytes:
    """The pages' input digests determine their bytes, so they determine the index too."""
    return digest(*(p.encode() + d for p, d in sorted(rendered.digests.items()) if p.endswith(".html")))


def _html_pages(out_dir: Path, rendered: Rendered) -> list[OutputFile]:
    """Every page as it will be written: rendered now, or kept from the output folder."""
    fresh = [f for f in rendered.files if f.path in rendered.digests]
    kept = [OutputFile(p, (out_dir / p).read_bytes()) for p in sorted(rendered.kept)]
    return [f for f in (*fresh, *kept) if f.path.endswith(".html")]


def static_files(root: Path) -> list[OutputFile]:
    """The site's `static/` folder, copied as is (dotfiles skipped)."""
    folder = root / STATIC_DIR
    if not folder.is_dir():
        return []
    return [
        OutputFile(path.relative_to(folder).as_posix(), path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
    ]


def diagnostics_text(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)
