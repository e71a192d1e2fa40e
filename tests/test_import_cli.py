"""`briefgen import` through the command line: what it writes, prints, refuses and reports."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from briefgen.markdown.render import make_markdown, render_body
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite
from tests.importing import body_of, parse_briefing, run_cli

STORY = """\
Pashinyan Meets Putin in Moscow

Armenian Prime Minister Nikol Pashinyan met Putin in Moscow on 8 May 2024. They spoke for two hours.

Sergei Lavrov and the Venice Commission were mentioned.
"""
STORY_PATH = "content/briefings/2024-05-08-pashinyan-meets-putin-in-moscow.md"

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(dict(ACTORS_AND_COUNTRIES))


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def briefings(site: Path) -> list[str]:
    folder = site / "content/briefings"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_import_writes_a_briefing_that_passes_check(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    story = write(tmp_path, "story.txt", STORY)
    code, out, err = run_cli(capsys, "import", story, "--root", site)
    assert code == 0, err
    assert out == f"{site / STORY_PATH}\n"
    briefing = parse_briefing((site / STORY_PATH).read_text(encoding="utf-8"), STORY_PATH)
    assert briefing.title == "Pashinyan Meets Putin in Moscow"
    assert briefing.date.isoformat() == "2024-05-08"
    assert briefing.summary == ("Armenian Prime Minister Nikol Pashinyan met Putin in Moscow on 8 May 2024. "
                                "They spoke for two hours.")
    assert [a.value for a in briefing.actors] == ["Nikol Pashinyan", "Vladimir Putin"]
    assert [c.value for c in briefing.countries] == ["Russia", "Armenia"]
    assert "suggestion: 'Sergei Lavrov' (1 mention) is not an actor or country" in err
    assert "suggestion: 'Venice Commission' (1 mention)" in err
    assert "stub of kind organization" in err
    code, out, err = run_cli(capsys, "check", "--root", site, "--strict")
    assert code == 0, out + err


def test_import_never_overwrites_a_briefing(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    story = write(tmp_path, "story.txt", STORY)
    assert run_cli(capsys, "import", story, "--root", site)[0] == 0
    first = (site / STORY_PATH).read_bytes()
    code, out, _ = run_cli(capsys, "import", story, "--root", site)
    assert code == 0
    assert out.strip().endswith("2024-05-08-pashinyan-meets-putin-in-moscow-2.md")
    assert (site / STORY_PATH).read_bytes() == first
    assert run_cli(capsys, "check", "--root", site)[0] == 0


def test_a_slug_used_on_another_date_is_not_reused(capsys: Capsys, make_site: MakeSite,
                                                    tmp_path: Path) -> None:
    old = "---\ntitle: Old\ndate: 2020-01-01\nslug: pashinyan-meets-putin-in-moscow\n---\nOld.\n"
    site = make_site({**ACTORS_AND_COUNTRIES, "content/briefings/2020-01-01-old.md": old})
    code, out, _ = run_cli(capsys, "import", write(tmp_path, "s.txt", STORY), "--root", site)
    assert code == 0
    assert out.strip().endswith("2024-05-08-pashinyan-meets-putin-in-moscow-2.md")
    assert run_cli(capsys, "check", "--root", site)[0] == 0


def test_a_given_slug_is_used_or_refused(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    story = write(tmp_path, "story.txt", STORY)
    code, out, _ = run_cli(capsys, "import", story, "--slug", "talks", "--root", site)
    assert (code, out) == (0, f"{site / 'content/briefings/2024-05-08-talks.md'}\n")
    code, out, err = run_cli(capsys, "import", story, "--slug", "talks", "--date", "2024-06-01",
                             "--root", site)
    assert (code, out) == (1, "")
    assert "error: the slug 'talks' is taken by another briefing" in err
    assert "nothing written" in err
    assert briefings(site) == ["2024-05-08-talks.md"]


def test_dry_run_prints_the_briefing_and_writes_nothing(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "import", write(tmp_path, "s.txt", STORY), "--dry-run", "--root", site)
    assert code == 0
    assert parse_briefing(out).title == "Pashinyan Meets Putin in Moscow"
    assert f"dry run, would write {site / STORY_PATH}" in err
    assert briefings(site) == []


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "bad.txt: error: the file is empty"),
    (b" \n\t\r\n", "bad.txt: error: the file holds only white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
     "bad.txt: error: the file is binary (it contains NUL bytes), not text"),
    (b"\x7fELF\x02\x01\x01\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12 text",
     "bad.txt: error: the file is binary (14 control bytes in its first 23), not text"),
    ("Talks\nCaf\u00e9 talks\n\nThey met.\n".encode("latin-1"),
     "bad.txt:2:4: error: file is not valid UTF-8 (byte 0xe9 cannot be decoded)"),
    ("Talks\n\nThey met.\n".encode("utf-16"), "bad.txt:1:1: error: file is UTF-16, expected UTF-8"),
    ("Talks\n\nThey met.\n".encode("utf-16-le"),
     "bad.txt: error: the file looks like UTF-16 text, expected UTF-8"),
])
def test_bad_inputs_are_clear_errors_and_write_nothing(capsys: Capsys, site: Path, tmp_path: Path,
                                                       data: bytes, expected: str) -> None:
    code, out, err = run_cli(capsys, "import", write(tmp_path, "bad.txt", data), "--root", site)
    assert (code, out) == (1, "")
    assert f"{tmp_path}/{expected}\n" in err
    assert err.endswith("bad.txt: nothing written\n")
    assert briefings(site) == []


def test_a_missing_file_is_an_input_error(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "import", tmp_path / "nope.txt", "--root", site)
    assert code == 1
    assert "error: cannot read the file: No such file or directory" in err


def test_one_bad_file_does_not_stop_the_others(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", STORY)
    other = write(tmp_path, "other.txt", "Second Story\n\nPutin spoke again on 9 May 2024.\n")
    bad = write(tmp_path, "bad.txt", b"")
    code, out, err = run_cli(capsys, "import", good, bad, other, "--root", site)
    assert code == 1
    assert out.splitlines() == [
        str(site / STORY_PATH), str(site / "content/briefings/2024-05-09-second-story.md"),
    ]
    assert f"{bad}: error: the file is empty" in err


def test_files_with_one_title_get_different_slugs_in_one_call(capsys: Capsys, site: Path,
                                                              tmp_path: Path) -> None:
    first = write(tmp_path, "a.txt", STORY)
    second = write(tmp_path, "b.txt", STORY.replace("8 May 2024", "9 May 2024"))
    code, out, _ = run_cli(capsys, "import", first, second, "--root", site)
    assert code == 0
    assert [Path(p).name for p in out.split()] == [
        "2024-05-08-pashinyan-meets-putin-in-moscow.md", "2024-05-09-pashinyan-meets-putin-in-moscow-2.md",
    ]
    assert run_cli(capsys, "check", "--root", site)[0] == 0


def test_standard_input(capsys: Capsys, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    code, out, err = run_cli(capsys, "import", "-", "--dry-run", "--root", site)
    assert code == 0, err
    assert parse_briefing(out).title == "Pashinyan Meets Putin in Moscow"
    assert "<stdin>: dry run, would write" in err


def test_crlf_input_gives_the_same_briefing(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    lf = write(tmp_path, "lf.txt", STORY)
    crlf = write(tmp_path, "crlf.txt", STORY.replace("\n", "\r\n").encode())
    lf_out = run_cli(capsys, "import", lf, "--dry-run", "--root", site)[1]
    crlf_out = run_cli(capsys, "import", crlf, "--dry-run", "--root", site)[1]
    assert crlf_out == lf_out and "\r" not in crlf_out


def test_a_text_without_headline_gets_its_first_sentence_as_title(capsys: Capsys, site: Path,
                                                                  tmp_path: Path) -> None:
    story = write(tmp_path, "s.txt", "Putin met Pashinyan in Moscow on 8 May 2024. They talked.\n\nMore.\n")
    code, out, err = run_cli(capsys, "import", story, "--dry-run", "--root", site)
    assert code == 0
    briefing = parse_briefing(out)
    assert briefing.title == "Putin met Pashinyan in Moscow on 8 May 2024"
    assert body_of(out).startswith("Putin met Pashinyan in Moscow on 8 May 2024. They talked.")
    assert (f"{story}:1: warning: no headline (the first line reads as body text); title from the first "
            "sentence: 'Putin met Pashinyan in Moscow on 8 May 2024'") in err


@pytest.mark.parametrize("argv", [
    ["--slug", "x", "a.txt", "b.txt"],
    ["--slug", "Not A Slug", "a.txt"],
    ["-", "-"],
    ["--date", "8 May 2024", "a.txt"],
    [],
])
def test_usage_errors_exit_2(capsys: Capsys, site: Path, argv: list[str]) -> None:
    code, out, _ = run_cli(capsys, "import", *argv, "--root", site)
    assert (code, out) == (2, "")
    assert briefings(site) == []


def test_a_folder_without_site_yaml_is_a_usage_error(capsys: Capsys, tmp_path: Path) -> None:
    story = write(tmp_path, "s.txt", STORY)
    code, _, err = run_cli(capsys, "import", story, "--root", tmp_path)
    assert code == 2
    assert "no site.yaml" in err


def test_titles_and_summaries_are_quoted_safely(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    title = "Peskov: \"Certain Problems\" #1 - 'No' [Analysis] {draft} & more"
    text = f"{title}\n\nPeskov said: \"yes\" - #2 @ {{x}} [y]: z. True.\n"
    code, out, _ = run_cli(capsys, "import", write(tmp_path, "q.txt", text), "--date", "2024-05-08",
                           "--dry-run", "--root", site)
    assert code == 0
    briefing = parse_briefing(out)
    assert briefing.title == title
    assert briefing.summary == "Peskov said: \"yes\" - #2 @ {x} [y]: z. True."


def test_the_body_shows_the_text_as_written(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    paragraphs = [
        "# Not a heading",
        "1. Not a list",
        "- Not a list either",
        "> Not a quote",
        "---",
        "Stars *here* and _there_, `code`, <b>tags</b>, [a link](https://example.org) and &amp;.",
        "2024. The year began.",
    ]
    text = "Headline\n\n" + "\n\n".join(paragraphs) + "\n"
    code, out, _ = run_cli(capsys, "import", write(tmp_path, "md.txt", text), "--date", "2024-05-08",
                           "--dry-run", "--root", site)
    assert code == 0
    html = str(render_body(make_markdown(), body_of(out)).html)
    for tag in ("<h1", "<ol", "<ul", "<blockquote", "<hr", "<em", "<code", "<a ", "<b>"):
        assert tag not in html
    assert html.count("<p>") == len(paragraphs)
    assert "&lt;b&gt;tags&lt;/b&gt;" in html and "&amp;amp;" in html
    assert "<p>2024. The year began.</p>" in html


def test_create_entities_writes_stubs_and_declares_them(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "import", write(tmp_path, "s.txt", STORY), "--create-entities",
                             "--root", site)
    assert code == 0, err
    briefing = parse_briefing((site / STORY_PATH).read_text(encoding="utf-8"), STORY_PATH)
    assert [a.value for a in briefing.actors] == [
        "Nikol Pashinyan", "Vladimir Putin", "Sergei Lavrov", "Venice Commission",
    ]
    lavrov = (site / "content/actors/sergei-lavrov.md").read_text(encoding="utf-8")
    venice = (site / "content/actors/venice-commission.md").read_text(encoding="utf-8")
    assert lavrov.startswith("---\nname: Sergei Lavrov\nkind: person\n")
    assert venice.startswith("---\nname: Venice Commission\nkind: organization\n")
    assert f"wrote the stub {site / 'content/actors/sergei-lavrov.md'} (person)" in err
    assert "suggestion:" not in err
    code, out, err = run_cli(capsys, "check", "--root", site)
    assert code == 0, out + err


def test_create_entities_never_overwrites_an_entity_file(capsys: Capsys, make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    mine = "---\nname: Sergei V. Lavrov\nkind: person\n---\nMine.\n"
    site = make_site({**ACTORS_AND_COUNTRIES, "content/actors/sergei-lavrov.md": mine})
    code, _, err = run_cli(capsys, "import", write(tmp_path, "s.txt", STORY), "--create-entities",
                           "--root", site)
    assert code == 0
    assert (site / "content/actors/sergei-lavrov.md").read_text(encoding="utf-8") == mine
    assert "no stub for 'Sergei Lavrov': " in err and "exists (not overwritten, not declared)" in err
    briefing = parse_briefing((site / STORY_PATH).read_text(encoding="utf-8"), STORY_PATH)
    assert "Sergei Lavrov" not in [a.value for a in briefing.actors]
    assert run_cli(capsys, "check", "--root", site)[0] == 0


def test_create_entities_dry_run_writes_no_stub(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "import", write(tmp_path, "s.txt", STORY), "--create-entities",
                             "--dry-run", "--root", site)
    assert code == 0
    assert "Sergei Lavrov" in [a.value for a in parse_briefing(out).actors]
    assert "would write the stub" in err
    assert not (site / "content/actors/sergei-lavrov.md").exists()


def test_stubs_written_for_one_file_are_known_to_the_next(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    first = write(tmp_path, "a.txt", STORY)
    second = write(tmp_path, "b.txt", "Lavrov Speaks\n\nSergei Lavrov spoke on 9 May 2024.\n")
    code, out, err = run_cli(capsys, "import", first, second, "--create-entities", "--root", site)
    assert code == 0, err
    assert err.count("wrote the stub") == 2  # Lavrov and the Venice Commission, once each
    path = Path(out.split()[1])
    assert [a.value for a in parse_briefing(path.read_text(encoding="utf-8")).actors] == ["Sergei Lavrov"]


def test_two_names_with_one_file_name_get_one_stub(capsys: Capsys, site: Path, tmp_path: Path) -> None:
    text = "Lavrov Speaks\n\nHe met Sergei Lavrov, or Sergei-Lavrov, on 9 May 2024.\n"
    story = write(tmp_path, "s.txt", text)
    code, _, err = run_cli(capsys, "import", story, "--create-entities", "--root", site)
    assert code == 0, err
    assert err.count("wrote the stub") == 1
    assert "no stub for 'Sergei-Lavrov': another name of this text takes" in err
    assert run_cli(capsys, "check", "--root", site)[0] == 0
