"""The near-duplicate threshold, measured: rewordings score above it, distinct paragraphs below.

These numbers justify `NEAR_DUPLICATE` (see briefgen/importer/duplicates.py).
"""

from __future__ import annotations

import itertools

from briefgen.importer.clean import clean_text, split_paragraphs
from briefgen.importer.duplicates import NEAR_DUPLICATE, similarity
from tests.importing import SEED

REWORDINGS = [
    ("Putin expressed satisfaction with the growth in bilateral trade but acknowledged concerns "
     "regarding regional security.",
     "Putin said he was satisfied with the growth in bilateral trade, while acknowledging concerns "
     "about regional security."),
    ('Kremlin spokesman Dmitry Peskov acknowledged "certain problems" in bilateral relations but '
     "emphasized the political will to continue dialogue.",
     'Kremlin spokesman Dmitry Peskov admitted there were "certain problems" in bilateral relations, '
     "but stressed the political will to keep up the dialogue."),
    ("Armenia recently announced its withdrawal from the Russian-led Collective Security Treaty "
     "Organization.",
     "Armenia has announced that it will withdraw from the Russian-led Collective Security Treaty "
     "Organization."),
]
SAME_SUBJECT = [
    ("Putin met Pashinyan in Moscow on Wednesday after a summit of the Eurasian Economic Union.",
     "Pashinyan last met Putin in Moscow in December, when the two leaders discussed the gas price."),
    ("Armenia announced its withdrawal from the Collective Security Treaty Organization in February.",
     "Belarus and Kazakhstan remain members of the Collective Security Treaty Organization, which "
     "Russia leads."),
    ("Russia has emphasized the importance of maintaining its military base in Armenia.",
     "Armenia has emphasized the importance of its new partnership with the European Union."),
    ("Armenian authorities accused Russian peacekeepers of failing to intervene during the conflict.",
     "Russian officials accused Armenian authorities of failing to honour the ceasefire agreement."),
]


def seed_paragraphs() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return [p.text for p in split_paragraphs(lines)]


def test_the_seeds_two_ledes_are_near_duplicates() -> None:
    paragraphs = seed_paragraphs()
    short, full = paragraphs[1], paragraphs[3]
    assert short.startswith("Armenian Prime Minister") and full.startswith("Armenian Prime Minister")
    assert similarity(short, full) >= NEAR_DUPLICATE + 0.15  # measured: 0.77


def test_distinct_paragraphs_of_the_seed_are_far_below_the_threshold() -> None:
    cleaned = [p.text for p in clean_text(SEED.read_text(encoding="utf-8")).paragraphs]
    highest = max(similarity(a, b) for a, b in itertools.combinations(cleaned, 2))
    assert highest < NEAR_DUPLICATE - 0.25  # measured: 0.19


def test_rewordings_score_above_and_same_subject_paragraphs_below() -> None:
    reworded = [similarity(a, b) for a, b in REWORDINGS]
    distinct = [similarity(a, b) for a, b in SAME_SUBJECT]
    assert min(reworded) >= NEAR_DUPLICATE + 0.1   # measured: 0.67
    assert max(distinct) <= NEAR_DUPLICATE - 0.1   # measured: 0.44


def test_similarity_is_symmetric_and_one_for_identical_text() -> None:
    for a, b in [*REWORDINGS, *SAME_SUBJECT]:
        assert similarity(a, b) == similarity(b, a)
        assert similarity(a, a) == 1.0


def test_short_paragraphs_are_never_near_duplicates() -> None:
    assert similarity("The end.", "The end of it.") == 0.0
    assert similarity("Putin spoke on Monday.", "Putin spoke on Tuesday.") == 0.0
