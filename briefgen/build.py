"""The orchestrator: config -> content -> entities -> resolve -> markdown -> site model
-> render -> write, read top to bottom.

`load_site` is everything up to the site model and writes nothing; `briefgen
check` is that plus the report. `build_site` renders and writes only when
loading found no errors. A `BuildCache` makes every stage skip the work
whose inputs did not change; the output is the same with or without it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import time
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen import urls
from briefgen.cache import (
    CACHE_DIR,
    RACY_SECONDS,
    BuildCache,
    Manifest,
    RecordEntry,
    load_cache,
    load_reads,
    no_revise,
    read_manifest,
    save_cache,
)
from briefgen.config import CONFIG_FILE, SiteConfig, is_absolute_url, load_config
from briefgen.content import load_content
from briefgen.content.loader import CONTENT_DIR
from briefgen.diagnostics import Diagnostic, Report, Severity, error, warning
from briefgen.entities import EntityRef, build_registry
from briefgen.errors import ContentError, UsageError
from briefgen.identity import identity
from briefgen.kept import Reshaped, keep_site, reshape
from briefgen.lock import one_build_at_a_time
from briefgen.markdown import render_bodies
from briefgen.output import Written, plan_outputs, remember_outputs, search_key, write_outputs
from briefgen.parallel import Background
from briefgen.prose_edit import (
    InputScan,
    Patched,
    ProseState,
    patch_prose,
    prose_state,
    prose_state_after,
    scan_inputs,
)
from briefgen.render import TEMPLATES_DIR, THEME, OutputFile, theme_assets
from briefgen.resolve import resolve
from briefgen.search import SEARCH_DIR, find_pagefind, index_search
from briefgen.settle import PageReads, briefing_edits, read_anew, reads_now, settled_by_reads
from briefgen.sitemodel import PageSpec, SiteModel, build_model
from briefgen.sitemodel.discovery import alias_problems, claimed_urls, static_problems, static_urls
from briefgen.sitemodel.feeds import FeedSource, feed_sources
from briefgen.sitemodel.model import Remembered, mention_suggestions, undeclared_mentions
from briefgen.sitemodel.pages import Layout, lay_out
from briefgen.write import (
    OutputScan,
    SwapNeeded,
    WriteStats,
    check_output_dir,
    remove_dead_leftovers,
    scan_output,
    write_site,
)

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
    layout: Layout  # what the pages read their model through (for `kept`)
    unlinked: Mapping[str, list[EntityRef]]  # each briefing's undeclared mentions (for `kept`)
    drafts: bool  # drafts are published
    served: tuple[str, ...] = ()  # the URLs of the static files and the theme's assets


@dataclass(frozen=True)
class BuildResult:
    pages: int
    rendered: int
    stats: WriteStats
    seconds: float
    report: Report
    warnings: tuple[str, ...] = ()
    up_to_date: bool = False  # nothing had changed: the build stopped after reading the manifest
    prose_edit: bool = False  # only prose had changed: the build patched the pages that show it
    reshaped: bool = False  # the edits kept the site's shape: built from the kept site (`kept`)


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None,
              publishing: bool = False, cache: BuildCache | None = None,
              workers: int | None = None, digests_ahead: bool = False) -> LoadedSite:
    """Load and link everything, render Markdown, lay out pages; never writes.

    A missing base_url is an error when `publishing` (canonical URLs, feeds and the
    sitemap need the site's address), else a warning. `digests_ahead` digests the
    model's parts on another core while the pages are laid out (for a build with
    a cache, whose plan settles them: `ModelDigests.ahead`).
    """
    config, diagnostics = load_config(root)
    config_read = not any(d.severity is Severity.ERROR for d in diagnostics)  # else its values are defaults
    if base_url is not None:
        if not is_absolute_url(base_url):
            raise UsageError(f"--base-url must be an absolute http(s) URL, not '{base_url}'")
        config = config.with_base_url(base_url)
    content, problems = load_content(root, cache, workers=workers)
    diagnostics += problems
    registry, problems = build_registry(content)
    diagnostics += problems
    linked, problems = resolve(content, registry, config)
    diagnostics += problems
    bodies = render_bodies(linked, cache, workers=workers)
    unlinked = undeclared_mentions(linked, bodies)
    diagnostics += mention_suggestions(linked, bodies, unlinked)
    revise = cache.revise if cache is not None else no_revise
    model = build_model(linked, bodies, unlinked, drafts=drafts, revise=revise, workers=workers)
    if digests_ahead:
        model.digests.ahead()
    try:
        layout, pages, problems = lay_out(model)
        if cache is not None:
            cache.forget_unused_memo()
        diagnostics += problems
        feeds = feed_sources(model)
        claimed = claimed_urls(pages, (urls.feed_url(f.page_url) for f in feeds))
        static, links_out = scan_static(root)
        diagnostics += static_problems(static, claimed) + static_links_out(links_out)
        served = (*static_urls(static), *(f"/{f.path}" for f in theme_assets(config.relation_vocabulary)))
        diagnostics += alias_problems(model, [*claimed, *served])
        if (root / CONFIG_FILE).is_file() and config_read:
            diagnostics += base_url_problems(config, publishing=publishing)
    except BaseException:
        model.digests.stop()
        raise
    return LoadedSite(config, model, pages, Report.of(diagnostics), tuple(feeds), layout, unlinked, drafts,
                      served)


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
    persist: bool = False,
    workers: int | None = None,
    progress: Progress = _quiet,
    warn: Progress = _quiet,
    leftovers: list[object] | None = None,
) -> BuildResult:
    """Build into `out_dir` (default `root/build`); on any error the old output stays.

    With `search`, Pagefind indexes the written pages; when that fails the site is
    still built and the reason is one of the result's `warnings`. `use_cache`
    keeps a cache in `.briefgen-cache/` between runs; a long-lived caller (the
    preview server) passes its own `cache` instead, and `persist` to write it
    there too (so that the next process starts from it). A preview (`publishing=False`)
    tolerates a missing base_url. `workers` caps the processes (default: all cores).
    A caller about to exit passes `leftovers` to be given what the build made (the site,
    the cache, the plan), so that they are not freed one by one as the build returns:
    0.15 s at 10,000 briefings (`cli.run`).
    """
    out_dir = out_dir or root / OUTPUT_DIR
    check_output_dir(out_dir, root, (CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, CACHE_DIR))
    with one_build_at_a_time(root, out_dir, warn) as locked:
        result = _scanned_build(root, out_dir, drafts=drafts, base_url=base_url, search=search,
                                publishing=publishing, use_cache=use_cache, cache=cache, persist=persist,
                                workers=workers, progress=progress, warn=warn, leftovers=leftovers)
        if locked:  # after the build's own writes, which a large folder's removal would slow
            remove_dead_leftovers(out_dir)
        return result


def save_kept(root: Path, out_dir: Path, cache: BuildCache, warn: Progress = _quiet) -> None:
    """Write a long-lived cache to `.briefgen-cache/` as its last build left it, while no
    build of the site runs (as `build_site(..., persist=True)` would have)."""
    with one_build_at_a_time(root, out_dir, warn):
        save_cache(root, cache, warn)


def _scanned_build(root: Path, out_dir: Path, *, drafts: bool, base_url: str | None, search: bool,
                   publishing: bool, use_cache: bool, cache: BuildCache | None, persist: bool,
                   workers: int | None, progress: Progress, warn: Progress,
                   swapping: bool = False, leftovers: list[object] | None = None) -> BuildResult:
    # The output folder is walked on another core from the start: whether the build
    # has anything to do, and what it writes, both depend on what the folder holds.
    with fewer_collections(), Background(functools.partial(scan_output, out_dir)) as scanning:
        result = _build(root, out_dir, scanning.result, drafts=drafts, base_url=base_url,
                        search=search, publishing=publishing, use_cache=use_cache, cache=cache,
                        persist=persist, workers=workers, progress=progress, warn=warn, swapping=swapping,
                        leftovers=leftovers)
    if cache is not None and not use_cache:
        # A long-lived caller's next build freezes what it keeps (`_build`), and with it
        # any cyclic garbage of this one not collected by then: a template environment
        # and what it memoized, 12 MB after an added briefing at 10k, never freed. Only
        # what this build made after its own freeze is walked here (at 10k 0.005 s after
        # a retitle, 0.03 s after a re-indexed or a full build).
        gc.collect()
    return result


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """No cyclic garbage collection in this process while a build allocates its many
    long-lived objects.

    A build makes millions of objects that live until it ends, and makes
    almost no reference cycles; a collector walking them over and over cost
    a sixth of a 10,000-briefing build and half the time a 100,000-briefing
    site took to load its cache. Worker processes collect, seldom, over what
    they make themselves (`parallel`). The collector's state comes back after.
    """
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(100_000, 50, 100)  # what workers inherit: they make many short-lived objects
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()


def _build(root: Path, out_dir: Path, scanned: Callable[[], OutputScan], *, drafts: bool,
           base_url: str | None, search: bool, publishing: bool, use_cache: bool,
           cache: BuildCache | None, persist: bool, workers: int | None, progress: Progress,
           warn: Progress, swapping: bool = False, leftovers: list[object] | None = None) -> BuildResult:
    started = time.perf_counter()
    stamp = b""
    inputs: InputScan | None = None
    reshaped: Reshaped | None = None  # the site a long-lived cache keeps, when this edit keeps its shape
    prose = None
    earlier: PageReads | None = None  # what the pages of the last build read (`settle`)
    records_before: dict[str, RecordEntry] = {}  # the cache's records before this build loads the site
    if cache is None and use_cache:
        inputs = _inputs_stamp(root, out_dir, drafts=drafts, base_url=base_url, search=search,
                               publishing=publishing)
        stamp = inputs.stamp
        manifest = read_manifest(root)  # read once: it is large on a large site
        done = _nothing_to_do(out_dir, stamp, inputs.newest, manifest, scanned)
        if done is not None:
            pages, files, report, earlier_warnings = done
            return BuildResult(pages, 0, WriteStats(0, files, 0),
                               time.perf_counter() - started, report, earlier_warnings, up_to_date=True)
        if not search:  # a patched page would need the whole search index made again
            patched = patch_prose(root, out_dir, inputs, manifest, scanned, warn)
            if patched is not None:
                return _patched(patched, started)
        prose = manifest.prose if manifest is not None else None  # the cache's load drops it
        cache = load_cache(root, warn, manifest)
        found = load_reads(root, cache.manifest)
        if isinstance(found, PageReads):
            earlier, records_before = found, dict(cache.records)
    elif cache is not None and not search:  # a long-lived cache (the preview server's)
        inputs = _inputs_stamp(root, out_dir, drafts=drafts, base_url=base_url, search=search,
                               publishing=publishing)
        patched = patch_prose(root, out_dir, inputs, cache.manifest, scanned, warn, cache)
        if patched is not None:
            return _patched(patched, started)
        prose = cache.manifest.prose
        cache.manifest.prose = None  # until this build has made it anew
        reshaped = reshape(root, inputs, cache)
    keeping = cache is not None and not use_cache and inputs is not None
    if cache is not None:
        cache.kept = None  # until this build is good
    progress("loading content")
    if reshaped is not None:
        site = _reshaped_site(reshaped)
        if inputs is not None and cache is not None and inputs.frame_kept(reshaped.kept.inputs.frame, cache):
            workers = 1  # an edit of a few briefings: forking the kept site's heap costs more than it saves
        # else templates changed too: the pages that may load them are made on every core
    else:
        site = load_site(root, drafts=drafts, base_url=base_url, publishing=publishing, cache=cache,
                         workers=workers, digests_ahead=cache is not None)
    if keeping:
        # What a long-lived build keeps (the site, the cache) lives on after it: out of
        # the collector's sight from here, or the first collection after the build
        # walks all of it (0.15 s at 10k, after every save). Cyclic garbage made so far
        # (a Markdown renderer's, about 20 objects) is frozen with it, never collected.
        gc.freeze()
    if site.report.failed():
        site.model.digests.stop()
        if (use_cache or persist) and cache is not None:
            save_cache(root, cache, warn)
        raise ContentError(site.report)
    scan = scanned()
    registry = site.model.linked.registry
    progress(f"{_count(len(site.model.briefings), 'briefing')}, {_count(len(registry.actors), 'actor')}, "
             f"{_count(len(registry.countries), 'country', 'countries')}: "
             f"{_count(len(site.pages), 'page')}, {_count(len(site.feeds), 'feed')}")
    remembered = reshaped.kept.remembered if reshaped is not None else Remembered() if keeping else None
    by_reads = None  # what the last build's pages read says this one may leave (`settle`)
    edits = None  # the briefings this build read anew, as the last one read them
    if earlier is not None and inputs is not None and cache is not None:
        edits = briefing_edits(records_before, cache.records)
        by_reads = settled_by_reads(earlier, edits, inputs, cache, site) if edits is not None else None
    settled: Container[str] = reshaped.settled if reshaped is not None else by_reads or ()
    plan = plan_outputs(root, site.config, site.model, site.pages, site.feeds, static_files(root),
                        scan.files, cache, settled, remembered)
    progress(f"rendering and writing what changed of {len(plan.jobs)} files")
    # The search index is written after the pages, as its own output: kept by their write,
    # unless the output folder is made anew (`swapping`), when it is made anew too.
    keeps_index = search and not swapping
    keep = {path for path in scan.files if path.startswith(f"{SEARCH_DIR}/")} if keeps_index else set()
    try:
        written = write_outputs(out_dir, plan, scan, keep, workers=workers)
    except SwapNeeded:  # again, without a cache, into a new folder (this build holds the lock already)
        if swapping:
            raise
        return _scanned_build(root, out_dir, drafts=drafts, base_url=base_url, search=search,
                              publishing=publishing, use_cache=False, cache=None, persist=False,
                              workers=workers, progress=progress, warn=warn, swapping=True,
                              leftovers=leftovers)
    if cache is not None:
        remember_outputs(cache, written)
    warnings: tuple[str, ...] = ()
    if search:
        progress("indexing pages for search")
        warnings = tuple(_index_for_search(root, out_dir, written, cache is not None))
    if cache is not None:
        index = scan_output(out_dir / SEARCH_DIR).files if search else {}
        outputs = {**written.files, **{f"{SEARCH_DIR}/{path}": state for path, state in index.items()}}
        summary = (len(site.pages), site.report.diagnostics, warnings)
        cache.set_outcome(stamp, outputs, summary, plan.templates)
        if inputs is not None:
            # After edits that kept the site's shape, only the briefings read again are news.
            again = (reshaped.read if reshaped is not None and reshaped.laid_out is None
                     else tuple(read_anew(records_before, cache.records)) if by_reads is not None else None)
            cache.manifest.prose = (prose_state_after(prose, cache, again)
                                    if again is not None and isinstance(prose, ProseState)
                                    and prose.frame == inputs.frame  # templates changed: anew
                                    else prose_state(inputs, cache, site, plan))
        if keeping and inputs is not None and remembered is not None:
            cache.kept = keep_site(inputs, site, written.reads, remembered, reshaped, written.untold)
        if use_cache and inputs is not None:
            # None: the kept ones hold
            cache.reads = reads_now(inputs, site, written.reads, by_reads, written.untold)
        if use_cache or persist:
            save_cache(root, cache, warn, reads_hold=by_reads is not None and cache.reads is None)
    if leftovers is not None:
        leftovers += [site, cache, plan, written]
        gc.freeze()  # out of the collector's sight: the process drops them with itself
    return BuildResult(len(site.pages), written.pages_made, written.stats, time.perf_counter() - started,
                       site.report, warnings, reshaped=reshaped is not None)


def _reshaped_site(reshaped: Reshaped) -> LoadedSite:
    """The kept site with its model and report reshaped (`kept.reshape`): its pages read
    the new model from now on (`Layout.reshape`), or the pages laid out anew for it
    (`Reshaped.laid_out`); the kept site is stale after this."""
    kept, model = reshaped.kept.site, reshaped.model
    if reshaped.laid_out is not None:
        layout, pages = reshaped.laid_out
    else:
        layout, pages = kept.layout, kept.layout.reshape(model, reshaped.changed, kept.pages)
    return LoadedSite(kept.config, model, pages, reshaped.report, tuple(feed_sources(model)), layout,
                      reshaped.unlinked, kept.drafts, kept.served)


def _patched(patched: Patched, started: float) -> BuildResult:
    return BuildResult(patched.pages, patched.rendered, patched.stats, time.perf_counter() - started,
                       patched.report, prose_edit=True)


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _inputs_stamp(root: Path, out_dir: Path, **options: object) -> InputScan:
    """Every input of a build: its files (path, size, mtime), options, version, theme."""
    theme = Path(str(THEME))
    folders = [root / CONFIG_FILE, root / CONTENT_DIR, root / TEMPLATES_DIR, root / STATIC_DIR, theme]
    pagefind = find_pagefind() if options.get("search") else None
    described = f"{identity()}\0{out_dir.resolve()}\0{sorted(options.items())}\0{pagefind}"
    return scan_inputs(root, [f for f in folders if f.exists()], described.encode())


def _nothing_to_do(out_dir: Path, stamp: bytes, newest: int, manifest: Manifest | None,
                   scanned: Callable[[], OutputScan]) -> tuple[int, int, Report, tuple[str, ...]] | None:
    """The last build's outcome (pages, files, report, warnings) when its inputs and its
    output (as `scanned`) are exactly as they were, with no temporary file of a killed
    build left in it (which the build removes)."""
    if manifest is None or manifest.stamp != stamp or newest / 1e9 >= manifest.saved_at - RACY_SECONDS:
        return None
    if not out_dir.is_dir():
        return None
    if scanned().files != manifest.outputs or scanned().leftovers:
        return None
    pages, diagnostics, warnings = manifest.summary
    return pages, len(manifest.outputs), Report(tuple(diagnostics)), tuple(warnings)


def _index_for_search(root: Path, out_dir: Path, written: Written, cached: bool) -> list[str]:
    """Post-processing: index the written pages and write `pagefind/` as its own small output."""
    pages = [path for path in written.files if path.endswith(".html")]
    index = index_search(search_key(written) if cached else b"", out_dir, find_pagefind(),
                         root / CACHE_DIR / "search" if cached else None, pages,
                         sum(written.files[path][0] for path in pages))
    prefix = f"{SEARCH_DIR}/"
    folder = out_dir / SEARCH_DIR
    if index.files or folder.exists():
        write_site(folder, [OutputFile(f.path.removeprefix(prefix), f.data) for f in index.files],
                   outer=out_dir)  # its spare folder is not inside the output
    if not index.files and folder.is_dir():
        folder.rmdir()  # an index of pages it never saw would mislead the search page
    if index.problem:
        return [f"search index not built: {index.problem}; "
                "the rest of the site was built, its search page will say so"]
    return []


def static_files(root: Path) -> list[OutputFile]:
    """The site's `static/` folder, copied as is (dotfiles skipped)."""
    folder = root / STATIC_DIR
    return [OutputFile(path, (folder / path).read_bytes()) for path in static_paths(root)]


