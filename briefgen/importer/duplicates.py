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

from briefgen.importer.model import Note, Paragraph, excerpt
from briefgen.importer.sentences import content_words, sentences

NEAR_DUPLICATE = 0.55
MIN_OPENING_WORDS = 8
MIN_WORDS = 6


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same content words in the same order).

    Paragraphs of fewer than MIN_WORDS content words score 0: in "The end."
    and "The end of it." one shared word would make them look alike.
    """
    words_a, words_b = content_words(a), content_words(b)
    if min(len(words_a), len(words_b)) < MIN_WORDS:
        return 0.0
    whole = _ratio(words_a, words_b)
    opening_a, opening_b = (content_words(_opening(text)) for text in (a, b))
    if min(len(opening_a), len(opening_b)) >= MIN_OPENING_WORDS:
        return max(whole, _ratio(opening_a, opening_b))
    return whole


def _opening(text: str) -> str:
    found = sentences(text)
    return found[0] if found else text


def _ratio(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _fullness(paragraph: Paragraph) -> tuple[int, int]:
    return len(content_words(paragraph.text)), len(paragraph.text)


def remove_duplicates(paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], list[Note]]:
    """Drop exact repeats; collapse near-duplicates into the fuller one, in the first one's place."""
    kept: list[Paragraph] = []
    notes: list[Note] = []
    for paragraph in paragraphs:
        same = next((k for k in kept if k.text == paragraph.text), None)
        if same is not None:
            notes.append(Note(paragraph.line, f"removed a repeated paragraph (as on line {same.line}): "
                                              f"{excerpt(paragraph.text)}"))
            continue
        scored = [(similarity(k.text, paragraph.text), index) for index, k in enumerate(kept)]
        best = max(scored, default=(0.0, -1))
        if best[0] < NEAR_DUPLICATE:
            kept.append(paragraph)
            continue
        score, index = best
        other = kept[index]
        if _fullness(paragraph) > _fullness(other):
            kept[index] = paragraph
            dropped, survivor = other, paragraph
        else:
            dropped, survivor = paragraph, other
        notes.append(Note(dropped.line, f"removed a near-duplicate of the fuller paragraph on line "
                                        f"{survivor.line} (similarity {score:.2f}): {excerpt(dropped.text)}"))
    return kept, notes
