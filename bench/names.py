"""Fictional names built from syllables, and a claim book that keeps every name unique.

Names never come from a list of real people or places. Country names end in
a suffix that no real country's name ends in, so a generated country can
never be a real one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
          "th", "sh", "kh", "zh", "br", "dr", "tr", "vr", "kr", "st")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ae", "ei", "ou")
CODAS = ("", "", "", "", "", "n", "r", "l", "s", "k", "th", "m", "v")

# (country suffix, demonym suffix); no real country name ends in any of these.
COUNTRY_SUFFIXES = (
    ("ethra", "ethran"), ("ovek", "ovekian"), ("issa", "issan"), ("ondar", "ondari"),
    ("eshti", "eshtian"), ("uvia", "uvian"), ("ellan", "ellish"), ("oth", "othic"),
    ("arek", "areki"), ("ynn", "ynnish"), ("avel", "aveli"), ("orin", "orinese"),
    ("esse", "essene"), ("umbra", "umbran"), ("ikar", "ikari"),
)
CITY_SUFFIXES = ("port", "haven", "mir", "dale", "ford", "gard", "stead", "wick", "mouth", "holt")
SURNAME_ENDINGS = ("", "", "", "ak", "ov", "en", "is", "ar", "el", "esh")


class ClaimBook:
    """Every surface form (name or alias) handed out so far, case-folded.

    `claim` takes a whole set of forms or none, so an entity is either fully
    unique or regenerated. Words of the filler prose are claimed up front, so
    no generated name can be mistaken for an ordinary word in the text.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = {fold(word) for word in reserved}

    def free(self, *forms: str) -> bool:
        folded = [fold(f) for f in forms]
        return len(set(folded)) == len(folded) and not any(f in self._taken for f in folded)

    def claim(self, *forms: str) -> bool:
        if not self.free(*forms):
            return False
        self._taken.update(fold(f) for f in forms)
        return True


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def syllable(rng: random.Random) -> str:
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)


def word(rng: random.Random, syllables: int) -> str:
    """A pronounceable made-up word, capitalised."""
    text = "".join(syllable(rng) for _ in range(syllables))
    return text[0].upper() + text[1:]


def given_name(rng: random.Random) -> str:
    return word(rng, 2)


def surname(rng: random.Random) -> str:
    return word(rng, rng.choice((2, 2, 2, 2, 3))) + rng.choice(SURNAME_ENDINGS)


def country_name(rng: random.Random) -> tuple[str, str]:
    """A country name and its demonym."""
    root = word(rng, rng.choice((1, 2))).rstrip("aeiou") or "Tav"
    suffix, demonym = rng.choice(COUNTRY_SUFFIXES)
    return root + suffix, root + demonym


def city_name(rng: random.Random) -> str:
    return word(rng, 2) + rng.choice(CITY_SUFFIXES)


def acronym(words: Iterable[str]) -> str:
    return "".join(w[0].upper() for w in words if w[:1].isalpha())
