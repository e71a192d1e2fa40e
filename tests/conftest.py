"""Shared fixtures: small sites written inline, and the example site of the repository."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = "title: Test Site\nbase_url: https://example.org/\n"

MakeSite = Callable[[dict[str, str | bytes]], Path]


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> text, dedented; or bytes, verbatim) under `root`."""
    files = {"site.yaml": MINIMAL_CONFIG, **files}
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """`make_site({"content/briefings/x.md": "..."})` writes a site and returns its root.

    A minimal `site.yaml` is added unless the mapping has its own.
    """
    counter = iter(range(1_000_000))

    def make(files: dict[str, str | bytes]) -> Path:
        return write_site(tmp_path / f"site{next(counter)}", files)

    return make


def briefing(title: str = "A briefing", date: str = "2024-05-08", body: str = "Body text.\n",
             **keys: str) -> str:
    """The text of a briefing file; extra keys are written as given (YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in keys.items()]
    lines += ["---", body]
    return "\n".join(lines)


ACTORS_AND_COUNTRIES = {
    "content/actors/vladimir-putin.md": """\
        ---
        name: Vladimir Putin
        kind: person
        aliases: [Putin, Russian President Vladimir Putin]
        country: Russia
        role: President of Russia
        ---
        President of Russia.
        """,
    "content/actors/nikol-pashinyan.md": """\
        ---
        name: Nikol Pashinyan
        aliases: [Pashinyan]
        country: Armenia
        ---
        """,
    "content/countries/russia.md": """\
        ---
        name: Russia
        code: RU
        aliases: [Russian, Moscow]
        ---
        """,
    "content/countries/armenia.md": """\
        ---
        name: Armenia
        code: AM
        aliases: [Armenian]
        ---
        """,
}
