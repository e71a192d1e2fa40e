"""Resolve the references of every record against the registry.

After this stage every actor, country and relation a briefing names is an
entity id; every unresolvable reference is a diagnostic at its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.config import SiteConfig
from briefgen.content.models import Briefing, Content, Page, RelationStatement
from briefgen.diagnostics import Diagnostic, error
from briefgen.entities import EntityKind, Registry
from briefgen.frontmatter import Located
from briefgen.pickling import compact_pickle


@compact_pickle
@dataclass(frozen=True, slots=True)
class Relation:
    """A stated relation between two countries, ids in sorted order."""

    pair: tuple[str, str]
    status: str
    note: str
    line: int


@dataclass(frozen=True)
class ResolvedBriefing:
    briefing: Briefing
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Linked:
    """Content with every reference resolved: the input of the site model."""

    config: SiteConfig
    registry: Registry
    briefings: tuple[ResolvedBriefing, ...]
    actor_country: Mapping[str, str]
    pages: tuple[Page, ...]


def resolve(content: Content, registry: Registry, config: SiteConfig) -> tuple[Linked, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    actor_country: dict[str, str] = {}
    for actor in registry.actors.values():
        if actor.country is not None:
            country = registry.resolve("country", actor.country, actor.source)
            if isinstance(country, Diagnostic):
                diagnostics.append(country)
            else:
                actor_country[actor.id] = country
    names = _Names(registry)
    briefings = tuple(
        _resolve_briefing(b, names, config, diagnostics) for b in content.briefings
    )
    linked = Linked(
        config=config,
        registry=registry,
        briefings=briefings,
        actor_country=actor_country,
        pages=content.pages,
    )
    return linked, diagnostics


def resolve_briefing(briefing: Briefing, registry: Registry,
                     config: SiteConfig) -> tuple[ResolvedBriefing, list[Diagnostic]]:
    """One briefing's references resolved as `resolve` resolves them, with its problems."""
    diagnostics: list[Diagnostic] = []
    return _resolve_briefing(briefing, _Names(registry), config, diagnostics), diagnostics


class _Names:
    """`Registry.resolve`, remembering each name that resolves: the briefings of a site
    name the same few entities over and over."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._known: dict[tuple[EntityKind, str], str] = {}

    def resolve(self, kind: EntityKind, ref: Located, path: str) -> str | Diagnostic:
        found = self._known.get((kind, ref.value))
        if found is None:
            resolved = self.registry.resolve(kind, ref, path)
            if isinstance(resolved, Diagnostic):  # it says where: never remembered
                return resolved
            found = self._known[(kind, ref.value)] = resolved
        return found


def _ids(kind: EntityKind, refs: tuple[Located, ...], names: _Names, path: str,
         diagnostics: list[Diagnostic]) -> list[str]:
    ids: list[str] = []
    for ref in refs:
        resolved = names.resolve(kind, ref, path)
        if isinstance(resolved, Diagnostic):
            diagnostics.append(resolved)
        elif resolved not in ids:
            ids.append(resolved)
    return ids


def _resolve_briefing(briefing: Briefing, names: _Names, config: SiteConfig,
                      diagnostics: list[Diagnostic]) -> ResolvedBriefing:
    path = briefing.source
    actors = _ids("actor", briefing.actors, names, path, diagnostics)
    countries = _ids("country", briefing.countries, names, path, diagnostics)
    relations: list[Relation] = []
    for statement in briefing.relations:
        relation = _resolve_relation(statement, names, config, path, diagnostics)
        if relation is None:
            continue
        relations.append(relation)
        for country in relation.pair:
            if country not in countries:
                countries.append(country)
    return ResolvedBriefing(briefing, tuple(actors), tuple(countries), tuple(relations))


def _resolve_relation(statement: RelationStatement, names: _Names, config: SiteConfig,
                      path: str, diagnostics: list[Diagnostic]) -> Relation | None:
    """A relation statement checked against the registry and the site's vocabulary."""
    problems: list[Diagnostic] = []
    if len(statement.between) != 2:
        problems.append(error(
            path, statement.line, 0,
            f"a relation is between two countries, not {len(statement.between)}",
            hint="between: [Armenia, Russia]",
        ))
    pair = [names.resolve("country", ref, path) for ref in statement.between]
    problems.extend(p for p in pair if isinstance(p, Diagnostic))
    ids = [p for p in pair if isinstance(p, str)]
    if len(statement.between) == 2 and len(ids) == 2 and ids[0] == ids[1]:
        ref = statement.between[1]
        problems.append(error(
            path, ref.line, ref.col,
            f"a relation needs two different countries; both name '{ids[0]}'",
        ))
    status = statement.status
    vocabulary = config.relation_vocabulary
    if status is None:
        problems.append(error(
            path, statement.line, 0, "a relation needs a 'status'",
            hint=f"status: one of {', '.join(vocabulary)}",
        ))
    elif status.value not in vocabulary:
        close = difflib.get_close_matches(status.value, vocabulary, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        problems.append(error(
            path, status.line, status.col, f"unknown relation status '{status.value}'",
            hint=hint + f"the site's vocabulary (site.yaml): {', '.join(vocabulary)}",
        ))
    diagnostics.extend(problems)
    if problems or status is None:
        return None
    first, second = sorted(ids)
    return Relation((first, second), status.value, statement.note, statement.line)
