"""A markdown-it plugin that finds entity mentions while a body is parsed, and links them.

The registry's matcher arrives through `env["mentions"]` (a `MentionContext`),
so one configured renderer serves every body. Text inside code, links,
headings and image descriptions is never searched: only the plain text
tokens of paragraphs, lists, quotes and tables are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefgen.entities import EntityRef
from briefgen.mentions import MentionMatcher
from briefgen.pickling import compact_pickle

ENV_KEY = "mentions"


@compact_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a body: on which line (of the body, 1-based), through which form."""

    entity: EntityRef
    line: int
    form: str
    linked: bool


@dataclass
class MentionContext:
    """Per-render state: what to look for, how to link it, and what was found."""

    matcher: MentionMatcher
    link_mode: str
    url_of: Callable[[EntityRef], str]
    itself: EntityRef | None = None
    found: list[Mention] = field(default_factory=list)
    linked: set[EntityRef] = field(default_factory=set)
    searched: list[str] = field(default_factory=list)

    def should_link(self, entity: EntityRef) -> bool:
        if self.link_mode == "none" or entity == self.itself:
            return False
        return self.link_mode == "all" or entity not in self.linked


def mentions_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("briefgen_mentions", _find_mentions)


def _find_mentions(state: StateCore) -> None:
    context = state.env.get(ENV_KEY)
    if not isinstance(context, MentionContext) or not context.matcher.size:
        return
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading and token.children:
            first_line = (token.map[0] + 1) if token.map else 0
            token.children = _scan_children(token.children, first_line, context)


def _scan_children(children: list[Token], line: int, context: MentionContext) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    for child in children:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
        if child.type != "text" or link_depth > 0:
            result.append(child)
            continue
        context.searched.append(child.content)
        result.extend(_split_text(child, line, context))
        line += child.content.count("\n")
    return result


def _split_text(token: Token, line: int, context: MentionContext) -> list[Token]:
    text = token.content
    matches = context.matcher.find(text)
    if not matches:
        return [token]
    pieces: list[Token] = []
    cursor = 0
    for match in matches:
        if match.entity == context.itself:
            continue
        link = context.should_link(match.entity)
        context.found.append(Mention(match.entity, line + text.count("\n", 0, match.start),
                                     match.form, link))
        if not link:
            continue
        context.linked.add(match.entity)
        if match.start > cursor:
            pieces.append(_text(text[cursor:match.start], token.level))
        opening = Token("link_open", "a", 1, level=token.level)
        opening.attrs = {"href": context.url_of(match.entity), "class": "mention"}
        pieces += [opening, _text(text[match.start:match.end], token.level + 1),
                   Token("link_close", "a", -1, level=token.level)]
        cursor = match.end
    if not pieces:
        return [token]
    if cursor < len(text):
        pieces.append(_text(text[cursor:], token.level))
    return pieces


SEARCH_SEPARATOR = "\x00"


def searched_text(context: MentionContext) -> str:
    """Every text the matcher saw, joined so that no name can match across two of them."""
    return SEARCH_SEPARATOR.join(context.searched)


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)
