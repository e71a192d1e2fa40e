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

from briefgen.config import SiteConfig, is_absolute_url, load_config
from briefgen.content import load_content
from briefgen.diagnostics import Diagnostic, Report
from briefgen.entities import build_registry
from briefgen.errors import ContentError, UsageError
from briefgen.markdown import render_bodies
from briefgen.render import (
    OutputFile,
    make_environment,
    render_page,
    site_context,
    theme_assets,
)
from briefgen.resolve import resolve
from briefgen.sitemodel import PageSpec, SiteModel, build_model, build_pages, menu
from briefgen.sitemodel.model import mention_suggestions
from briefgen.write import WriteStats, check_output_dir, write_site

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
    stats: WriteStats
    seconds: float
    report: Report


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None) -> LoadedSite:
    """Load and link everything, render Markdown, lay out pages; never writes."""
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
    return LoadedSite(config, model, tuple(pages), Report.of(diagnostics))


def check_site(root: Path) -> Report:
    """Every diagnostic of the site, drafts included."""
    return load_site(root, drafts=True).report


def build_site(
    root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    base_url: str | None = None,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build into `out_dir` (default `root/build`); on any error the old output stays."""
    started = time.perf_counter()
    out_dir = out_dir or root / OUTPUT_DIR
    check_output_dir(out_dir, root)
    progress("loading content")
    site = load_site(root, drafts=drafts, base_url=base_url)
    if site.report.failed():
        raise ContentError(site.report)
    progress(f"rendering {len(site.pages)} pages")
    files = render_site(root, site)
    progress(f"writing {len(files)} files")
    stats = write_site(out_dir, files)
    return BuildResult(len(site.pages), stats, time.perf_counter() - started, site.report)


def render_site(root: Path, site: LoadedSite) -> list[OutputFile]:
    assets = theme_assets()
    env = make_environment(root, site_context(site.config, menu(site.model), assets))
    files = [render_page(env, page) for page in site.pages]
    return [*files, *assets, *static_files(root)]


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
