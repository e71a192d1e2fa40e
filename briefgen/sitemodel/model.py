"""The site model: published briefings in order and every index over them, built in one pass."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.markdown import RenderedBody
from briefgen.resolve import Linked, ResolvedBriefing
from briefgen.slugs import slugify


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

    def summary(self, item: ResolvedBriefing) -> str:
        body = self.bodies.get(item.briefing.source)
        return item.briefing.summary or (body.first_paragraph if body else "")


def build_model(linked: Linked, bodies: Mapping[str, RenderedBody], *, drafts: bool) -> SiteModel:
    published = sorted(
        (b for b in linked.briefings if drafts or not b.briefing.draft),
        key=lambda b: b.briefing.sort_key,
        reverse=True,
    )
    by_actor: dict[str, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    tag_forms: dict[str, set[str]] = {}
    for index, item in enumerate(published):
        for actor in item.actors:
            by_actor.setdefault(actor, []).append(index)
        for country in item.countries:
            by_country.setdefault(country, []).append(index)
        for tag in item.briefing.tags:
            slug = slugify(tag)
            if index not in by_tag.setdefault(slug, []):
                by_tag[slug].append(index)
            tag_forms.setdefault(slug, set()).add(tag)
    return SiteModel(
        linked=linked,
        briefings=tuple(published),
        bodies=bodies,
        by_actor={k: tuple(v) for k, v in sorted(by_actor.items())},
        by_country={k: tuple(v) for k, v in sorted(by_country.items())},
        by_tag={k: tuple(v) for k, v in sorted(by_tag.items())},
        tag_names={slug: min(forms) for slug, forms in sorted(tag_forms.items())},
    )
