"""Cleaning raw text: title, paragraphs, repeated headlines, footnote marks, duplicates."""

from __future__ import annotations

from briefgen.importer.clean import TITLE_MAX_CHARS, clean_text
from briefgen.importer.read import read_text

LEDE = ("Armenian Prime Minister Nikol Pashinyan's visit to Moscow for talks with Russian President "
        "Vladimir Putin on Wednesday underscored the strained relations between the two former allies "
        "amid spiraling tensions. The two leaders met following a summit of the Eurasian Economic Union.")
SHORT_LEDE = ("Armenian Prime Minister Nikol Pashinyan's visit to Moscow for talks with Russian President "
              "Vladimir Putin highlights the growing tensions between the two former allies.")


def texts(text: str) -> list[str]:
    return [p.text for p in clean_text(text).paragraphs]


def test_the_first_line_is_the_title_and_its_copies_go_wherever_they_stand() -> None:
    cleaned = clean_text(
        "Ties Strained as Pashinyan Visits Moscow\n\n"
        "First paragraph.\n\n"
        "TIES STRAINED AS PASHINYAN VISITS MOSCOW\n"   # a copy glued above a paragraph
        "Second paragraph.\n\n"
        "Third paragraph.\n"
        "Ties strained as Pashinyan visits Moscow!\n"  # and one glued below, other case and punctuation
    )
    assert cleaned.title == "Ties Strained as Pashinyan Visits Moscow"
    assert (cleaned.title_line, cleaned.title_from_sentence) == (1, False)
    assert [p.text for p in cleaned.paragraphs] == [
        "First paragraph.", "Second paragraph.", "Third paragraph.",
    ]
    assert [(n.line, n.message.split(":")[0]) for n in cleaned.notes] == [
        (5, "removed a repeated copy of the headline"),
        (9, "removed a repeated copy of the headline"),
    ]


def test_a_title_is_not_removed_from_inside_a_paragraph() -> None:
    cleaned = clean_text("Putin Visits Armenia\n\nThe story 'Putin Visits Armenia' ran first in May.\n")
    assert texts("Putin Visits Armenia\n\nThe story 'Putin Visits Armenia' ran first in May.\n") == [
        "The story 'Putin Visits Armenia' ran first in May."
    ]
    assert cleaned.notes == ()


def test_headline_shapes() -> None:
    assert clean_text("Will Armenia Leave the CSTO?\n\nBody.\n").title == "Will Armenia Leave the CSTO?"
    quoted = 'Peskov: "Certain Problems" Remain'
    assert clean_text(f"{quoted}\n\nBody.\n").title == quoted
    # a first line ending like a sentence or a clause is body text
    for first in ("Putin met Pashinyan.", "Putin met Pashinyan,", "Putin met Pashinyan:"):
        cleaned = clean_text(f"{first}\n\nBody.\n")
        assert cleaned.title_from_sentence, first
    # so is a first line longer than a headline
    long_line = " ".join(["word"] * 21)
    assert clean_text(f"{long_line}\n\nBody.\n").title_from_sentence


def test_without_a_headline_the_title_is_the_first_sentence() -> None:
    cleaned = clean_text("Putin met Pashinyan in Moscow on Wednesday. They talked about trade.\n\nMore.\n")
    assert cleaned.title == "Putin met Pashinyan in Moscow on Wednesday"
    assert cleaned.title_from_sentence and cleaned.title_line == 0
    # the sentence stays in the body
    assert cleaned.paragraphs[0].text.startswith("Putin met Pashinyan in Moscow on Wednesday. They")


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    sentence = "The " + " ".join(f"word{i}" for i in range(40)) + " ended."
    title = clean_text(sentence + "\n").title
    assert len(title) <= TITLE_MAX_CHARS + 2 and title.endswith(" …")
    assert sentence.startswith(title.removesuffix(" …"))
    assert not title.removesuffix(" …").endswith(("word", "wor"))  # cut between words


def test_one_line_text_is_its_own_title_and_body() -> None:
    cleaned = clean_text("Putin visits Armenia\n")
    assert cleaned.title == "Putin visits Armenia" and cleaned.title_from_sentence
    assert [p.text for p in cleaned.paragraphs] == ["Putin visits Armenia"]


def test_crlf_text_cleans_like_lf_text() -> None:
    lf = f"A Headline\n\n{SHORT_LEDE}\n\nA Headline\n\n{LEDE}\n\nLast line one\nand two.\n"
    crlf = read_text(lf.replace("\n", "\r\n").encode(), "x.txt")
    assert isinstance(crlf, str) and "\r" not in crlf
    assert clean_text(crlf) == clean_text(lf)
    assert texts(crlf) == [LEDE, "Last line one and two."]


