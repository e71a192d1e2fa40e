"""Writing SVG markup by hand: escaping, numbers, elements and the chart envelope.

Charts are built as strings so that output is byte-identical from run to run:
attributes keep the order they are given in, numbers are rounded to one
decimal, and the element ids a page needs (for `aria-labelledby`) are derived
from the content, not from a counter or the clock.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_SIZE = 12
MUTED_OPACITY = "0.25"
EN_DASH = "\u2013"

Attribute = str | int | float | None
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NARROW = frozenset(" !'(),-./:;I[]fijlrt|\u0131")
_WIDE = frozenset("MWmw@%")


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _NOT_XML.sub("", text)


def escape_text(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """For a double-quoted attribute; whitespace is kept as character references,
    which an XML parser would otherwise normalise to spaces."""
    return (escape_text(text).replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def number(value: float) -> str:
    """`value` rounded to one decimal, without a trailing '.0' or a '-0'."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _attributes(attributes: Mapping[str, Attribute]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, bool):
            raise TypeError(f"attribute {name!r} must not be a bool")
        shown = number(value) if isinstance(value, int | float) else escape_attribute(value)
        parts.append(f' {name}="{shown}"')
    return "".join(parts)


def element(name: str, attributes: Mapping[str, Attribute] | None = None, *children: str) -> str:
    """`<name ...>children</name>`, or `<name .../>` without children; children are markup."""
    attrs = _attributes(attributes or {})
    if not children:
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{''.join(children)}</{name}>"


def text_element(name: str, attributes: Mapping[str, Attribute] | None, text: str) -> str:
    """An element holding `text`, escaped."""
    return f"<{name}{_attributes(attributes or {})}>{escape_text(text)}</{name}>"


def link(url: str, tooltip: str, *shapes: str) -> str:
    """Shapes that link to `url` with `tooltip` as their `<title>`; unlinked if `url` is empty."""
    children = (text_element("title", None, tooltip), *shapes)
    if not url:
        return element("g", None, *children)
    return element("a", {"href": url}, *children)


def document(kind: str, title: str, description: str, size: tuple[float, float],
             body: Iterable[str]) -> str:
    """The `<svg>` envelope: an accessible image titled `title`, sized `size` in user units.

    A chart with links is a `group` (its links stay reachable); one without is an `img`.

    `width` and `height` equal the viewBox, so the chart shows at its natural
    size unless CSS scales it; text sizes are in viewBox units and scale with it.
    """
    width, height = size
    payload = "\n".join(body)
    digest = hashlib.sha256("\0".join((kind, title, description, payload)).encode("utf-8"))
    ident = f"chart-{kind}-{digest.hexdigest()[:12]}"
    root: dict[str, Attribute] = {
        "xmlns": SVG_NAMESPACE,
        "viewBox": f"0 0 {number(width)} {number(height)}",
        "width": width,
        "height": height,
        "role": "group" if "<a " in payload else "img",
        "aria-labelledby": f"{ident}-title {ident}-desc",
        "class": f"chart chart-{kind}",
        "font-size": FONT_SIZE,
    }
    head = (f"<svg{_attributes(root)}>\n"
            + text_element("title", {"id": f"{ident}-title"}, title) + "\n"
            + text_element("desc", {"id": f"{ident}-desc"}, description) + "\n")
    return head + payload + ("\n" if payload else "") + "</svg>"


def empty_chart(kind: str, title: str, message: str) -> str:
    """A small chart that only says `message`: what a chart with nothing to draw shows."""
    width = max(240.0, text_width(message) + 32)
    attributes: dict[str, Attribute] = {"class": "chart-empty", "x": width / 2, "y": 28,
                                        "text-anchor": "middle", "fill": "currentColor"}
    note = text_element("text", attributes, message)
    return document(kind, title, message, (width, 44), [note])


@functools.lru_cache(maxsize=8192)
def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """A generous estimate of how wide `text` sets in a sans-serif face.

    There is no font to measure at build time; erring wide keeps labels on the canvas.
    Pure, and asked about the same labels again and again: hence the memo.
    """
    ems = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            ems += 1.0
        elif char in _NARROW:
            ems += 0.34
        elif char in _WIDE:
            ems += 0.9
        elif char.isupper():
            ems += 0.7
        else:
            ems += 0.58
    return ems * font_size


def fit(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """`text`, cut short with an ellipsis if it would be wider than `max_width`."""
    text = " ".join(clean(text).split())
    if text_width(text, font_size) <= max_width:
        return text
    while text and text_width(text + "…", font_size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def name_key(name: str) -> tuple[str, str]:
    """Alphabetical order that ignores case and accents ('Åland' files under A)."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return (stripped.casefold(), name)
