"""The importer's file side: slugs, Markdown escaping, stubs, and writing without overwriting."""

from __future__ import annotations

from pathlib import Path

from briefgen.content.loader import read_record
from briefgen.content.models import Actor
from briefgen.importer.write import choose_slug, markdown_paragraph, stub_text, write_new


def test_slugs_come_from_the_title_and_avoid_those_taken() -> None:
    assert choose_slug("Pashinyan in Moscow", set(), None) == "pashinyan-in-moscow"
    taken = {"pashinyan-in-moscow", "pashinyan-in-moscow-2"}
    assert choose_slug("Pashinyan in Moscow", taken, None) == "pashinyan-in-moscow-3"
    assert choose_slug("¿¡…!?", set(), None) == "briefing"


def test_a_given_slug_is_used_only_when_free() -> None:
    assert choose_slug("Anything", {"other"}, "talks") == "talks"
    assert choose_slug("Anything", {"talks"}, "talks") is None


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.md"
    assert write_new(path, "first\n")
    assert not write_new(path, "second\n")
    assert path.read_text(encoding="utf-8") == "first\n"


def test_stubs_are_valid_actor_files() -> None:
    text = stub_text('Jane "JD" Doe: No', "person", "story.txt")
    record, diagnostics = read_record("actors", "content/actors/jane-jd-doe-no.md", text.encode())
    assert diagnostics == []
    assert isinstance(record, Actor)
    assert (record.name, record.kind, record.aliases) == ('Jane "JD" Doe: No', "person", ())


def test_markdown_paragraphs_keep_plain_text_plain() -> None:
    assert markdown_paragraph("Putin's *big* day_1 [x] <b> `c` ~~s~~") == (
        "Putin's \\*big\\* day\\_1 \\[x\\] \\<b> \\`c\\` \\~\\~s\\~\\~"
    )
    assert markdown_paragraph("# Not a heading") == "\\# Not a heading"
    assert markdown_paragraph("12. Not a list") == "12\\. Not a list"
    assert markdown_paragraph("- Not a list") == "\\- Not a list"
    assert markdown_paragraph("AT&T &amp; co") == "AT&T \\&amp; co"
    assert markdown_paragraph("Plain text, as in the seed: \"quoted\" 3.2%.") == (
        "Plain text, as in the seed: \"quoted\" 3.2%."
    )
