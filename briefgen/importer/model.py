"""The small records the importer's stages hand each other."""

from __future__ import annotations

from dataclasses import dataclass

EXCERPT_CHARS = 60


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the imported text and the line of the input it starts on (1-based)."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Note:
    """Something the importer did that the user should know about ('removed ...')."""

    line: int
    message: str

    def format(self, name: str) -> str:
        where = f"{name}:{self.line}" if self.line else name
        return f"{where}: {self.message}"


def excerpt(text: str) -> str:
    """The start of `text`, quoted, for a note."""
    short = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    return f"'{short}'"
