"""Commands: exit codes (0 ok, 1 content errors, 2 usage), output, and file safety."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from briefgen.cli import main
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing, copy_example_site

BRIEF = "content/briefings/2024-05-08-talks.md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_on_the_example_site(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--root", str(REPO))
    assert code == 0, out


def test_the_command_exits_with_its_code_after_all_it_printed(make_site: MakeSite, tmp_path: Path) -> None:
    """`briefgen` (`cli.run`) skips the interpreter's teardown: what it printed last into a
    pipe or a file must be there, and its exit code must be main's."""
    import functools
    import os
    import subprocess
    import sys

    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "briefgen"]
    call = functools.partial(subprocess.run, env=buffered, check=False)
    good = make_site(ACTORS_AND_COUNTRIES)
    piped = call([*command, "build", "--no-search", "--root", str(good)], capture_output=True)
    assert piped.returncode == 0 and piped.stdout.startswith(b"built ")  # one short line, printed last
    with (tmp_path / "out.txt").open("w") as file:
        done = call([*command, "new", "A title", "--root", str(good)], stdout=file)
    assert done.returncode == 0 and (tmp_path / "out.txt").read_text().endswith("-a-title.md\n")
    bad = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Nobody]")})
    failed = call([*command, "check", "--root", str(bad)], capture_output=True)
    assert failed.returncode == 1 and b"unknown actor 'Nobody'" in failed.stdout


def test_check_fails_on_unknown_actor_printing_file_and_line(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Vladimir Puttin]")})
    code, out, _ = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert f"{BRIEF}:4:10: error: unknown actor 'Vladimir Puttin'" in out
    assert "hint: did you mean 'Vladimir Putin'?" in out
    assert not (root / "build").exists(), "check writes nothing"


