"""Source files: bytes to text, and text to front matter plus body.

A file with a UTF-8 BOM or CRLF line ends reads exactly like its plain twin;
a file that is not UTF-8 is a diagnostic that points at the first bad byte.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from briefgen.diagnostics import Diagnostic, error

_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")


def decode(raw: bytes, path: str) -> str | Diagnostic:
    """Decode UTF-8 (BOM allowed) and normalise line ends to '\\n'."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return error(
            path, 1, 1, "file is UTF-16, expected UTF-8",
            hint="save the file as UTF-8 (in most editors: 'Save with encoding')",
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return error(
            path, line, col,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            hint="save the file as UTF-8; it may be Latin-1 or Windows-1252",
        )
    if "\x00" in text:
        return error(path, 1, 1, "file contains NUL bytes; expected a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class SplitSource:
    """A source file cut in two; line numbers are 1-based lines of the file."""

    front: str
    front_line: int
    body: str
    body_line: int


def split_front_matter(text: str, path: str) -> SplitSource | Diagnostic:
    """Cut `---` YAML `---` off the top of a file; the rest is the Markdown body."""
    lines = text.split("\n")
    if not lines or not _FENCE.fullmatch(lines[0]):
        return error(
            path, 1, 1, "missing front matter: the file must start with a line '---'",
            hint="begin with '---', then YAML such as 'title: ...', then a closing '---'",
        )
    for index in range(1, len(lines)):
        if _CLOSE.fullmatch(lines[index]):
            return SplitSource(
                front="\n".join(lines[1:index]),
                front_line=2,
                body="\n".join(lines[index + 1:]),
                body_line=index + 2,
            )
    return error(
        path, 1, 1, "front matter opened on line 1 is never closed",
        hint="add a line '---' after the last front matter key",
    )
