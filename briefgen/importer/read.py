"""Input bytes to text: empty, binary and non-UTF-8 inputs are errors, never guessed at."""

from __future__ import annotations

from briefgen.diagnostics import Diagnostic, error
from briefgen.source import decode

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v")
SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.01


def read_text(raw: bytes, name: str) -> str | Diagnostic:
    """UTF-8 text with '\\n' line ends, or an error saying why the input cannot be imported."""
    if not raw.strip():
        return error(name, 0, 0, "the file is empty" if not raw else "the file holds only white space",
                     hint="import a text file holding the article")
    problem = _binary(raw)
    if problem is not None:
        return error(name, 0, 0, problem, hint="import the article as plain UTF-8 text")
    text = decode(raw, name)
    if isinstance(text, Diagnostic):
        return text
    if not text.strip():
        return error(name, 0, 0, "the file holds only white space")
    return text


def _binary(raw: bytes) -> str | None:
    head = raw[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte order mark: `decode` names it
    if b"\x00" in head:
        if _looks_like_utf16(head):
            return "the file looks like UTF-16 text, expected UTF-8"
        return "the file is binary (it contains NUL bytes), not text"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls > MAX_CONTROL_SHARE * len(head):
        return f"the file is binary ({controls} control bytes in its first {len(head)}), not text"
    return None


def _looks_like_utf16(head: bytes) -> bool:
    even, odd = head[0::2], head[1::2]
    return max(even.count(0), odd.count(0)) > 0.4 * len(head) / 2 and min(even.count(0), odd.count(0)) == 0
