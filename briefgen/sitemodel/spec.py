"""A page to render: the unit the renderer, the writer and the cache work with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
