"""Exact and near-duplicate paragraphs: scraped pages repeat a lede in other words.

Similarity is difflib's ratio over content words (stop words dropped, so
"of the" does not make two sentences alike). A reworded lede keeps its opening
sentence nearly intact while the rest changes, so when both opening sentences
are long enough their own ratio counts too; the higher of the two decides.

Threshold 0.55, measured with `tests/test_import_duplicates.py`: the seed's
two ledes score 0.77 and rewordings of single sentences 0.67-0.84, while
distinct paragraphs of the seed score at most 0.19, and different sentences
on one subject built alike ("Russia has emphasized the importance of ...",
"Armenia has emphasized the importance of ...") at most 0.44.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.importer.model import Note, Paragraph, excerpt
from briefgen.importer.sentences import content_words, sentences

NEAR_DUPLICATE = 0.55
MIN_OPENING_WORDS = 8
MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class _Profile:
    """What similarity looks at in a paragraph, computed once per paragraph."""

    words: tuple[str, ...]
    opening: tuple[str, ...]


def _profile(text: str) -> _Profile:
    found = sentences(text)
    opening = found[0] if found else text
    return _Profile(tuple(content_words(text)), tuple(content_words(opening)))


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same content words in the same order).

    Paragraphs of fewer than MIN_WORDS content words score 0: in "The end."
    and "The end of it." one shared word would make them look alike.
    """
    return _similarity(_profile(a), _profile(b), 0.0)


def _similarity(a: _Profile, b: _Profile, floor: float) -> float:
    """As `similarity`; any score below `floor` may come back as 0 (cheap bounds skip the work)."""
    if min(len(a.words), len(b.words)) < MIN_WORDS:
        return 0.0
    pairs = [(a.words, b.words)]
    if min(len(a.opening), len(b.opening)) >= MIN_OPENING_WORDS:
        pairs.append((a.opening, b.opening))
    best = 0.0
    for x, y in pairs:
        matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        best = max(best, matcher.ratio())
    return best


def _fullness(paragraph: Paragraph) -> tuple[int, int]:
    return len(content_words(paragraph.text)), len(paragraph.text)


def remove_duplicates(paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], list[Note]]:
    """Drop exact repeats; collapse near-duplicates into the fuller one, in the first one's place."""
    kept: list[Paragraph] = []
    profiles: list[_Profile] = []
    notes: list[Note] = []
    for paragraph in paragraphs:
        same = next((k for k in kept if k.text == paragraph.text), None)
        if same is not None:
            notes.append(Note(paragraph.line, f"removed a repeated paragraph (as on line {same.line}): "
                                              f"{excerpt(paragraph.text)}"))
            continue
        profile = _profile(paragraph.text)
        scored = [(_similarity(p, profile, NEAR_DUPLICATE), index) for index, p in enumerate(profiles)]
        score, index = max(scored, default=(0.0, -1))
        if score < NEAR_DUPLICATE:
            kept.append(paragraph)
            profiles.append(profile)
            continue
        other = kept[index]
        if _fullness(paragraph) > _fullness(other):
            kept[index], profiles[index] = paragraph, profile
            dropped, survivor = other, paragraph
        else:
            dropped, survivor = paragraph, other
        notes.append(Note(dropped.line, f"removed a near-duplicate of the fuller paragraph on line "
                                        f"{survivor.line} (similarity {score:.2f}): {excerpt(dropped.text)}"))
    return kept, notes
