"""Front matter to records: one function per kind of content file.

Each function reads every key it knows, so that all problems of a file are
reported together, and keeps the keys it does not know in `extra`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from briefgen.content.models import (
    Actor,
    ActorKind,
    Briefing,
    Country,
    Page,
    RelationStatement,
    Source,
)
from briefgen.diagnostics import error, warning
from briefgen.frontmatter import FrontMatter, Located
from briefgen.packed import PackedText
from briefgen.slugs import date_prefix, is_slug, slug_from_filename, slugify
from briefgen.source import SplitSource

SAFE_URL_SCHEMES = ("http", "https")
ACTOR_KINDS: dict[str, ActorKind] = {
    "person": "person",
    "organization": "organization",
    "organisation": "organization",
}


def _stem(path: str) -> str:
    return PurePosixPath(path).stem


def _slug(fm: FrontMatter, stem: str) -> tuple[str, int]:
    """The slug from front matter, else from the file name; an invalid given slug is an error."""
    given = fm.text("slug", example="pashinyan-in-moscow")
    if given is None:
        return slug_from_filename(stem), 0
    if not is_slug(given.value):
        fm.diagnostics.append(error(
            fm.path, given.line, given.col,
            f"slug '{given.value}' may hold only a-z, 0-9 and '-'",
            hint=f"slug: {slugify(given.value) or 'my-briefing'}",
        ))
        return slug_from_filename(stem), given.line
    return given.value, given.line


def _entity_id(fm: FrontMatter, stem: str) -> str:
    if is_slug(stem):
        return stem
    suggested = slugify(stem)
    fm.diagnostics.append(error(
        fm.path, 0, 0,
        f"file name '{stem}' is not a valid id (a-z, 0-9 and '-' only)",
        hint=f"rename the file to '{suggested or 'name'}.md'",
    ))
    return suggested or "invalid"


def _title(fm: FrontMatter, key: str) -> str:
    return _required_text(fm, key).value


def _required_text(fm: FrontMatter, key: str) -> Located:
    located = fm.text(key, required=True, example="A title")
    if located is None:
        return Located("", *fm.where(key))
    if not located.value:
        fm.diagnostics.append(error(fm.path, located.line, located.col, f"'{key}' is empty"))
    return located


def read_briefing(fm: FrontMatter, split: SplitSource) -> Briefing:
    stem = _stem(fm.path)
    title = _title(fm, "title")
    dated = fm.date("date", required=True)
    updated = fm.date("updated")
    day, time = dated if dated else (None, None)
    if day is not None and updated is not None and updated[0] < day:
        line, col = fm.where("updated")
        fm.diagnostics.append(warning(
            fm.path, line, col,
            f"'updated' ({updated[0]}) is earlier than 'date' ({day})",
            hint="'updated' is the date of the last revision, on or after 'date'",
        ))
    prefix = date_prefix(stem)
    if day is not None and prefix is not None and prefix != day.isoformat():
        line, col = fm.where("date")
        fm.diagnostics.append(warning(
            fm.path, line, col,
            f"file name says {prefix} but 'date' is {day.isoformat()}",
            hint="rename the file or correct the date",
        ))
    slug, slug_line = _slug(fm, stem)
    summary = fm.text("summary")
    tags = fm.text_list("tags", example="[diplomacy, security]")
    for tag in tags:
        if not slugify(tag.value):
            fm.diagnostics.append(error(fm.path, tag.line, tag.col,
                                        f"tag '{tag.value}' has no letters or digits"))
    return Briefing(
        source=fm.path,
        slug=slug,
        title=title,
        date=day or dt.date.min,
        time=time,
        updated=updated[0] if updated else None,
        summary=summary.value if summary else "",
        draft=fm.boolean("draft", default=False),
        tags=tuple(tag.value for tag in tags if slugify(tag.value)),
        actors=fm.text_list("actors", example="[Vladimir Putin, CSTO]"),
        countries=fm.text_list("countries", example="[Armenia, Russia]"),
        relations=tuple(_relations(fm)),
        sources=tuple(_sources(fm)),
        aliases=tuple(_aliases(fm)),
        body=PackedText.pack(split.body),
        body_line=split.body_line,
        slug_line=slug_line,
        extra=fm.extra(),
    )


def _relations(fm: FrontMatter) -> list[RelationStatement]:
    statements = []
    for item in fm.mappings("relations"):
        between = item.text_list("between", example="[Armenia, Russia]")
        status = item.text("status", example="strained")
        note = item.text("note")
        for key in item.extra():
            line, col = item.where(key)
            fm.diagnostics.append(error(
                fm.path, line, col, f"unknown key '{key}' in a relation",
                hint="a relation has 'between', 'status' and 'note'",
            ))
        statements.append(RelationStatement(between, status, note.value if note else "", item.line))
    return statements


def _sources(fm: FrontMatter) -> list[Source]:
    sources = []
    for item in fm.mappings("sources"):
        title = item.text("title")
        url = item.text("url", example="https://example.org/story")
        if url is not None and url.value and not _safe_url(url.value):
            fm.diagnostics.append(error(
                fm.path, url.line, url.col, f"source url '{url.value}' is not an http(s) URL",
                hint="url: https://...",
            ))
            url = None
        if title is None and url is None:
            fm.diagnostics.append(error(fm.path, item.line, item.col,
                                        "a source needs a 'title' or a 'url'"))
        publisher = item.text("publisher")
        dated = item.date("date")
        item.extra()
        sources.append(Source(
            title=title.value if title else "",
            publisher=publisher.value if publisher else "",
            url=url.value if url else "",
            date=dated[0].isoformat() if dated else "",
        ))
    return sources


def _aliases(fm: FrontMatter) -> list[Located]:
    aliases = []
    for alias in fm.text_list("aliases", example="[/2024/05/old-url/]"):
        path = PurePosixPath(alias.value)
        if not alias.value.startswith("/") or ".." in path.parts or "//" in alias.value:
            fm.diagnostics.append(error(
                fm.path, alias.line, alias.col,
                f"alias '{alias.value}' must be a site path starting with '/'",
                hint="aliases: [/2024/05/old-url/]",
            ))
            continue
        aliases.append(alias)
    return aliases


def _safe_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in SAFE_URL_SCHEMES and bool(parts.netloc)


def read_actor(fm: FrontMatter, split: SplitSource) -> Actor:
    name = _required_text(fm, "name")
    kind = fm.choice("kind", ("person", "organization", "organisation"), default="person")
    role = fm.text("role")
    return Actor(
        id=_entity_id(fm, _stem(fm.path)),
        source=fm.path,
        name=name.value,
        name_at=(name.line, name.col),
        kind=ACTOR_KINDS[kind],
        aliases=fm.text_list("aliases", example="[Putin, President Putin]"),
        country=fm.text("country", example="Russia"),
        role=role.value if role else "",
        body=PackedText.pack(split.body),
        body_line=split.body_line,
        extra=fm.extra(),
    )


def read_country(fm: FrontMatter, split: SplitSource) -> Country:
    name = _required_text(fm, "name")
    code = fm.text("code", example="AM")
    if code is not None and not (len(code.value) == 2 and code.value.isascii()
                                 and code.value.isalpha() and code.value.isupper()):
        fm.diagnostics.append(error(
            fm.path, code.line, code.col,
            f"code '{code.value}' is not an ISO 3166-1 alpha-2 code",
            hint="two capital letters, e.g. code: AM",
        ))
    region = fm.text("region")
    return Country(
        id=_entity_id(fm, _stem(fm.path)),
        source=fm.path,
        name=name.value,
        name_at=(name.line, name.col),
        code=code.value if code else "",
        aliases=fm.text_list("aliases", example="[Armenian, Yerevan]"),
        region=region.value if region else "",
        body=PackedText.pack(split.body),
        body_line=split.body_line,
        extra=fm.extra(),
    )


def read_page(fm: FrontMatter, split: SplitSource) -> Page:
    title = _title(fm, "title")
    slug, _ = _slug(fm, _stem(fm.path))
    return Page(
        source=fm.path,
        slug=slug,
        title=title,
        menu=fm.boolean("menu", default=False),
        weight=fm.integer("weight", default=0, minimum=-1000),
        body=PackedText.pack(split.body),
        body_line=split.body_line,
        extra=fm.extra(),
    )

