"""The imported briefing as a file: YAML front matter, a Markdown body, written safely.

Nothing here overwrites a file: briefings and entity stubs are opened with
mode 'x', and a briefing's slug is checked against every slug of the site.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.content.models import ActorKind
from briefgen.slugs import slug_from_filename, slugify

BRIEFINGS_DIR = Path("content/briefings")
ACTORS_DIR = Path("content/actors")
FALLBACK_SLUG = "briefing"
MAX_SLUG_TRIES = 1000

_INLINE_SPECIAL = re.compile(r"([\\`*_~\[\]<]|&(?=#?\w+;))")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+](?=\s)|(?:-[ \t]*){3,}$|(\d{1,9})([.)])(?=\s|$))")


@dataclass(frozen=True)
class Draft:
    """Everything the briefing file says."""

    title: str
    date: dt.date
    summary: str
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    paragraphs: tuple[str, ...]


def briefing_text(draft: Draft) -> str:
    front = {
        "title": draft.title,
        "date": draft.date,
        "summary": draft.summary,
        "tags": [],
        "actors": list(draft.actors),
        "countries": list(draft.countries),
        "relations": [],
        "sources": [],
    }
    body = "\n\n".join(markdown_paragraph(p) for p in draft.paragraphs)
    return f"---\n{_yaml(front)}---\n{body}\n"


def _yaml(data: Mapping[str, object]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=1_000_000)


def markdown_paragraph(text: str) -> str:
    """Plain text that Markdown shows as written: no emphasis, links, headings or lists."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    block = _BLOCK_START.match(escaped)
    if block is None:
        return escaped
    if block.group(2):
        return f"{block.group(2)}\\{block.group(3)}{escaped[block.end():]}"
    return "\\" + escaped


def stub_text(name: str, kind: ActorKind, source: str) -> str:
    front = {"name": name, "kind": kind, "aliases": []}
    return (f"---\n{_yaml(front)}---\n"
            f"Written by `briefgen import` from {source}: check the kind, "
            "then add aliases, a country and a role.\n")


def choose_slug(title: str, taken: Collection[str], given: str | None) -> str | None:
    """`given` if free (None if taken); else the title's slug, with -2, -3 ... until free."""
    if given is not None:
        return given if given not in taken else None
    base = slugify(title) or FALLBACK_SLUG
    if base not in taken:
        return base
    for number in range(2, MAX_SLUG_TRIES):
        candidate = f"{base}-{number}"
        if candidate not in taken:
            return candidate
    return None


def briefing_path(root: Path, date: dt.date, slug: str) -> Path:
    return root / BRIEFINGS_DIR / f"{date.isoformat()}-{slug}.md"


def existing_slugs(root: Path, slugs: Sequence[str]) -> set[str]:
    """The slugs of the site's briefings, and those their file names imply."""
    taken = set(slugs)
    folder = root / BRIEFINGS_DIR
    if folder.is_dir():
        taken.update(slug_from_filename(path.stem) for path in folder.rglob("*.md"))
    return taken


def write_new(path: Path, text: str) -> bool:
    """Write `text` to a new file; False, and nothing written, when `path` exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True
