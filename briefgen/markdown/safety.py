"""Which link targets a briefing may use: relative links and a few harmless schemes."""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_link(url: str) -> bool:
    """True for relative URLs and http(s), mailto and tel; false for javascript:, data: and the rest.

    Browsers ignore control characters and spaces inside a scheme ("java\\tscript:"),
    so they are dropped before the scheme is read.
    """
    compact = _INVISIBLE.sub("", url)
    colon = compact.find(":")
    if colon < 0:
        return True
    if any(ch in compact[:colon] for ch in "/?#"):
        return True
    return compact[:colon].lower() in SAFE_SCHEMES
