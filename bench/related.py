"""What revising the related briefings saves over finding them again, on a real model.

    python -m bench.related SITE

Loads SITE's model once, finds every briefing's related ones afresh, then
times, for one briefing deleted and for one added (the newest), a fresh
search against a revision of the first result (`revise_related`), checks that
both give the same lists, and prints how many lists are as they were.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from briefgen.build import load_site
from briefgen.resolve import ResolvedBriefing
from briefgen.sitemodel.related import RelatedState, revise_related

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def edits(briefings: Sequence[ResolvedBriefing]) -> list[tuple[str, list[ResolvedBriefing]]]:
    middle = len(briefings) // 3
    item = briefings[middle]
    added = dataclasses.replace(item, briefing=dataclasses.replace(
        item.briefing, source="content/briefings/9999-12-31-bench-added.md"))
    return [("one deleted", [*briefings[:middle], *briefings[middle + 1:]]),
            ("one added", [added, *briefings])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    briefings = list(load_site(args.site).model.briefings)
    first, seconds = timed(lambda: revise_related(briefings, None))
    print(f"{len(briefings)} briefings, found afresh: {seconds:.3f}s")
    for label, changed in edits(briefings):
        fresh, fresh_seconds = timed(lambda changed=changed: revise_related(changed, None))
        revised, revised_seconds = timed(lambda changed=changed: revise_related(changed, first))
        same = revised.related == fresh.related
        verdict = "the same lists" if same else "DIFFERENT LISTS"
        print(f"{label}: afresh {fresh_seconds:.3f}s, revised {revised_seconds:.3f}s "
              f"({unchanged(first, revised)} of {len(changed)} lists as before), {verdict}")
        if not same:
            return 1
    return 0


def unchanged(earlier: RelatedState, revised: RelatedState) -> int:
    """How many briefings have, as positions now, the related ones they had before."""
    position = {source: index for index, source in enumerate(revised.sources)}
    count = 0
    for old, source in enumerate(earlier.sources):
        new = position.get(source)
        if new is not None and tuple(position.get(earlier.sources[r], -1) for r in earlier.related[old]) \
                == revised.related[new]:
            count += 1
    return count


if __name__ == "__main__":
    raise SystemExit(main())
