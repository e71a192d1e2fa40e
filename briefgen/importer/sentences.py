"""Sentences and words of running text, as the importer's other modules need them."""

from __future__ import annotations

import re

_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"[\w.]+$")
_WORD = re.compile(r"[^\W_]+")


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list, as a set."""
    return frozenset(text.split())

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "sen",
    "rep", "gov", "pres", "st", "jr", "sr", "no", "vol", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})

STOP_WORDS = word_set("""
a an the of to in on for with and or but nor at by from as is are was were be been being has have
had it its this that these those which who whom whose their his her they he she we our us you your
there than then also after before over into about between amid among during since while would will
shall can could may might must not no so such if when where what do does did up out off very more
most just only even still yet s
""")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence; abbreviations ("Mr.") and initials ("U.S.") don't end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text[:match.start()]):
            continue
        end = match.start() + len(match.group().rstrip())
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def _is_abbreviation(before: str) -> bool:
    word = _WORD_BEFORE.search(before)
    if word is None:
        return False
    last = word.group().split(".")[-1]
    return last.casefold() in ABBREVIATIONS or (len(last) == 1 and last.isupper())


def words(text: str) -> list[str]:
    """Case-folded words: 'Pashinyan's visit' -> ['pashinyan', 's', 'visit']."""
    return _WORD.findall(text.casefold())


def content_words(text: str) -> list[str]:
    """Words that carry meaning: stop words and single letters left out."""
    return [w for w in words(text) if len(w) > 1 and w not in STOP_WORDS]
