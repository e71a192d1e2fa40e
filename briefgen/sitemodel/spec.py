"""A page to render: the unit the renderer, the writer and the cache work with."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

BUILT_IN = "(built-in page)"


@dataclass(frozen=True)
class PageSpec:
    """One output page: everything it shows is in `context` (plain data only)."""

    url: str
    template: str
    context: Mapping[str, Any]
    source: str = BUILT_IN
    line: int = 0
    lastmod: str | None = None  # the newest content date the page shows (for the sitemap)
    # A cheap digest of everything the page's context and head read except the
    # site-wide data (configuration, templates, site context, feeds): equal
    # `inputs()` with equal site-wide data mean an equal page. None when the
    # page builder does not say; then only a digest of the whole context tells.
    inputs: Callable[[], bytes] | None = field(default=None, compare=False)


class Deferred(Mapping[str, Any]):
    """A page context made only where it is used: in the worker that digests or renders
    the page. Each use builds it anew and nothing is kept, so the process that lays
    out a large site never holds every page's data at once. Use `plain` to build
    it once and work on the result.
    """

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self.build = build

    def __getitem__(self, key: str) -> Any:
        return self.build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.build())

    def __len__(self) -> int:
        return len(self.build())


def plain(context: Mapping[str, Any]) -> dict[str, Any]:
    """A page context as a new dict of its own (a `Deferred` one built once)."""
    return context.build() if isinstance(context, Deferred) else dict(context)
