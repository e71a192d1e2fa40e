"""The entity registry: actors and countries by id, name and alias.

The registry refuses collisions (two entities claiming one name or alias,
two files claiming one id), naming both files, and resolves references
ignoring case, with the nearest known names when a reference is unknown.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from briefgen.content.models import Actor, Content, Country
from briefgen.diagnostics import Diagnostic, error
from briefgen.frontmatter import Located

EntityKind = Literal["actor", "country"]
KIND_FOLDER: dict[EntityKind, str] = {"actor": "actors", "country": "countries"}


class EntityRef(NamedTuple):
    kind: EntityKind
    id: str


class SurfaceForm(NamedTuple):
    """A text that names an entity: its name or one of its aliases."""

    text: str
    entity: EntityRef


@dataclass(frozen=True)
class Registry:
    actors: Mapping[str, Actor]
    countries: Mapping[str, Country]
    keys: Mapping[str, tuple[EntityRef, ...]] = field(repr=False)

    def entity(self, ref: EntityRef) -> Actor | Country:
        return self.actors[ref.id] if ref.kind == "actor" else self.countries[ref.id]

    def source(self, ref: EntityRef) -> str:
        return self.entity(ref).source

    def surface_forms(self) -> Iterator[SurfaceForm]:
        """Names and aliases of every entity, in a stable order (for mention matching)."""
        for ref, record in self._records():
            yield SurfaceForm(record.name, ref)
            for alias in record.aliases:
                yield SurfaceForm(alias.value, ref)

    def _records(self) -> Iterator[tuple[EntityRef, Actor | Country]]:
        for actor_id, actor in self.actors.items():
            yield EntityRef("actor", actor_id), actor
        for country_id, country in self.countries.items():
            yield EntityRef("country", country_id), country

    def resolve(self, kind: EntityKind, ref: Located, path: str) -> str | Diagnostic:
        """The id of the `kind` entity that `ref` names, or a diagnostic saying why not."""
        candidates = [e for e in self.keys.get(fold(ref.value), ()) if e.kind == kind]
        if len(candidates) == 1:
            return candidates[0].id
        if candidates:
            files = " and ".join(self.source(e) for e in candidates)
            return error(path, ref.line, ref.col,
                         f"'{ref.value}' is ambiguous: it names entities in {files}",
                         hint="use the entity's id, or remove the alias from one of the files")
        others = self.keys.get(fold(ref.value), ())
        if others:
            other = others[0]
            return error(path, ref.line, ref.col,
                         f"'{ref.value}' is a {other.kind}, not a{'n' if kind == 'actor' else ''} {kind}",
                         hint=f"list it under '{KIND_FOLDER[other.kind]}'")
        return error(path, ref.line, ref.col, f"unknown {kind} '{ref.value}'",
                     hint=self._did_you_mean(kind, ref.value))

    def _did_you_mean(self, kind: EntityKind, text: str) -> str:
        names: dict[str, str] = {}
        for ref, record in self._records():
            if ref.kind != kind:
                continue
            for form in (record.name, ref.id, *(a.value for a in record.aliases)):
                names.setdefault(fold(form), record.name if form == ref.id else form)
        close = difflib.get_close_matches(fold(text), list(names), n=3, cutoff=0.6)
        folder = KIND_FOLDER[kind]
        shown = list(dict.fromkeys(names[c] for c in close))
        if shown:
            return "did you mean " + " or ".join(f"'{name}'" for name in shown) + "?"
        return f"add content/{folder}/<id>.md for it, or check the spelling"


def fold(text: str) -> str:
    """The form names are compared in: case-folded, inner whitespace collapsed."""
    return " ".join(text.casefold().split())


def build_registry(content: Content) -> tuple[Registry, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    actors: dict[str, Actor] = {}
    countries: dict[str, Country] = {}
    for actor in content.actors:
        _claim_id(actors, actor, diagnostics)
    for country in content.countries:
        _claim_id(countries, country, diagnostics)

    keys: dict[str, list[EntityRef]] = {}
    claims: dict[str, tuple[EntityRef, str]] = {}
    records: list[tuple[EntityRef, Actor | Country]] = [
        *((EntityRef("actor", i), a) for i, a in sorted(actors.items())),
        *((EntityRef("country", i), c) for i, c in sorted(countries.items())),
    ]
    for ref, record in records:
        keys.setdefault(fold(ref.id), []).append(ref)
        names = [("alias", alias) for alias in record.aliases]
        if record.name:
            names.insert(0, ("name", Located(record.name, *record.name_at)))
        for role, name in names:
            key = fold(name.value)
            previous = claims.get(key)
            if previous is not None and previous[0] != ref:
                diagnostics.append(error(
                    record.source, name.line, name.col,
                    f"'{name.value}' is already the {previous[1]} of "
                    f"{previous[0].kind} '{previous[0].id}' ({_source(previous[0], actors, countries)})",
                    hint="a name or alias may belong to one entity only; remove it from one file",
                ))
            if previous is None:
                claims[key] = (ref, role)
            if ref not in keys.setdefault(key, []):
                keys[key].append(ref)
    frozen = {key: tuple(refs) for key, refs in keys.items()}
    return Registry(actors=actors, countries=countries, keys=frozen), diagnostics


def _source(ref: EntityRef, actors: Mapping[str, Actor], countries: Mapping[str, Country]) -> str:
    return actors[ref.id].source if ref.kind == "actor" else countries[ref.id].source


def _claim_id(table: dict[str, Actor] | dict[str, Country], record: Actor | Country,
              diagnostics: list[Diagnostic]) -> None:
    existing = table.get(record.id)
    if existing is not None:
        diagnostics.append(error(
            record.source, 0, 0, f"id '{record.id}' is already taken by {existing.source}",
            hint="two files may not share a file name; rename one",
        ))
        return
    table[record.id] = record  # type: ignore[assignment]
