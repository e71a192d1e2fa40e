"""The Markdown stage: every body of the linked site rendered once, keyed by source path."""

from __future__ import annotations

from briefgen.markdown.render import RenderedBody, make_markdown, render_body
from briefgen.resolve import Linked


def render_bodies(linked: Linked) -> dict[str, RenderedBody]:
    md = make_markdown()
    sources = [
        *((b.briefing.source, b.briefing.body) for b in linked.briefings),
        *((a.source, a.body) for a in linked.registry.actors.values()),
        *((c.source, c.body) for c in linked.registry.countries.values()),
        *((p.source, p.body) for p in linked.pages),
    ]
    return {source: render_body(md, body) for source, body in sources}
