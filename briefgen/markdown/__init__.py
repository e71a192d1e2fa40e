"""Markdown bodies to HTML: raw HTML escaped, unsafe links dropped, headings given ids."""

from briefgen.markdown.bodies import render_bodies
from briefgen.markdown.render import RenderedBody, make_markdown, render_body

__all__ = ["RenderedBody", "make_markdown", "render_bodies", "render_body"]
