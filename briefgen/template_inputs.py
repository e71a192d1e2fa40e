"""What each page template reads: the source of every template it may load.

A page is made from its template, every template that one extends, includes
or imports, on and on, and the templates briefgen's own helpers render for it
(`card()` renders partials/card.html). Each name is resolved as the page's
environment resolves it: the site's `templates/` first, then the theme. A
page's digest holds the sources of those templates alone (`TemplateInputs`),
so an edit of one template makes again only the pages that may load it: at
10,000 briefings an edit of actor.html leaves the 10,000 briefing pages be.

A template whose references cannot be read from its syntax (a name computed
while rendering, a syntax error, a file that is not UTF-8) may load anything:
it reads every template (`templates_digest`), as every page did before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping

import jinja2
from jinja2 import meta, nodes

from briefgen.cache import digest

_MISSING = b"\0missing"  # a source is never this: each is stored with b"\1" before it
_UNREADABLE = b"\0unreadable"  # not UTF-8, or not readable: what it names is not known


class TemplateInputs:
    """`inputs(name)`: the digest of every template the template `name` may load, itself
    included. `helpers` maps a global a template may call to the template that global
    renders; `everything` is the digest of all templates, for a template whose
    references cannot be known."""

    def __init__(self, env: jinja2.Environment, helpers: Mapping[str, str], everything: Callable[[], bytes],
                 parsed: MutableMapping[bytes, tuple[str, ...] | None] | None = None) -> None:
        self.env, self.helpers, self.everything = env, helpers, everything
        # What each template names, by its name and source: kept by a long-lived caller
        # (at 10,000 briefings, parsing the theme's templates cost 0.07 s of a 0.5 s build).
        self.parsed = parsed if parsed is not None else {}
        self._sources: dict[str, bytes] = {}
        self._references: dict[str, tuple[str, ...] | None] = {}
        self._digests: dict[str, bytes] = {}

    def __call__(self, name: str) -> bytes:
        found = self._digests.get(name)
        if found is None:
            loaded = self.loaded(name)
            found = self.everything() if loaded is None else digest(
                *(part for each in sorted(loaded) for part in (each.encode(), self._source(each))))
            self._digests[name] = found
        return found

    def loaded(self, name: str) -> set[str] | None:
        """Every template `name` may load, itself included; None when that is not known."""
        todo, seen = [name], set[str]()
        while todo:
            each = todo.pop()
            if each in seen:
                continue
            seen.add(each)
            references = self._referenced(each)
            if references is None:
                return None
            todo += references
        return seen

    def _source(self, name: str) -> bytes:
        found = self._sources.get(name)
        if found is None:
            assert self.env.loader is not None
            try:
                source = self.env.loader.get_source(self.env, name)[0]
            except jinja2.TemplateNotFound:  # rendering says so, unless it is included `ignore missing`
                found = _MISSING
            except (jinja2.TemplateError, UnicodeDecodeError, OSError):  # rendering says so, if it loads it
                found = _UNREADABLE
            else:
                found = b"\1" + source.encode()
            self._sources[name] = found
        return found

    def _referenced(self, name: str) -> tuple[str, ...] | None:
        if name in self._references:
            return self._references[name]
        source = self._source(name)
        key = digest(name.encode(), source)
        if key in self.parsed:
            found = self.parsed[key]
        elif source == _MISSING:
            found = ()
        elif source == _UNREADABLE:
            found = None
        else:
            try:
                tree = self.env.parse(source[1:].decode(), name)
            except jinja2.TemplateSyntaxError:
                found = None
            else:
                found = _references(tree, self.helpers)
            self.parsed[key] = found
        self._references[name] = found
        return found


def _references(tree: nodes.Template, helpers: Mapping[str, str]) -> tuple[str, ...] | None:
    """The templates `tree` names, and those of the helpers it names; None when a name is
    computed while rendering."""
    named = list(meta.find_referenced_templates(tree))
    if None in named:
        return None
    used = {node.name for node in tree.find_all(nodes.Name)}
    return (*(name for name in named if name is not None), *_helped(used, helpers))


def _helped(used: Iterable[str], helpers: Mapping[str, str]) -> list[str]:
    return [template for name, template in helpers.items() if name in used]
