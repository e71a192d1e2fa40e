"""The content model: one frozen record per source file, references still unresolved.

References (`actors`, `countries`, `between`, an actor's `country`) stay as
`Located` text here; `briefgen.resolve` turns them into entity ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from briefgen.frontmatter import Located
from briefgen.packed import PackedText
from briefgen.pickling import compact_pickle

ActorKind = Literal["person", "organization"]


@compact_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """A source a briefing cites."""

    title: str
    publisher: str
    url: str
    date: str


@compact_pickle
@dataclass(frozen=True, slots=True)
class RelationStatement:
    """'Between these two countries, relations are `status`', as a briefing states it."""

    between: tuple[Located, ...]
    status: Located | None
    note: str
    line: int


@dataclass(frozen=True)
class Briefing:
    source: str
    slug: str
    title: str
    date: dt.date
    time: dt.datetime | None
    updated: dt.date | None
    summary: str
    draft: bool
    tags: tuple[str, ...]
    actors: tuple[Located, ...]
    countries: tuple[Located, ...]
    relations: tuple[RelationStatement, ...]
    sources: tuple[Source, ...]
    aliases: tuple[Located, ...]
    body: PackedText  # the Markdown after the front matter
    body_line: int
    slug_line: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)
    # A digest of the bytes it was read from ("" when not read from a file): with
    # `source` it fixes every other field, so it stands for the record where a
    # digest of the record is wanted cheaply.
    digest: str = ""

    @property
    def moment(self) -> tuple[str, str]:
        """When it was published, as sortable text: the date, then the time if given."""
        clock = self.time.isoformat() if self.time else ""
        return (self.date.isoformat(), clock)


@dataclass(frozen=True)
class Actor:
    id: str
    source: str
    name: str
    kind: ActorKind
    aliases: tuple[Located, ...]
    country: Located | None
    role: str
    body: PackedText  # the Markdown after the front matter
    body_line: int
    name_at: tuple[int, int] = (0, 0)
    extra: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # of the bytes it was read from, as `Briefing.digest`


@dataclass(frozen=True)
class Country:
    id: str
    source: str
    name: str
    code: str
    aliases: tuple[Located, ...]
    region: str
    body: PackedText  # the Markdown after the front matter
    body_line: int
    name_at: tuple[int, int] = (0, 0)
    extra: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # of the bytes it was read from, as `Briefing.digest`


@dataclass(frozen=True)
class Page:
    """A plain page (about, methodology) at `/<slug>/`."""

    source: str
    slug: str
    title: str
    menu: bool
    weight: int
    body: PackedText  # the Markdown after the front matter
    body_line: int
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    """Every record of a site, each tuple in source-path order."""

    briefings: tuple[Briefing, ...]
    actors: tuple[Actor, ...]
    countries: tuple[Country, ...]
    pages: tuple[Page, ...]