def test_hard_wraps_are_joined_and_one_paragraph_per_line_is_split() -> None:
    assert texts("Headline\n\nThe first paragraph is\nwrapped at the\nedge.\n\nNext.\n") == [
        "The first paragraph is wrapped at the edge.", "Next.",
    ]
    assert texts("Headline\nFirst paragraph.\nSecond paragraph!\nThird, wrapped\nhere.\n") == [
        "First paragraph.", "Second paragraph!", "Third, wrapped here.",
    ]


def test_odd_spaces_and_invisible_characters_are_normalised() -> None:
    assert texts("Headline\n\nTwo\u00a0spaces\u2009and\u200b a\tsoft\u00adhyphen.\n") == [
        "Two spaces and a softhyphen."
    ]


def test_stray_footnote_marks_after_final_punctuation_are_removed() -> None:
    cleaned = clean_text(
        "Headline\n\nThe end of it.2\n\nHe said it was \"over.\"3\n\nThe end.[4]\n\nShe left.\u00b9\n"
    )
    assert [p.text for p in cleaned.paragraphs] == [
        "The end of it.", 'He said it was "over."', "The end.", "She left.",
    ]
    assert [n.message for n in cleaned.notes] == [
        f"removed the stray footnote mark '{mark}' at the end of the paragraph"
        for mark in ("2", "3", "[4]", "\u00b9")
    ]


def test_numbers_are_not_footnote_marks() -> None:
    kept = ["Inflation rose to 3.2", "He flew a Boeing 737.", "Turnout was 61.5", "Version 2.0.1"]
    cleaned = clean_text("Headline\n\n" + "\n\n".join(kept) + "\n")
    assert [p.text for p in cleaned.paragraphs] == kept
    assert cleaned.notes == ()


def test_a_footnote_mark_ends_a_line_paragraph() -> None:
    assert texts('Headline\nFirst "quoted."3\nSecond one.\n') == ['First "quoted."', "Second one."]


def test_exact_duplicate_paragraphs_are_removed_and_reported() -> None:
    cleaned = clean_text("Headline\n\nPutin spoke.\n\nPashinyan answered.\n\nPutin  spoke.\n\nPutin spoke.\n")
    assert [p.text for p in cleaned.paragraphs] == ["Putin spoke.", "Pashinyan answered."]
    assert [(n.line, n.message) for n in cleaned.notes] == [
        (7, "removed a repeated paragraph (as on line 3): 'Putin spoke.'"),
        (9, "removed a repeated paragraph (as on line 3): 'Putin spoke.'"),
    ]


def test_a_reworded_lede_collapses_to_the_fuller_in_the_first_place() -> None:
    cleaned = clean_text(f"Headline\n\n{SHORT_LEDE}\n\nSecond point.\n\n{LEDE}\n\nLast point.\n")
    assert [p.text for p in cleaned.paragraphs] == [LEDE, "Second point.", "Last point."]
    (note,) = cleaned.notes
    assert note.line == 3
    assert note.message.startswith(
        "removed a near-duplicate of the fuller paragraph on line 7 (similarity 0.")
    # the fuller one first: the shorter later copy goes
    cleaned = clean_text(f"Headline\n\n{LEDE}\n\n{SHORT_LEDE}\n")
    assert [p.text for p in cleaned.paragraphs] == [LEDE]
    assert cleaned.notes[0].line == 5


def test_different_paragraphs_on_one_subject_both_survive() -> None:
    pairs = [
        ("Russia has emphasized the importance of maintaining its military base in Armenia.",
         "Armenia has emphasized the importance of its new partnership with the European Union."),
        ("Armenian authorities accused Russian peacekeepers of failing to intervene during the conflict.",
         "Russian officials accused Armenian authorities of failing to honour the ceasefire agreement."),
        ("Armenia announced its withdrawal from the Collective Security Treaty Organization in February.",
         "Belarus and Kazakhstan remain members of the Collective Security Treaty Organization."),
    ]
    for first, second in pairs:
        assert texts(f"Headline\n\n{first}\n\n{second}\n") == [first, second]


def test_a_date_line_is_taken_out_of_the_text() -> None:
    cleaned = clean_text("Published: Wednesday, 8 May 2024, 14:05 BST\nA Headline\n\nBody text.\n")
    assert cleaned.title == "A Headline" and cleaned.title_line == 2
    assert [p.text for p in cleaned.paragraphs] == ["Body text."]
    ((mention, line),) = cleaned.dates
    assert (mention.date.isoformat(), line) == ("2024-05-08", 1)
    assert cleaned.notes[0].message.startswith("removed the date line 'Published: Wednesday, 8 May 2024")
