"""Rebuild times of a long-lived build (as `briefgen serve` makes them) after one edit.

    python -m bench.kept SITE [--runs 3]

Builds SITE once with a cache kept in memory (one process, as the server
does; SITE's own `.briefgen-cache/` is read first when there is one), then,
for each kind of edit, edits a briefing in the middle of the list (or copies
it under a new name, or moves it out of the site), waits out the two seconds
in which an mtime proves nothing, rebuilds, and prints the median wall time
with how the build went: `kept` (the kept site, reshaped or re-indexed:
`briefgen.kept`), `prose` (patched: `briefgen.prose_edit`) or `full`. Every
edited file is put back as it was at the end, copies removed; the process's
peak memory is printed last. No browser: for the time from a save to the
reloaded page, see bench/serve_latency.py.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.build import BuildResult, build_site
from briefgen.cache import load_cache

EDITS: dict[str, Callable[[str, int], str]] = {
    "retitle": lambda text, n: re.sub(r"^title: .*$", f"title: Retitled {n}", text, count=1, flags=re.M),
    "summary": lambda text, n: re.sub(r"^title: ", f"summary: In short, number {n}.\ntitle: ", text,
                                      count=1, flags=re.M),
    "paragraph": lambda text, n: f"{text.rstrip()}\n\nAn added paragraph, number {n}.\n",
    "new tag": lambda text, n: re.sub(r"^tags: \[", f"tags: [bench-{n}, ", text, count=1, flags=re.M),
    "other tags": lambda text, n: re.sub(r"^tags: .*$", f"tags: [{['climate', 'energy'][n % 2]}]", text,
                                         count=1, flags=re.M),
    "fewer actors": lambda text, n: re.sub(r"^actors: \[[^,\]]*, ", "actors: [", text, count=1, flags=re.M),
    "relation": lambda text, n: re.sub(r"^    status: \w+", f"    status: {['strained', 'neutral'][n % 2]}",
                                       text, count=1, flags=re.M),
    "new date": lambda text, n: re.sub(r"^date: .*$", f"date: 2019-0{1 + n % 9}-1{n % 10}", text,
                                       count=1, flags=re.M),
}


# Edits of the file set: a copy of the briefing under a new name (a new slug, the same
# date), or the briefing moved out of the site. Put back at the end, as the others are.
FILE_EDITS = ("new briefing", "deleted briefing")


def how(result: BuildResult) -> str:
    return "prose" if result.prose_edit else "kept" if result.reshaped else "full"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site: Path = args.site.absolute()
    cache = load_cache(site, lambda message: print(f"warning: {message}"))

    def rebuild() -> BuildResult:
        return build_site(site, site / "build", search=False, publishing=False, cache=cache, workers=1)

    started = time.perf_counter()
    first = rebuild()
    print(f"first build: {time.perf_counter() - started:.2f} s ({first.pages} pages)")
    files = sorted((site / "content" / "briefings").glob("*.md"))
    originals: dict[Path, str] = {}
    created: list[Path] = []
    aside = Path(tempfile.mkdtemp(prefix=".bench-kept-", dir=site))  # beside content/: not an input
    try:
        for kind in [*EDITS, *FILE_EDITS]:
            seconds, ways = [], set()
            for run in range(args.runs):
                file = files[(len(files) // 2 + run) % len(files)]
                text = originals.setdefault(file, file.read_text(encoding="utf-8"))
                if kind == "summary" and re.search(r"^summary:", text, flags=re.M):
                    continue  # it has one: a second would be an error
                if kind == "new briefing":
                    created.append(file.with_name(f"{file.stem}-bench-{run}.md"))
                    created[-1].write_text(text, encoding="utf-8")
                elif kind == "deleted briefing":
                    file.rename(aside / file.name)
                else:
                    file.write_text(EDITS[kind](text, random.randrange(10**9)), encoding="utf-8")
                time.sleep(2.1)
                started = time.perf_counter()
                result = rebuild()
                seconds.append(time.perf_counter() - started)
                ways.add(how(result))
            if not seconds:
                print(f"{kind:16s} not measured: the briefings edited have a summary already")
                continue
            print(f"{kind:16s} median {statistics.median(seconds):6.3f} s  "
                  f"({', '.join(f'{s:.3f}' for s in seconds)}; {'/'.join(sorted(ways))})")
    finally:
        for moved in aside.iterdir():
            moved.rename(site / "content" / "briefings" / moved.name)
        aside.rmdir()
        for file in created:
            file.unlink(missing_ok=True)
        for file, text in originals.items():
            file.write_text(text, encoding="utf-8")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
