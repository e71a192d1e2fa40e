"""Raw article text to a title and clean paragraphs, with a note for everything removed.

Scraped articles repeat their headline, repeat their lede in other words,
keep footnote marks glued to sentences and use odd spaces. Rules:

- Paragraphs are separated by blank lines. Inside a block, a line ending a
  sentence ends a paragraph (scrapes often put one paragraph per line); other
  line breaks are hard wraps and become spaces.
- The headline is the first line when it reads like one: at most 20 words,
  no final '.', ',', ';' or ':'. Every other line with the same words (case
  and punctuation aside) is a repeated copy and is removed. Without such a
  line, the title is the first sentence (`title_from_sentence`).
- A line holding only a date ('Published 8 May 2024') is metadata: it is
  removed from the text and kept for the date.
- Digits glued after a paragraph's final punctuation ("challenges.2") are
  footnote marks of the page the text was scraped from, and are removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.importer.dates import DateMention, date_line
from briefgen.importer.duplicates import remove_duplicates
from briefgen.importer.model import Note, Paragraph, excerpt
from briefgen.importer.sentences import sentences, words

HEADLINE_MAX_WORDS = 20
TITLE_MAX_CHARS = 100
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CLOSERS = "\"'\u201d\u2019)\\]"
_SENTENCE_END = re.compile(rf"[.!?][{_CLOSERS}]*$")
_NOT_HEADLINE_END = re.compile(rf"[.,;:][{_CLOSERS}]*$")
_FOOTNOTE_MARK = re.compile(
    rf"(?:(?<=[^\W\d_])|(?<=[{_CLOSERS}]))([.!?][{_CLOSERS}]?)(\d{{1,3}}|\[\d{{1,3}}\]|[¹²³⁰⁴-⁹]+)$"
)


@dataclass(frozen=True)
class CleanText:
    title: str
    title_line: int
    title_from_sentence: bool
    paragraphs: tuple[Paragraph, ...]
    dates: tuple[tuple[DateMention, int], ...]
    notes: tuple[Note, ...]


def clean_text(text: str) -> CleanText:
    """`text` has '\\n' line ends (see `briefgen.source.decode`)."""
    lines = [normalise_line(line) for line in text.split("\n")]
    notes: list[Note] = []
    dates: list[tuple[DateMention, int]] = []
    for index, line in enumerate(lines):
        mention = date_line(line) if line else None
        if mention is not None:
            dates.append((mention, index + 1))
            notes.append(Note(index + 1, f"removed the date line {excerpt(line)}"))
            lines[index] = ""

    title, title_index = _headline(lines)
    if title_index is not None:
        lines[title_index] = ""
        key = words(title)
        for index, line in enumerate(lines):
            if line and words(line) == key:
                notes.append(Note(index + 1, f"removed a repeated copy of the headline: {excerpt(line)}"))
                lines[index] = ""

    paragraphs = list(split_paragraphs(lines))
    paragraphs, removed = _drop_footnote_marks(paragraphs)
    notes += removed
    paragraphs, removed = remove_duplicates(paragraphs)
    notes += removed
    from_sentence = title_index is None
    if from_sentence and paragraphs:
        title = title_from_sentence(paragraphs[0].text)
    notes.sort(key=lambda n: n.line)
    return CleanText(
        title=title,
        title_line=title_index + 1 if title_index is not None else 0,
        title_from_sentence=from_sentence,
        paragraphs=tuple(paragraphs),
        dates=tuple(dates),
        notes=tuple(notes),
    )


def normalise_line(line: str) -> str:
    """Odd spaces made plain, invisible characters dropped, runs of spaces collapsed."""
    line = line.translate(_ZERO_WIDTH)
    line = "".join(
        " " if unicodedata.category(c) in ("Zs", "Cc") else c
        for c in line
    )
    return " ".join(line.split())


def _headline(lines: Sequence[str]) -> tuple[str, int | None]:
    filled = [index for index, line in enumerate(lines) if line]
    if len(filled) < 2:
        return "", None
    first = lines[filled[0]]
    if is_headline(first):
        return first, filled[0]
    return "", None


def is_headline(line: str) -> bool:
    """A short line with letters that does not end like a sentence or a clause."""
    return (
        len(line.split()) <= HEADLINE_MAX_WORDS
        and any(c.isalpha() for c in line)
        and _NOT_HEADLINE_END.search(line) is None
    )


def split_paragraphs(lines: Sequence[str]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate([*lines, ""]):
        if line and not current:
            start = index + 1
        if line:
            current.append(line)
        if current and (not line or _ends_sentence(line)):
            paragraphs.append(Paragraph(" ".join(current), start))
            current = []
    return paragraphs


def _ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None or _FOOTNOTE_MARK.search(line) is not None


def _drop_footnote_marks(paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], list[Note]]:
    cleaned: list[Paragraph] = []
    notes: list[Note] = []
    for paragraph in paragraphs:
        match = _FOOTNOTE_MARK.search(paragraph.text)
        if match is None:
            cleaned.append(paragraph)
            continue
        cleaned.append(Paragraph(paragraph.text[:match.start(2)], paragraph.line))
        notes.append(Note(paragraph.line, f"removed the stray footnote mark '{match.group(2)}' "
                                          "at the end of the paragraph"))
    return cleaned, notes


def title_from_sentence(text: str) -> str:
    """The first sentence without its final period, shortened at a word if it is long."""
    found = sentences(text)
    first = (found[0] if found else text).rstrip()
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    if len(first) <= TITLE_MAX_CHARS:
        return first
    return first[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"
