"""Long text held compressed in memory: Markdown sources, rendered bodies, searched text.

A large site holds every briefing's source and HTML at once (100,000 of each
is over a gigabyte as `str`); zstd at level 1 stores them in about a third
of that and gives one back in microseconds, where it is used. Packed text is
plain data: equal text packs to equal bytes, so it pickles, digests and
compares like a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import zstandard

LEVEL = 1

_compressor: zstandard.ZstdCompressor | None = None
_decompressor: zstandard.ZstdDecompressor | None = None


def _pack(text: str) -> bytes:
    global _compressor
    if _compressor is None:
        _compressor = zstandard.ZstdCompressor(level=LEVEL)
    return _compressor.compress(text.encode("utf-8"))


def _unpack(data: bytes) -> str:
    global _decompressor
    if _decompressor is None:
        _decompressor = zstandard.ZstdDecompressor()
    return _decompressor.decompress(data).decode("utf-8")


@dataclass(frozen=True, slots=True)
class PackedText:
    """Text stored compressed; `str(packed)` gives it back."""

    data: bytes

    @classmethod
    def pack(cls, text: str) -> Self:
        return cls(_pack(text))

    def __str__(self) -> str:
        return _unpack(self.data)

    def __len__(self) -> int:
        """The text's length in characters, as a template's `|length` asks it."""
        return len(_unpack(self.data))

    def __reduce__(self) -> tuple[type[Self], tuple[bytes]]:
        return type(self), (self.data,)


@dataclass(frozen=True, slots=True)
class PackedHtml(PackedText):
    """Packed HTML that Jinja prints as markup (`__html__`), unpacked only as it renders."""

    def __html__(self) -> str:
        return _unpack(self.data)
