"""Measure `briefgen build` on generated corpora of several sizes, in several scenarios.

    python -m bench.run [--sizes 1000,10000,100000] [--json results.json] [--workdir DIR]

For each size the corpus is generated once into `bench/corpora/` (reused on
later runs, keyed by size and seed), copied into a scratch folder under the
work folder, and built as a child process once per scenario (see
`bench/scenarios.py`). Results print as a table and optionally as JSON.

Old outputs are never deleted while measuring: they are moved aside, and all
scratch folders are deleted only after every measurement of the run (on these
machines file creation is slow for minutes after a mass delete).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus import CORPUS_VERSION, write_corpus
from bench.measure import Measurement, measure_build
from bench.scenarios import SCENARIOS, Scenario, Workspace

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CORPORA = BENCH_DIR / "corpora"
DEFAULT_WORKDIR = BENCH_DIR / "out"
DEFAULT_SIZES = "1000,10000"
COLUMNS = (
    ("size", ">8"), ("scenario", "<13"), ("wall s", ">8"), ("cpu s", ">8"), ("pages", ">7"),
    ("rendered", ">8"), ("written", ">8"), ("unchanged", ">9"),
    ("removed", ">7"), ("ms/page", ">8"), ("peak MB", ">8"),
    ("load", ">5"),
)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def corpus_for(size: int, seed: int) -> Path:
    """The corpus of (size, seed), generated on first use; a partial one never counts."""
    final = CORPORA / f"b{size}-s{seed}-v{CORPUS_VERSION}"
    if final.is_dir():
        return final
    partial = CORPORA / f".{final.name}.partial-{os.getpid()}"
    log(f"generating a corpus of {size} briefings (seed {seed}) in {final}")
    started = time.perf_counter()
    write_corpus(partial, size, seed)
    partial.rename(final)
    log(f"generated in {time.perf_counter() - started:.1f}s")
    return final


def run_size(size: int, seed: int, run_dir: Path, scenarios: Sequence[Scenario],
             timeout: float, search: bool = False) -> list[Measurement]:
    corpus = corpus_for(size, seed)
    scratch = run_dir / f"b{size}-s{seed}"
    workspace = Workspace(site=scratch / "site", trash=scratch / "trash", seed=seed, size=size)
    log(f"copying the corpus to {workspace.site}")
    shutil.copytree(corpus, workspace.site)
    results = []
    for scenario in scenarios:
        change = scenario.prepare(workspace)
        log(f"[{size}] {scenario.name}: {change}; building")
        result = measure_build(workspace.site, scratch / "logs", size, scenario.name, timeout, search)
        log(f"[{size}] {scenario.name}: {result.wall_s:.2f}s wall"
            + (f", FAILED: {result.error}" if not result.ok else ""))
        results.append(result)
    return results


def table(results: Sequence[Measurement]) -> str:
    header = "  ".join(f"{name:{align}}" for name, align in COLUMNS)
    lines = [header, "-" * len(header)]
    for r in results:
        rendered = "-" if r.rendered is None else r.rendered
        cells = (r.size, r.scenario, f"{r.wall_s:.2f}", f"{r.cpu_s:.2f}", r.pages, rendered, r.written,
                 r.unchanged, r.removed, f"{r.ms_per_page:.3f}", f"{r.peak_mb:.0f}", f"{r.load:.1f}")
        line = "  ".join(f"{cell:{align}}" for cell, (_, align) in zip(cells, COLUMNS, strict=True))
        lines.append(line + (f"  FAILED: {r.error}" if not r.ok else ""))
    return "\n".join(lines)


def metadata(seed: int, sizes: Sequence[int]) -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "seed": seed,
        "sizes": list(sizes),
        "scenarios": {s.name: s.description for s in SCENARIOS},
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of numbers") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers")
    return sizes


def _scenarios(text: str) -> list[Scenario]:
    known = {s.name: s for s in SCENARIOS}
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown scenario {unknown[0]!r}; known: {', '.join(known)}")
    return [s for s in SCENARIOS if s.name in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark 'briefgen build' on generated corpora (cold, warm and incremental builds).",
    )
    parser.add_argument("--sizes", type=_sizes, default=_sizes(DEFAULT_SIZES),
                        help=f"comma-separated corpus sizes in briefings (default {DEFAULT_SIZES})")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="scratch folder for site copies and outputs (default bench/out)")
    parser.add_argument("--scenarios", type=_scenarios, default=list(SCENARIOS),
                        help="comma-separated subset of: " + ", ".join(s.name for s in SCENARIOS))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per build (default 3600)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders afterwards")
    parser.add_argument("--search", action="store_true",
                        help="build the Pagefind search index too (default: --no-search, like the peers)")
    args = parser.parse_args(argv)

    run_dir = args.workdir.resolve() / f"run-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    results: list[Measurement] = []
    try:
        for size in args.sizes:
            results += run_size(size, args.seed, run_dir, args.scenarios, args.timeout, args.search)
    finally:
        if results:
            print(table(results), flush=True)
        if args.json and results:
            document = {"meta": metadata(args.seed, args.sizes), "results": [r.as_json() for r in results]}
            args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            log(f"wrote {args.json}")
        if args.keep:
            log(f"kept {run_dir}")
        elif run_dir.exists():
            log(f"measurements done; deleting {run_dir}")
            shutil.rmtree(run_dir)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
