"""`briefgen check --format json|github`: machine-readable diagnostics and Actions annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefgen.cli import main
from tests.conftest import ACTORS_AND_COUNTRIES, write_site

BAD = "---\ntitle: T\ndate: 2024-05-08\nactors: [Nobody]\nupdated: 2024-01-01\n---\nBody.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def in_repo(tmp_path: Path) -> Path:
    """A repository whose site lives in `sites/a,b:c/` (a path with ',' and ':'), as cwd."""
    repo = tmp_path / "repo"
    write_site(repo / "sites/a,b:c", {**ACTORS_AND_COUNTRIES, "content/briefings/2024-05-08-x%y.md": BAD})
    old = Path.cwd()
    os.chdir(repo)
    yield repo
    os.chdir(old)


def test_json_lists_every_diagnostic_with_place_and_severity(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", "--format", "json", "--root", "sites/a,b:c")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["summary"] == {"error": 1, "warning": 1, "suggestion": 0}
    unknown, earlier = data["diagnostics"]
    assert unknown == {
        "path": "content/briefings/2024-05-08-x%y.md", "line": 4, "column": 10, "severity": "error",
        "message": "unknown actor 'Nobody'",
        "hint": "add content/actors/<id>.md for it, or check the spelling",
    }
    assert earlier["severity"] == "warning" and earlier["line"] == 5


def test_json_ok_follows_strict(make_site_ok: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", "--format", "json", "--root", str(make_site_ok))
    assert code == 0 and json.loads(out)["ok"] is True
    code, out = run(capsys, "check", "--format", "json", "--strict", "--root", str(make_site_ok))
    assert code == 1 and json.loads(out)["ok"] is False


@pytest.fixture
def make_site_ok(tmp_path: Path) -> Path:
    """A site whose only problem is a warning ('updated' before 'date')."""
    return write_site(tmp_path / "ok", {
        "content/briefings/2024-05-08-x.md": "---\ntitle: T\ndate: 2024-05-08\nupdated: 2024-01-01\n---\n",
    })


def test_github_annotations_escape_properties_and_data(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", "--format", "github", "--strict", "--root", "sites/a,b:c")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    path = "sites/a%2Cb%3Ac/content/briefings/2024-05-08-x%25y.md"
    assert lines[0] == (f"::error file={path},line=4,col=10::unknown actor 'Nobody' "
                        "(hint: add content/actors/<id>.md for it, or check the spelling)")
    # --strict turns the warning into an error annotation
    assert lines[1].startswith(f"::error file={path},line=5,col=1::'updated' (2024-01-01)")
    # the properties part holds no unescaped ',' or ':' beyond the separators
    properties = lines[0].split("::")[1].removeprefix("error ")
    assert [p.split("=")[0] for p in properties.split(",")] == ["file", "line", "col"]


def test_github_message_line_breaks_and_percent_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    front = '---\ntitle: T\ndate: 2024-05-08\nactors: ["50%\\nof\\rit"]\n---\n'
    root = write_site(tmp_path / "s", {"content/briefings/2024-05-08-x.md": front})
    code, out = run(capsys, "check", "--format", "github", "--root", str(root))
    assert code == 1
    assert out.splitlines()[0].startswith(
        "::error file=content/briefings/2024-05-08-x.md,line=4,col=10::unknown actor '50%25%0Aof%0Dit'")


def test_github_levels(make_site_ok: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "check", "--format", "github", "--root", str(make_site_ok))
    assert out.startswith("::warning file=")
