"""Front matter: YAML parsed to nodes that keep their lines, read into typed values.

YAML 1.1 (what PyYAML implements) silently retypes plain scalars: `code: NO`
is false, `time: 10:00` is 600. Fields that expect text therefore read the
scalar's source text, never the retyped value, and free-form (`extra`) values
follow the YAML 1.2 core schema, which has neither surprise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.diagnostics import Diagnostic, error
from briefgen.pickling import compact_pickle

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_PLAIN = "tag:briefgen,2024:plain"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C loader (when present) with a resolver that types nothing but null.

    Readers look at a scalar's text themselves, so YAML 1.1's retyping of plain
    scalars is skipped (it is also the loader's slowest step): a plain scalar is
    tagged `plain` or null, a quoted one `str`.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _NULL if value in _NULL_WORDS else _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
_INT_12 = re.compile(r"[-+]?[0-9]+")
_FLOAT_12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BOOL_12 = {"true": True, "false": False}


@compact_pickle
@dataclass(frozen=True, slots=True)
class Located:
    """A text value from front matter and where it stands (1-based line and column)."""

    value: str
    line: int
    col: int


# What PyYAML was reading when it found a problem, for the constructs whose problem is
# where they open: a '[' or '{' or a quote left open is noticed lines later.
_OPENED = {
    "while parsing a flow sequence": ("a '[' list", "close it with ']' on the same line"),
    "while parsing a flow mapping": ("a '{' mapping", "close it with '}' on the same line"),
    "while scanning a quoted scalar": ("a quoted value", "close the quote, or write the value unquoted"),
}


def parse_yaml(text: str, path: str, first_line: int,
               what: str = "front matter") -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Compose `text` (which starts at line `first_line` of `path`, and is the file's `what`)
    into a mapping reader."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, path, first_line, what)]
    except yaml.YAMLError as exc:  # reader errors carry no mark
        return None, [error(path, first_line, 1, f"{what} is not valid YAML: {exc}")]
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        return None, [
            error(path, first_line + node.start_mark.line, 1,
                  "front matter must be a mapping of keys to values",
                  hint="write one 'key: value' per line")
        ]
    diagnostics: list[Diagnostic] = []
    return FrontMatter(node, path, first_line, diagnostics), diagnostics


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, first_line: int, what: str) -> Diagnostic:
    """The error at the line to fix: where an unclosed '[', '{' or quote opens, else where
    PyYAML stopped."""
    problem = exc.problem or exc.context or "invalid YAML"
    opened = _OPENED.get(exc.context or "")
    if opened is not None and exc.context_mark is not None:
        mark = exc.context_mark
        found = exc.problem_mark
        where = f" on line {first_line + found.line}" if found is not None else ""
        return error(path, first_line + mark.line, mark.column + 1,
                     f"YAML syntax error in {what}: {opened[0]} that is never closed ({problem}{where})",
                     opened[1])
    at = exc.problem_mark or exc.context_mark
    return error(path, first_line + (at.line if at else 0), (at.column + 1) if at else 1,
                 f"YAML syntax error in {what}: {problem}",
                 "check the indentation and quote values that contain ': ' or start with '@', '`' or '*'")


class FrontMatter:
    """Typed access to one YAML mapping; every problem goes to `diagnostics`.

    Reading a key marks it as known; `extra()` returns the keys nobody read.
    """

    def __init__(
        self, node: yaml.MappingNode, path: str, first_line: int, diagnostics: list[Diagnostic]
    ) -> None:
        self.path = path
        self.first_line = first_line
        self.diagnostics = diagnostics
        self.line, self.col = self._where(node)
        self._entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self._read: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._error(key_node, "front matter keys must be plain text")
                continue
            if key in self._entries:
                first, _ = self._entries[key]
                self._error(
                    key_node, f"key '{key}' is given twice (first on line {self._where(first)[0]})",
                    hint="keep one of the two; YAML would silently drop the first",
                )
                continue
            self._entries[key] = (key_node, value_node)

    # -- positions and errors -------------------------------------------------

    def _where(self, node: yaml.Node) -> tuple[int, int]:
        return self.first_line + node.start_mark.line, node.start_mark.column + 1

    def _error(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        line, col = self._where(node)
        self.diagnostics.append(error(self.path, line, col, message, hint))

    def has(self, key: str) -> bool:
        return key in self._entries and not _is_null(self._entries[key][1])

    def where(self, key: str) -> tuple[int, int]:
        """Line and column of `key`, or of the mapping when the key is absent."""
        if key in self._entries:
            return self._where(self._entries[key][0])
        return self.line, self.col

    def _value(self, key: str, required: bool, expected: str) -> yaml.Node | None:
        self._read.add(key)
        entry = self._entries.get(key)
        if entry is None or _is_null(entry[1]):
            if required:
                line, col = self.where(key)
                self.diagnostics.append(
                    error(self.path, line, col, f"missing required key '{key}'",
                          hint=f"add '{key}: {expected}'")
                )
            return None
        return entry[1]

    # -- typed readers ----------------------------------------------------------

    def text(self, key: str, *, required: bool = False, example: str = "...") -> Located | None:
        node = self._value(key, required, example)
        if node is None:
            return None
        return self._scalar_text(node, key)

    def _scalar_text(self, node: yaml.Node, what: str) -> Located | None:
        if not isinstance(node, yaml.ScalarNode):
            self._error(node, f"'{what}' must be text, not a {_kind(node)}",
                        hint="quote the value if it contains ':' or starts with '[' or '{'")
            return None
        line, col = self._where(node)
        return Located(str(node.value).strip(), line, col)

    def text_list(self, key: str, *, example: str = "[a, b]") -> tuple[Located, ...]:
        """A list of texts; a single text counts as a list of one."""
        node = self._value(key, False, example)
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):
            item = self._scalar_text(node, key)
            if item is None or not item.value:
                return ()
            if "," in item.value and node.style is None:
                parts = ", ".join(p.strip() for p in item.value.split(","))
                self._error(node, f"'{key}' looks like several values in one text",
                            hint=f"write a list: {key}: [{parts}]")
                return ()
            return (item,)
        if not isinstance(node, yaml.SequenceNode):
            self._error(node, f"'{key}' must be a list, not a {_kind(node)}", hint=f"{key}: {example}")
            return ()
        items: list[Located] = []
        for child in node.value:
            if _is_null(child):
                self._error(child, f"empty item in '{key}'")
                continue
            item = self._scalar_text(child, f"an item of '{key}'")
            if item is not None and item.value:
                items.append(item)
        return tuple(items)

    def boolean(self, key: str, *, default: bool) -> bool:
        node = self._value(key, False, "true")
        if node is None:
            return default
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, str) and value.lower() in ("true", "yes", "on"):
            return True
        if isinstance(value, str) and value.lower() in ("false", "no", "off"):
            return False
        self._error(node, f"'{key}' must be true or false", hint=f"{key}: {str(default).lower()}")
        return default

    def integer(self, key: str, *, default: int, minimum: int = 1) -> int:
        node = self._value(key, False, str(default))
        if node is None:
            return default
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, str) and _INT_12.fullmatch(value) and int(value) >= minimum:
            return int(value)
        self._error(node, f"'{key}' must be a whole number of at least {minimum}",
                    hint=f"{key}: {default}")
        return default

    def choice(self, key: str, choices: tuple[str, ...], *, default: str) -> str:
        located = self.text(key)
        if located is None:
            return default
        if located.value in choices:
            return located.value
        self.diagnostics.append(
            error(self.path, located.line, located.col,
                  f"'{key}' must be one of {', '.join(choices)}, not '{located.value}'",
                  hint=f"{key}: {default}")
        )
        return default

    def date(self, key: str, *, required: bool = False) -> tuple[dt.date, dt.datetime | None] | None:
        """A date or an ISO datetime; returns the day and, if given, the full datetime."""
        located = self.text(key, required=required, example="2024-05-08")
        if located is None:
            return None
        parsed = parse_date(located.value)
        if parsed is None:
            self.diagnostics.append(
                error(self.path, located.line, located.col,
                      f"'{key}' is not a date: '{located.value}'",
                      hint="write YYYY-MM-DD, or an ISO datetime such as 2024-05-08T14:30:00+03:00")
            )
        return parsed

    def mappings(self, key: str) -> Iterator[FrontMatter]:
        """Each item of a list of mappings, as a reader sharing these diagnostics."""
        node = self._value(key, False, "[...]")
        if node is None:
            return
        if not isinstance(node, yaml.SequenceNode):
            self._error(node, f"'{key}' must be a list of mappings, not a {_kind(node)}")
            return
        for child in node.value:
            if isinstance(child, yaml.MappingNode):
                yield FrontMatter(child, self.path, self.first_line, self.diagnostics)
            else:
                self._error(child, f"each item of '{key}' must be a mapping (key: value pairs)")

    def mapping(self, key: str) -> FrontMatter | None:
        node = self._value(key, False, "{...}")
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            self._error(node, f"'{key}' must be a mapping, not a {_kind(node)}")
            return None
        return FrontMatter(node, self.path, self.first_line, self.diagnostics)

    def extra(self) -> dict[str, Any]:
        """Every key no reader asked for, as plain YAML 1.2 core values."""
        return {
            key: to_plain(value)
            for key, (_, value) in sorted(self._entries.items())
            if key not in self._read
        }


def parse_date(text: str) -> tuple[dt.date, dt.datetime | None] | None:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), None
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.date(), moment


def to_plain(node: yaml.Node) -> Any:
    """Convert a node with YAML 1.2 core schema rules (no yes/no booleans, no base 60)."""
    if isinstance(node, yaml.MappingNode):
        return {str(to_plain(k)): to_plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [to_plain(child) for child in node.value]
    value = str(node.value)
    if node.tag == _STR or getattr(node, "style", None):
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value.lower() in _BOOL_12:
        return _BOOL_12[value.lower()]
    if _INT_12.fullmatch(value):
        return int(value)
    if _FLOAT_12.fullmatch(value):
        return float(value)
    return value


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == _NULL
        and not getattr(node, "style", None)
    )


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "text"
