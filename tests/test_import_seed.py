"""The seed article, imported against the example site, gives the example briefing's body."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.content import load_content
from briefgen.entities import build_registry
from tests.conftest import REPO
from tests.importing import (
    EXAMPLE_BRIEFING,
    SEED,
    SHARED_SEED,
    body_of,
    declared,
    parse_briefing,
    run_cli,
    today,
)


def test_fixture_is_the_shared_seed() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_body_matches_the_example_briefing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "import", SEED, "--date", "2024-05-08", "--dry-run", "--root", REPO)
    assert code == 0, err
    assert body_of(out) == body_of(EXAMPLE_BRIEFING.read_text(encoding="utf-8"))


def test_seed_has_one_title_and_one_lede(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "import", SEED, "--date", "2024-05-08", "--dry-run", "--root", REPO)
    assert code == 0
    briefing = parse_briefing(out)
    title = "Armenia-Russia Ties Strained as Pashinyan Visits Moscow Amidst Conflict"
    assert briefing.title == title
    body = str(briefing.body)
    assert title not in body
    assert out.count(title) == 1
    assert "highlights the growing tensions" not in body  # the shorter lede is gone
    assert body.count("Armenian Prime Minister Nikol Pashinyan's visit to Moscow") == 1
    assert briefing.summary.startswith("Armenian Prime Minister Nikol Pashinyan's visit to Moscow")
    assert "on Wednesday underscored" in briefing.summary
    assert briefing.date.isoformat() == "2024-05-08"
    # what was removed is reported, with the lines of the input
    assert ":3: removed a near-duplicate of the fuller paragraph on line 7" in err
    assert ":5: removed a repeated copy of the headline" in err
    assert ":9: removed a repeated copy of the headline" in err
    assert "would write " + str(REPO / "content/briefings/2024-05-08-armenia-russia-ties-strained") in err
    # the example site holds this story already, under the same title
    assert (f"{SEED}:1: warning: content/briefings/2024-05-08-pashinyan-in-moscow.md has the same title"
            in err)


def test_seed_declares_the_examples_actors_and_countries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "import", SEED, "--date", "2024-05-08", "--dry-run", "--root", REPO)
    assert code == 0
    content, _ = load_content(REPO)
    registry, problems = build_registry(content)
    assert not problems
    example = next(b for b in content.briefings if b.slug == "pashinyan-in-moscow")
    imported = parse_briefing(out)
    assert set(declared(registry, imported, "actor")) == set(declared(registry, example, "actor"))
    assert declared(registry, imported, "country") == declared(registry, example, "country")
    # canonical names, by first appearance (the title first, then the body)
    assert [a.value for a in imported.actors] == [
        "Nikol Pashinyan", "Vladimir Putin", "Eurasian Economic Union", "Russian peacekeeping contingent",
        "Collective Security Treaty Organization", "Dmitry Peskov", "International Criminal Court",
    ]
    assert [c.value for c in imported.countries] == ["Armenia", "Russia", "Azerbaijan", "Ukraine"]


def test_seed_without_date_falls_back_to_today_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "import", SEED, "--dry-run", "--root", REPO)
    assert code == 0
    assert parse_briefing(out).date == today()
    assert f"warning: the text states no date; using today ({today().isoformat()})" in err
    assert "hint: pass --date YYYY-MM-DD" in err


def test_seed_suggests_unknown_names_but_not_the_west(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "import", SEED, "--date", "2024-05-08", "--dry-run", "--root", REPO)
    assert code == 0
    suggestions = [line for line in err.splitlines() if ": suggestion: " in line]
    assert suggestions == [
        f"{SEED}:13: suggestion: 'Nagorno-Karabakh' (2 mentions) is not an actor or country of the registry"
    ]


def test_seed_with_a_stray_footnote_digit_gives_the_same_body(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    scraped = tmp_path / "seed-2.txt"
    scraped.write_bytes(SEED.read_bytes().rstrip() + b"2\n")
    code, out, err = run_cli(capsys, "import", scraped, "--date", "2024-05-08", "--dry-run", "--root", REPO)
    assert code == 0
    assert body_of(out) == body_of(EXAMPLE_BRIEFING.read_text(encoding="utf-8"))
    assert "removed the stray footnote mark '2' at the end of the paragraph" in err
