"""The Markdown stage: every body of the linked site rendered once, keyed by source path.

With a cache, a body is rendered again only when its text or a setting that
shapes its HTML changed, or when the registry's names now match differently
in the text the matcher searched.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.cache import BuildCache, digest
from briefgen.config import SiteConfig
from briefgen.entities import EntityRef
from briefgen.markdown.mentions import MentionContext, searched_text
from briefgen.markdown.render import RenderedBody, make_markdown, render_body
from briefgen.mentions import Match, MentionMatcher
from briefgen.resolve import Linked
from briefgen.urls import base_path, entity_url, under_base

MatchSignature = tuple[tuple[int, int, str, str, str], ...]


@dataclass
class CachedBody:
    body: RenderedBody
    searched: str
    signature: MatchSignature
    fingerprint: str


def render_bodies(linked: Linked, cache: BuildCache | None = None) -> dict[str, RenderedBody]:
    """Briefings, entity profiles and pages; each entity profile never links to itself."""
    renderer = _BodyRenderer(linked.config, MentionMatcher(linked.registry.surface_forms()), cache)
    bodies: dict[str, RenderedBody] = {}
    for item in linked.briefings:
        bodies[item.briefing.source] = renderer.render(item.briefing.body, None)
    for actor in linked.registry.actors.values():
        bodies[actor.source] = renderer.render(actor.body, EntityRef("actor", actor.id))
    for country in linked.registry.countries.values():
        bodies[country.source] = renderer.render(country.body, EntityRef("country", country.id))
    for page in linked.pages:
        bodies[page.source] = renderer.render(page.body, None)
    renderer.forget_unused()
    return bodies


def _signature(matches: list[Match]) -> MatchSignature:
    return tuple((m.start, m.end, m.entity.kind, m.entity.id, m.form) for m in matches)


class _BodyRenderer:
    def __init__(self, config: SiteConfig, matcher: MentionMatcher, cache: BuildCache | None) -> None:
        self.config = config
        self.matcher = matcher
        self.cache = cache
        self.md = make_markdown()
        self.settings = f"{config.mention_links}\0{base_path(config)}".encode()
        self.used: set[bytes] = set()

    def forget_unused(self) -> None:
        """Drop cached bodies no file has any more, so the cache does not grow forever."""
        if self.cache is None:
            return
        for key in [k for k in self.cache.bodies if k not in self.used]:
            del self.cache.bodies[key]
            self.cache.dirty = True

    def render(self, text: str, itself: EntityRef | None) -> RenderedBody:
        if self.cache is None:
            return self._render(text, itself)[0]
        owner = f"{itself.kind}\0{itself.id}" if itself else ""
        key = digest(text.encode(), self.settings, owner.encode())
        self.used.add(key)
        entry = self.cache.bodies.get(key)
        if isinstance(entry, CachedBody):
            if entry.fingerprint == self.matcher.fingerprint:
                return entry.body
            if _signature(self.matcher.find(entry.searched)) == entry.signature:
                entry.fingerprint = self.matcher.fingerprint
                self.cache.dirty = True
                return entry.body
        body, searched = self._render(text, itself)
        self.cache.bodies[key] = CachedBody(
            body, searched, _signature(self.matcher.find(searched)), self.matcher.fingerprint
        )
        self.cache.dirty = True
        return body

    def _render(self, text: str, itself: EntityRef | None) -> tuple[RenderedBody, str]:
        context = self._context(itself)
        return render_body(self.md, text, context), searched_text(context)

    def _context(self, itself: EntityRef | None) -> MentionContext:
        config = self.config
        return MentionContext(
            matcher=self.matcher,
            link_mode=config.mention_links,
            url_of=lambda entity: under_base(config, entity_url(entity)),
            itself=itself,
        )
