"""The orchestrator: config -> content -> entities -> resolve -> markdown -> site model
-> render -> write, read top to bottom.

`load_site` is everything up to the site model and writes nothing; `briefgen
check` is that plus the report. `build_site` renders and writes only when
loading found no errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen import urls
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
from briefgen.write import WriteStats, check_output_dir, write_site

STATIC_DIR = "static"
OUTPUT_DIR = "build"
CACHE_DIR = ".briefgen-cache"

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
    stats: WriteStats
    seconds: float
    report: Report
    warnings: tuple[str, ...] = ()


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None,
              publishing: bool = False) -> LoadedSite:
    """Load and link everything, render Markdown, lay out pages; never writes.

    A missing base_url is an error when `publishing` (canonical URLs, feeds and the
    sitemap need the site's address), else a warning.
    """
    config, diagnostics = load_config(root)
    if base_url is not None:
        if not is_absolute_url(base_url):
            raise UsageError(f"--base-url must be an absolute http(s) URL, not '{base_url}'")
        config = config.with_base_url(base_url)
    content, problems = load_content(root)
    diagnostics += problems
    registry, problems = build_registry(content)
    diagnostics += problems
    linked, problems = resolve(content, registry, config)
    diagnostics += problems
    bodies = render_bodies(linked)
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


def check_site(root: Path) -> Report:
    """Every diagnostic of the site, drafts included."""
    return load_site(root, drafts=True).report


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    base_url: str | None = None,
    search: bool = True,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build into `out_dir` (default `root/build`); on any error the old output stays.

    With `search`, the pages are indexed by Pagefind before writing; when that fails
    the site is still built and the reason is one of the result's `warnings`.
    """
    started = time.perf_counter()
    out_dir = out_dir or root / OUTPUT_DIR
    check_output_dir(out_dir, root)
    progress("loading content")
    site = load_site(root, drafts=drafts, base_url=base_url, publishing=True)
    if site.report.failed():
        raise ContentError(site.report)
    progress(f"rendering {len(site.pages)} pages")
    files = render_site(root, site)
    warnings: list[str] = []
    if search:
        progress("indexing pages for search")
        index = index_search(files, find_pagefind(), root / CACHE_DIR / "search")
        files += index.files
        if index.problem:
            warnings.append(f"search index not built: {index.problem}; "
                            "the rest of the site was built, its search page will say so")
    progress(f"writing {len(files)} files")
    stats = write_site(out_dir, files)
    return BuildResult(len(site.pages), stats, time.perf_counter() - started, site.report,
                       tuple(warnings))


def render_site(root: Path, site: LoadedSite) -> list[OutputFile]:
    assets = theme_assets()
    env = make_environment(root, site_context(site.config, menu(site.model), assets))
    files = [render_page(env, page) for page in site.pages]
    extras = publish_files(site.model, site.pages, site.feeds)
    return [*files, *extras, *assets, *static_files(root)]


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
