"""Long lists cut into numbered pages with stable URLs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from briefgen.sitemodel.spec import Deferred, PageSpec
from briefgen.urls import numbered_page_url

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Slice:
    url: str
    items: Sequence[Any]
    pager: dict[str, Any]


WINDOW = 2


def paginate(url: str, items: Sequence[T], page_size: int) -> list[Slice]:
    """At least one page, even for an empty list; every page knows its neighbours.

    Each page links to the first and last pages and to the `WINDOW` pages either
    side of itself (a gap is `None`), so a pager stays small however long the list.
    """
    count = max(1, -(-len(items) // page_size))
    urls = [numbered_page_url(url, n) for n in range(1, count + 1)]
    slices = []
    for index in range(count):
        pager = {
            "number": index + 1,
            "count": count,
            "total_items": len(items),
            "prev_url": urls[index - 1] if index > 0 else None,
            "next_url": urls[index + 1] if index + 1 < count else None,
            "pages": _window(urls, index) if count > 1 else [],
        }
        slices.append(Slice(urls[index], items[index * page_size:(index + 1) * page_size], pager))
    return slices


def _window(urls: Sequence[str], index: int) -> list[dict[str, Any] | None]:
    shown = sorted({0, len(urls) - 1, *range(max(0, index - WINDOW), min(len(urls), index + WINDOW + 1))})
    pages: list[dict[str, Any] | None] = []
    for position, number in enumerate(shown):
        if position and number != shown[position - 1] + 1:
            pages.append(None)
        pages.append({"number": number + 1, "url": urls[number]})
    return pages


def pick(items: Sequence[T], positions: Sequence[int]) -> list[T]:
    return [items[i] for i in positions]


def list_pages(url: str, template: str, items: Sequence[Any], page_size: int,
               context: Mapping[str, Any] | Callable[[], dict[str, Any]], source: str,
               inputs: Callable[[Sequence[Any], dict[str, Any]], bytes] | None = None,
               also: Sequence[Any] = ()) -> Iterator[PageSpec]:
    """A page (or several) showing `context` plus one slice of `items` (cards, newest
    first) as `briefings`; `inputs(slice, pager)`, when given, digests what one such page
    reads (`PageSpec.inputs`).

    A `context` given as a function is made where each page is digested or rendered
    (`Deferred`); the newest card it shows besides the list (`also`) dates the pages.
    """
    for part in paginate(url, items, page_size):
        shown = [*part.items[:1], *also[:1]]
        page_context: Mapping[str, Any] = (
            Deferred(functools.partial(_with_slice, context, part.items, part.pager)) if callable(context)
            else {**context, "briefings": list(part.items), "pager": part.pager})
        yield PageSpec(part.url, template, page_context,
                       source=source, lastmod=max((card["date"]["iso"] for card in shown), default=None),
                       inputs=functools.partial(inputs, part.items, part.pager) if inputs else None)


def _with_slice(context: Callable[[], dict[str, Any]], items: Sequence[Any],
                pager: dict[str, Any]) -> dict[str, Any]:
    return {**context(), "briefings": list(items), "pager": pager}
