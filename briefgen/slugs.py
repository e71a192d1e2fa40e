"""Slugs and ids: the URL-safe names of briefings, entities, tags and pages."""

from __future__ import annotations

import functools
import re

from slugify import slugify as _slugify

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})-")


def is_slug(text: str) -> bool:
    """True for lower-case a-z, 0-9 and single '-' between them: safe in any URL path."""
    return SLUG.fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """A slug for free text, transliterating non-Latin letters ('Ереван' -> 'erevan').

    Pure, and asked about the same tags over and over: hence the memo.
    """
    return str(_slugify(text, max_length=80, word_boundary=True))


def slug_from_filename(stem: str) -> str:
    """`2024-05-08-pashinyan-in-moscow` -> `pashinyan-in-moscow`."""
    match = DATE_PREFIX.match(stem)
    rest = stem[match.end():] if match else stem
    return rest if is_slug(rest) else slugify(rest)


def date_prefix(stem: str) -> str | None:
    match = DATE_PREFIX.match(stem)
    return match.group(1) if match else None
