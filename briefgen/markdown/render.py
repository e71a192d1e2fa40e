"""The Markdown renderer: one configured markdown-it instance, used for every body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.markdown.mentions import ENV_KEY, Mention, MentionContext, mentions_plugin
from briefgen.markdown.safety import is_safe_link
from briefgen.packed import PackedHtml
from briefgen.pickling import compact_pickle


@compact_pickle
@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body as HTML, the plain text of its first paragraph (the default summary),
    and the entities it mentions, in text order."""

    html: PackedHtml
    first_paragraph: str
    mentions: tuple[Mention, ...] = ()


def make_markdown() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and heading ids; raw HTML is escaped."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=4)
    md.use(mentions_plugin)
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


def render_body(md: MarkdownIt, text: str, mentions: MentionContext | None = None) -> RenderedBody:
    """Parse once (finding mentions), take the first paragraph's text, render the same tokens."""
    env: dict[str, Any] = {} if mentions is None else {ENV_KEY: mentions}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    found = tuple(mentions.found) if mentions is not None else ()
    return RenderedBody(html=PackedHtml.pack(html), first_paragraph=first_paragraph_text(tokens),
                        mentions=found)


def first_paragraph_text(tokens: list[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            return inline_text(tokens[index + 1])
    return ""


def inline_text(token: Token) -> str:
    """The visible text of an inline token: markup dropped, breaks made spaces."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())