def test_check_strict_fails_on_warnings_only(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({"content/briefings/2024-05-07-x.md": briefing()})  # date differs from name
    code, out, _ = run(capsys, "check", "--root", str(root))
    assert code == 0 and "warning: file name says 2024-05-07" in out
    code, _, _ = run(capsys, "check", "--strict", "--root", str(root))
    assert code == 1


def test_check_json_and_github_formats(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Nobody]")})
    code, out, _ = run(capsys, "check", "--format", "json", "--root", str(root))
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["diagnostics"][0]["path"] == BRIEF
    assert data["diagnostics"][0]["line"] == 4
    code, out, _ = run(capsys, "check", "--format", "github", "--root", str(root))
    assert out.startswith(f"::error file={BRIEF},line=4,col=10::unknown actor 'Nobody'")


def test_build_exit_codes(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    good = make_site({BRIEF: briefing()})
    code, out, _ = run(capsys, "build", "--root", str(good))
    assert code == 0 and out.startswith("built ")
    bad = make_site({BRIEF: briefing(date="someday")})
    code, _, err = run(capsys, "build", "--root", str(bad))
    assert code == 1 and f"{BRIEF}:3:7: error: 'date' is not a date" in err
    code, _, err = run(capsys, "build", "--root", str(good), "--base-url", "not-a-url")
    assert code == 2 and "--base-url" in err


@pytest.mark.parametrize(("argv", "said"), [
    (["frobnicate"], "usage: briefgen [-h]"),
    (["build", "--no-such-flag"], "usage: briefgen build [-h]"),
    (["new"], "usage: briefgen new [-h]"),
    ([], "usage: briefgen [-h]"),
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], said: str) -> None:
    """With the usage of the command at fault, and the program named once."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith(said) and "briefgen: briefgen" not in err
    if argv[:1] == ["build"]:
        assert "briefgen: build: unrecognized arguments: --no-such-flag" in err


@pytest.mark.parametrize("command", ["build", "check", "new", "init"])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: briefgen {command}" in capsys.readouterr().out


def test_missing_root_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--root", str(tmp_path / "nope"))
    assert code == 2 and "not a folder" in err


def test_new_writes_a_valid_briefing_and_never_overwrites(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({})
    code, out, _ = run(capsys, "new", 'Talks: "Round 2" in Yerevan', "--date", "2024-05-08",
                       "--root", str(root))
    path = Path(out.strip())
    assert code == 0 and path == root / "content/briefings/2024-05-08-talks-round-2-in-yerevan.md"
    assert run(capsys, "check", "--root", str(root))[0] == 0
    path.write_text(path.read_text() + "My edits.\n")
    code, _, err = run(capsys, "new", 'Talks: "Round 2" in Yerevan', "--date", "2024-05-08",
                       "--root", str(root))
    assert code == 2 and "already exists" in err
    assert path.read_text().endswith("My edits.\n")
    code, out, _ = run(capsys, "build", "--root", str(root))
    page = (root / "build/briefings/talks-round-2-in-yerevan/index.html").read_text()
    assert "Talks: &#34;Round 2&#34; in Yerevan" in page


def test_new_defaults_to_today(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({})
    _, out, _ = run(capsys, "new", "Hello", "--root", str(root))
    assert Path(out.strip()).name == f"{dt.date.today().isoformat()}-hello.md"


def test_init_makes_a_working_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "newsite"
    code, _, _ = run(capsys, "init", str(folder))
    assert code == 0
    assert run(capsys, "check", "--strict", "--root", str(folder))[0] == 0
    assert run(capsys, "build", "--root", str(folder))[0] == 0
    assert (folder / "build/actors/jane-example/index.html").is_file()
    code, _, err = run(capsys, "init", str(folder))
    assert code == 2 and "never overwrites" in err


def test_a_reader_that_stops_early_gets_no_traceback(make_site: MakeSite) -> None:
    import subprocess
    import sys

    files = {f"content/briefings/b{i}.md": briefing(f"B{i}", body="Putin.\n") for i in range(1200)}
    root = make_site({**ACTORS_AND_COUNTRIES, **files})
    shell = f"{sys.executable} -m briefgen check --root {root} | head -1"
    run = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
    assert run.stdout.count("\n") == 1
    assert "Traceback" not in run.stderr and "BrokenPipeError" not in run.stderr


def test_build_counts_suggestions_and_leaves_them_to_check(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(body="Putin spoke.\n")})
    code, _, err = run(capsys, "build", "--root", str(root))
    assert code == 0
    assert "suggestion:" not in err
    assert "1 suggestion (suggestions are listed by 'briefgen check')" in err
    code, out, _ = run(capsys, "check", "--root", str(root))
    assert "suggestion: actor 'Vladimir Putin' is mentioned" in out


def _build_on_a_terminal(root: Path, *extra: str) -> tuple[str, str]:
    """`briefgen build` with its stderr on a pseudo-terminal: (stdout, what the terminal showed)."""
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "briefgen", "build", "--root", str(root),
                               "--no-search", *extra],
                              stdout=subprocess.PIPE, stderr=secondary, text=True, check=True, timeout=120)
    finally:
        os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the terminal's other side is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    return done.stdout, shown.decode()


def _example_copy(tmp_path: Path) -> Path:
    return copy_example_site(tmp_path / "site")


def test_a_terminal_sees_phases_and_counts_then_one_summary_line(tmp_path: Path) -> None:
    out, terminal = _build_on_a_terminal(_example_copy(tmp_path))
    assert "briefgen: loading content" in terminal
    counts = re.search(r"briefgen: 1 briefing, (\d+) actors, (\d+) countries: (\d+) pages, (\d+) feeds",
                       terminal)
    assert counts is not None, terminal
    assert "briefgen: rendering and writing " in terminal
    summary = [line for line in out.splitlines() if line.startswith("built ")]
    assert len(summary) == 1
    assert re.fullmatch(rf"built {counts[3]} pages: \d+ files written, \d+ unchanged, \d+ removed in [0-9.]+s"
                        r" \(\d+ pages rendered\)", summary[0])


def test_quiet_and_a_pipe_show_no_phases(tmp_path: Path) -> None:
    root = _example_copy(tmp_path)
    out, terminal = _build_on_a_terminal(root, "--quiet")
    assert "briefgen:" not in terminal and out == ""
    import subprocess
    import sys

    piped = subprocess.run([sys.executable, "-m", "briefgen", "build", "--root", str(root), "--no-search"],
                           capture_output=True, text=True, check=True, timeout=120)
    assert "loading content" not in piped.stderr and "rendering and writing" not in piped.stderr
    assert piped.stdout.startswith("built ")
