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

from briefgen.cache import BuildCache, PageEntry, load_cache, save_cache
from briefgen.config import SiteConfig, is_absolute_url, load_config
from briefgen.content import load_content
from briefgen.diagnostics import Report
from briefgen.entities import build_registry
from briefgen.errors import ContentError, UsageError
from briefgen.markdown import render_bodies
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
from briefgen.sitemodel import PageSpec, SiteModel, build_model, build_pages, menu
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


@dataclass(frozen=True)
class BuildResult:
    pages: int
    rendered: int
    stats: WriteStats
    seconds: float
    report: Report


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None,
              cache: BuildCache | None = None) -> LoadedSite:
    """Load and link everything, render Markdown, lay out pages; never writes."""
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
    return LoadedSite(config, model, tuple(pages), Report.of(diagnostics))


def check_site(root: Path, cache: BuildCache | None = None) -> Report:
    """Every diagnostic of the site, drafts included."""
    return load_site(root, drafts=True, cache=cache).report


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    base_url: str | None = None,
    use_cache: bool = False,
    cache: BuildCache | None = None,
    progress: Progress = _quiet,
    warn: Progress = _quiet,
) -> BuildResult:
    """Build into `out_dir` (default `root/build`); on any error the old output stays.

    `use_cache` keeps a cache in `.briefgen-cache/` between runs; a long-lived
    caller (the preview server) passes its own `cache` instead.
    """
    started = time.perf_counter()
    out_dir = out_dir or root / OUTPUT_DIR
    check_output_dir(out_dir, root)
    if cache is None and use_cache:
        cache = load_cache(root, warn)
    progress("loading content")
    site = load_site(root, drafts=drafts, base_url=base_url, cache=cache)
    if site.report.failed():
        if use_cache and cache is not None:
            save_cache(root, cache)
        raise ContentError(site.report)
    progress(f"rendering up to {len(site.pages)} pages")
    rendered = render_site(root, site, out_dir, cache)
    progress(f"writing {len(rendered.files)} files")
    try:
        stats = write_site(out_dir, rendered.files, keep=rendered.kept)
    except SwapNeeded:
        rendered = render_site(root, site, out_dir, None)
        stats = write_site(out_dir, rendered.files)
    if cache is not None:
        _remember_pages(cache, out_dir, rendered)
        if use_cache:
            save_cache(root, cache)
    pages_rendered = len(site.pages) - len(rendered.kept)
    return BuildResult(len(site.pages), pages_rendered, stats, time.perf_counter() - started,
                       site.report)


@dataclass(frozen=True)
class Rendered:
    """The files to write, the pages kept as they are, and every page's input digest."""

    files: list[OutputFile]
    kept: set[str]
    digests: dict[str, bytes]


def render_site(root: Path, site: LoadedSite, out_dir: Path, cache: BuildCache | None) -> Rendered:
    """Render every page whose inputs changed since the cache saw it (all of them without one)."""
    assets = theme_assets()
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
    return Rendered([*files, *assets, *static_files(root)], kept, digests)


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
