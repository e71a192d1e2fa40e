"""Where one build's time goes: wall seconds per pipeline stage, in this process.

    python -m bench.stages SITE [--edit] [--no-cache]

Builds SITE (with its cache, without a search index) once and prints the wall
time of each stage function, largest first. `--edit` first adds a sentence to
the last paragraph of SITE's first briefing (a prose edit) and waits out the
two seconds in which an mtime proves nothing; `--no-cache` builds without the
cache. Stages nest (`write_outputs` includes its `run_jobs`), so the column does
not add up to the total. Work in worker processes shows as the parent's wait.
"""

from __future__ import annotations

import argparse
import functools
import random
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import briefgen.build as build
import briefgen.output as output

STAGES: dict[ModuleType, tuple[str, ...]] = {
    build: ("load_cache", "load_content", "build_registry", "resolve", "render_bodies", "mention_suggestions",
            "build_model", "lay_out", "feed_sources", "alias_problems", "plan_outputs", "write_outputs",
            "remember_outputs", "save_cache", "scan_output", "_inputs_stamp", "patch_prose", "prose_state"),
    output: ("run_jobs", "begin", "commit", "make_environment", "template_inputs"),
}


def timed(module: ModuleType, name: str, times: dict[str, float]) -> None:
    """Replace `module.name` by a wrapper that adds its wall time to `times`."""
    original: Callable[..., Any] = getattr(module, name)
    label = name if module is build else f"{module.__name__.rsplit('.', 1)[-1]}.{name}"

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times[label] = times.get(label, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def add_a_sentence(site: Path) -> Path:
    briefing = sorted((site / "content" / "briefings").glob("*.md"))[0]
    with briefing.open("a", encoding="utf-8") as handle:
        handle.write(f"An added sentence {random.randrange(10**9)}.\n")
    time.sleep(2.1)
    return briefing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edit", action="store_true", help="make a prose edit first")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    times: dict[str, float] = {}
    for module, names in STAGES.items():
        for name in names:
            if hasattr(module, name):
                timed(module, name, times)
    if args.edit:
        print(f"edited {add_a_sentence(args.site).name}")
    started = time.perf_counter()
    result = build.build_site(args.site, search=False, use_cache=not args.no_cache)
    total = time.perf_counter() - started
    for label, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"{label:28s} {seconds:7.3f}")
    print(f"{'total':28s} {total:7.3f}  ({result.rendered} pages rendered, "
          f"{result.stats.written} files written{', a prose edit' if result.prose_edit else ''})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
