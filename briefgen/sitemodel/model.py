"""The site model: published briefings in order and every index over them, built in one pass."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from briefgen.cache import Revise, data_digest, digest, no_revise
from briefgen.diagnostics import Diagnostic, suggestion
from briefgen.entities import KIND_FOLDER, EntityRef
from briefgen.markdown import RenderedBody
from briefgen.parallel import Background
from briefgen.resolve import Linked, ResolvedBriefing
from briefgen.sitemodel.related import co_actors, entity_keys, revise_related
from briefgen.sitemodel.relations import PairRecord, build_relations
from briefgen.slugs import slugify

T = TypeVar("T")


@dataclass(frozen=True)
class SiteModel:
    """What every page builder reads; immutable once built.

    Index values are positions in `briefings`, which is newest first, so each
    index list is newest first too.
    """

    linked: Linked
    briefings: tuple[ResolvedBriefing, ...]
    bodies: Mapping[str, RenderedBody]
    by_actor: Mapping[str, tuple[int, ...]]
    by_country: Mapping[str, tuple[int, ...]]
    by_tag: Mapping[str, tuple[int, ...]]
    tag_names: Mapping[str, str]
    tag_slugs: Mapping[str, str]
    also_mentioned: Mapping[EntityRef, tuple[int, ...]]
    related: tuple[tuple[int, ...], ...]
    co_actors: Mapping[str, list[tuple[str, int]]]
    relations: tuple[PairRecord, ...]

    def summary(self, item: ResolvedBriefing) -> str:
        body = self.bodies.get(item.briefing.source)
        return item.briefing.summary or (body.first_paragraph if body else "")

    @functools.cached_property
    def digests(self) -> ModelDigests:
        """Digests of its parts, each made once (see `ModelDigests`)."""
        return ModelDigests(self)

    def places(self) -> dict[str, tuple[int, int | None]]:
        """Each briefing's place, by source: in `linked.briefings`, and in `briefings`
        (None for a draft left out)."""
        published = {item.briefing.source: position for position, item in enumerate(self.briefings)}
        return {item.briefing.source: (index, published.get(item.briefing.source))
                for index, item in enumerate(self.linked.briefings)}

    def with_briefings(self, edits: Mapping[str, tuple[ResolvedBriefing, RenderedBody]],
                       places: Mapping[str, tuple[int, int | None]]) -> SiteModel:
        """This model with briefings replaced where they stand (`places`), each by source
        with its body, for edits that leave its shape as it was: the same briefings in
        the same order, entities, relations and undeclared mentions (the caller
        checks); only their tags may differ, and then the tag indexes are made again.
        Its digests are this model's but for the replaced briefings'."""
        linked_items, published = list(self.linked.briefings), list(self.briefings)
        changed: list[int] = []
        retagged = False
        for source, (item, _) in edits.items():
            index, position = places[source]
            linked_items[index] = item
            if position is not None:
                retagged = retagged or item.briefing.tags != published[position].briefing.tags
                published[position] = item
                changed.append(position)
        bodies = {**self.bodies, **{source: body for source, (_, body) in edits.items()}}
        model = dataclasses.replace(
            self, linked=dataclasses.replace(self.linked, briefings=tuple(linked_items)),
            briefings=tuple(published), bodies=bodies)
        if retagged:
            by_tag, tag_names, tag_slugs = tag_indexes(published)
            model = dataclasses.replace(model, by_tag=by_tag, tag_names=tag_names, tag_slugs=tag_slugs)
        model.digests.inherit(self.digests, changed)
        return model


_Parts = tuple[list[bytes | None], list[bytes | None], dict[EntityRef, bytes]]


class ModelDigests:
    """Cheap digests of a site model's parts, each made once, from which the outputs built
    on them digest what they read without being made (`PageSpec.inputs`).

    Where a part has a digest of its own already (a briefing's file, a packed
    body), that stands for it; nothing here renders or lays out anything.
    """

    def __init__(self, model: SiteModel) -> None:
        # Its parts, not the model: a model holding its digests, held by them, would be
        # a reference cycle, freed only by a collection over everything it holds.
        self._items, self._bodies, self._linked = model.briefings, model.bodies, model.linked
        self._briefings: list[bytes | None] = [None] * len(model.briefings)
        self._cards: list[bytes | None] = [None] * len(model.briefings)
        self._entities: dict[EntityRef, bytes] = {}
        self._ahead: Background[_Parts] | None = None
        self._reads: set[int] | None = None

    def inherit(self, earlier: ModelDigests, changed: Iterable[int],
                at: Mapping[int, int] | None = None) -> None:
        """Take the digests `earlier` made, but those of the briefings at `changed` (for
        a model that differs from its only there: `SiteModel.with_briefings`); or, with
        `at` (a position here -> the same briefing's there, for the briefings that did
        not change), those of the briefings it names."""
        earlier.settle()
        self._entities = dict(earlier._entities)
        if at is not None:
            for position, then in at.items():
                self._briefings[position] = earlier._briefings[then]
                self._cards[position] = earlier._cards[then]
            return
        self._briefings, self._cards = list(earlier._briefings), list(earlier._cards)
        for position in changed:
            self._briefings[position] = self._cards[position] = None

    def reading(self, digest: Callable[[], bytes]) -> tuple[bytes, frozenset[int]]:
        """`digest()`, and the positions of the briefings whose digests (or cards') it asked
        for (also read by the reading this one is within, if any)."""
        outer, reads = self._reads, set[int]()
        self._reads = reads
        try:
            made = digest()
        finally:
            self._reads = outer
            if outer is not None:
                outer |= reads
        return made, frozenset(reads)

    def read(self, positions: Iterable[int]) -> None:
        """Count `positions` as read: a digest remembered from an earlier reading reads
        again what it read then."""
        if self._reads is not None:
            self._reads.update(positions)

    def ahead(self) -> None:
        """Digest every part in a forked process while this one goes on (laying out the
        pages); `settle` takes the digests in, so that the processes forked after it
        inherit them instead of each digesting the parts it meets again."""
        self._ahead = Background(self._every_part)

    def settle(self) -> None:
        """Take in what `ahead` digested (waiting for it); nothing when it was not started."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            with ahead:
                self._briefings, self._cards, self._entities = ahead.result()

    def stop(self) -> None:
        """Give up on what `ahead` digests."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.stop()

    def _every_part(self) -> _Parts:
        registry = self._linked.registry
        for entity in (*(EntityRef("actor", a) for a in registry.actors),
                       *(EntityRef("country", c) for c in registry.countries)):
            self.entity(entity)
        for position in range(len(self._items)):
            self.card(position)  # and the briefing
        return self._briefings, self._cards, self._entities

    def briefing(self, position: int) -> bytes:
        """The briefing at `position`: its record (by its file's digest: with its source,
        that fixes every field), how its names resolved, and its rendered body."""
        if self._reads is not None:
            self._reads.add(position)
        found = self._briefings[position]
        if found is None:
            item = self._items[position]
            record = item.briefing
            body = self._bodies[record.source]
            found = self._briefings[position] = data_digest((
                record.source, record.digest or data_digest(record),
                item.actors, item.countries, item.relations,
                body.html.data, body.first_paragraph,
            ))
        return found

    def card(self, position: int) -> bytes:
        """What `views.briefing_card` shows of the briefing at `position`, from the parts it
        is made of: the briefing, and the countries it is about (their names and codes)."""
        if self._reads is not None:
            self._reads.add(position)
        found = self._cards[position]
        if found is None:
            found = self._cards[position] = data_digest((
                self.briefing(position),
                [self.entity(EntityRef("country", c)) for c in self._items[position].countries],
            ))
        return found

    def entity(self, entity: EntityRef) -> bytes:
        """An actor or country: its record (by its file's digest), its rendered profile,
        and (an actor's) country as resolved."""
        found = self._entities.get(entity)
        if found is None:
            linked = self._linked
            record = linked.registry.entity(entity)
            body = self._bodies.get(record.source)
            country = linked.actor_country.get(entity.id) if entity.kind == "actor" else None
            found = self._entities[entity] = data_digest((
                record.source, record.digest or data_digest(record),
                body.html.data if body else b"", body.first_paragraph if body else "", country,
            ))
        return found


class Remembered:
    """What is made of one briefing alone (a feed entry, an export item), kept by kind and
    by the briefing's digest (`ModelDigests.briefing`) between the builds of a long-lived
    caller that keeps its site (`briefgen.kept`), whose configuration and entities do
    not change. It grows by what each edit makes."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, bytes], Any] = {}

    def of(self, kind: str, model: SiteModel, position: int, make: Callable[[], T]) -> T:
        """`make()` for the briefing at `position`, or what it made for the same briefing before."""
        key = (kind, model.digests.briefing(position))
        found: T | None = self._made.get(key)
        if found is None:
            found = self._made[key] = make()
        return found


def build_model(linked: Linked, bodies: Mapping[str, RenderedBody],
                unlinked: Mapping[str, list[EntityRef]], *, drafts: bool,
                revise: Revise = no_revise, workers: int | None = None) -> SiteModel:
    """Indexes over the published briefings; `unlinked` gives each briefing's undeclared
    mentions (`undeclared_mentions`); `revise` keeps the related briefings between builds
    (revised, not found again, after an edit of a few)."""
    published = newest_first(b for b in linked.briefings if drafts or not b.briefing.draft)
    by_actor: dict[str, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    also_mentioned: dict[EntityRef, list[int]] = {}
    for index, item in enumerate(published):
        for entity in unlinked[item.briefing.source]:
            also_mentioned.setdefault(entity, []).append(index)
        for actor in item.actors:
            by_actor.setdefault(actor, []).append(index)
        for country in item.countries:
            by_country.setdefault(country, []).append(index)
    by_tag, tag_names, tag_slugs = tag_indexes(published)
    return SiteModel(
        linked=linked,
        briefings=tuple(published),
        bodies=bodies,
        by_actor={k: tuple(v) for k, v in sorted(by_actor.items())},
        by_country={k: tuple(v) for k, v in sorted(by_country.items())},
        by_tag=by_tag,
        tag_names=tag_names,
        tag_slugs=tag_slugs,
        also_mentioned={k: tuple(v) for k, v in sorted(also_mentioned.items())},
        related=revise("related", digest(b"related", data_digest([entity_keys(item) for item in published])),
                       lambda earlier: revise_related(published, earlier, workers=workers)).related,
        co_actors=co_actors(published),
        relations=tuple(build_relations(published)),
    )


def tag_indexes(published: Sequence[ResolvedBriefing]) -> tuple[
        dict[str, tuple[int, ...]], dict[str, str], dict[str, str]]:
    """The positions of the briefings under each tag slug, each slug's name (the first of
    its spellings in code-point order) and each spelling's slug."""
    by_tag: dict[str, list[int]] = {}
    tag_forms: dict[str, set[str]] = {}
    tag_slugs: dict[str, str] = {}
    for index, item in enumerate(published):
        for tag in item.briefing.tags:
            slug = tag_slugs.get(tag)
            if slug is None:
                slug = tag_slugs[tag] = slugify(tag)
            tagged = by_tag.setdefault(slug, [])
            if not tagged or tagged[-1] != index:  # two spellings of one tag on one briefing
                tagged.append(index)
            tag_forms.setdefault(slug, set()).add(tag)
    return ({k: tuple(v) for k, v in sorted(by_tag.items())},
            {slug: min(forms) for slug, forms in sorted(tag_forms.items())}, tag_slugs)


def newest_first(items: Iterable[ResolvedBriefing]) -> list[ResolvedBriefing]:
    """Newest date (and time) first; on the same moment, slugs in alphabetical order."""
    by_slug = sorted(items, key=lambda b: b.briefing.slug)
    return sorted(by_slug, key=lambda b: b.briefing.moment, reverse=True)


def undeclared(item: ResolvedBriefing, body: RenderedBody) -> list[EntityRef]:
    """Entities the body mentions that the front matter does not declare, in text order."""
    declared = {EntityRef("actor", a) for a in item.actors} | {
        EntityRef("country", c) for c in item.countries
    }
    return list(dict.fromkeys(m.entity for m in body.mentions if m.entity not in declared))


def undeclared_mentions(linked: Linked, bodies: Mapping[str, RenderedBody]) -> dict[str, list[EntityRef]]:
    """`undeclared` for every briefing, drafts included, by its source."""
    return {item.briefing.source: undeclared(item, bodies[item.briefing.source]) for item in linked.briefings}


def mention_suggestions(linked: Linked, bodies: Mapping[str, RenderedBody],
                        unlinked: Mapping[str, list[EntityRef]]) -> list[Diagnostic]:
    """A suggestion for the first undeclared mention of each entity in each briefing
    (`unlinked`: `undeclared_mentions`)."""
    found: list[Diagnostic] = []
    for item in linked.briefings:
        source = item.briefing.source
        if unlinked[source]:
            found += briefing_suggestions(linked, item, bodies[source], unlinked[source])
    return found


def briefing_suggestions(linked: Linked, item: ResolvedBriefing, body: RenderedBody,
                         unlinked: Iterable[EntityRef]) -> list[Diagnostic]:
    """`mention_suggestions` for one briefing, whose undeclared mentions are `unlinked`."""
    briefing = item.briefing
    missing = set(unlinked)
    found: list[Diagnostic] = []
    for mention in body.mentions:
        if mention.entity not in missing:
            continue
        missing.discard(mention.entity)
        name = linked.registry.entity(mention.entity).name
        key = KIND_FOLDER[mention.entity.kind]
        via = "" if mention.form == name else f" (as '{mention.form}')"
        found.append(suggestion(
            briefing.source, briefing.body_line + mention.line - 1, 0,
            f"{mention.entity.kind} '{name}' is mentioned{via} but not declared",
            hint=f"add '{name}' to '{key}' in the front matter",
        ))
    return found
