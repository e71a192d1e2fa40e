"""The Markdown stage: every body of the linked site rendered once, keyed by source path."""

from __future__ import annotations

from functools import partial

from briefgen.config import SiteConfig
from briefgen.entities import EntityRef
from briefgen.markdown.mentions import MentionContext
from briefgen.markdown.render import RenderedBody, make_markdown, render_body
from briefgen.mentions import MentionMatcher
from briefgen.resolve import Linked
from briefgen.urls import entity_url, under_base


def render_bodies(linked: Linked) -> dict[str, RenderedBody]:
    """Briefings, entity profiles and pages; each entity profile never links to itself."""
    md = make_markdown()
    matcher = MentionMatcher(linked.registry.surface_forms())
    context = partial(_context, matcher, linked.config)
    bodies: dict[str, RenderedBody] = {}
    for item in linked.briefings:
        bodies[item.briefing.source] = render_body(md, item.briefing.body, context(None))
    for actor in linked.registry.actors.values():
        bodies[actor.source] = render_body(md, actor.body, context(EntityRef("actor", actor.id)))
    for country in linked.registry.countries.values():
        bodies[country.source] = render_body(md, country.body, context(EntityRef("country", country.id)))
    for page in linked.pages:
        bodies[page.source] = render_body(md, page.body, context(None))
    return bodies


def _context(matcher: MentionMatcher, config: SiteConfig, itself: EntityRef | None) -> MentionContext:
    return MentionContext(
        matcher=matcher,
        link_mode=config.mention_links,
        url_of=lambda entity: under_base(config, entity_url(entity)),
        itself=itself,
    )