def static_paths(root: Path) -> list[str]:
    """The files of the site's `static/` folder that are published, as paths inside it:
    dotfiles are skipped, and so are links out of it (`static_links_out`)."""
    return scan_static(root)[0]


def static_links_out(links: Iterable[tuple[str, Path]]) -> list[Diagnostic]:
    """A warning for each symbolic link in `static/` to a file outside it (`scan_static`), which is not
    published: a site cloned from elsewhere could otherwise publish (and the preview
    serve) any file its author's links name, such as a key in the home folder."""
    return [warning(f"{STATIC_DIR}/{path}", 0, 0,
                    f"{STATIC_DIR}/{path} is a link to {target}, outside {STATIC_DIR}/; not published",
                    hint=f"copy the file into {STATIC_DIR}/ to publish it")
            for path, target in links]


def scan_static(root: Path) -> tuple[list[str], list[tuple[str, Path]]]:
    """One walk of `static/`: the paths published (`static_paths`), and each symbolic link
    to a file outside it with that file (`static_links_out`)."""
    folder = root / STATIC_DIR
    if not folder.is_dir():
        return [], []
    inside = folder.resolve()
    published: list[str] = []
    out: list[tuple[str, Path]] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        target = path.resolve()
        if target.is_relative_to(inside):
            published.append(relative.as_posix())
        else:
            out.append((relative.as_posix(), target))
    return published, out
