"""Helpers for the `briefgen import` tests: run the CLI in-process, read its output back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.content.loader import read_record
from briefgen.content.models import Briefing
from briefgen.entities import Registry
from briefgen.source import SplitSource, split_front_matter
from tests.conftest import REPO

SEED = REPO / "tests/fixtures/import/000_dbe0fe0aa086345a.txt"
SHARED_SEED = REPO.parent / "shared/seeds/000_dbe0fe0aa086345a.txt"
EXAMPLE_BRIEFING = REPO / "content/briefings/2024-05-08-pashinyan-in-moscow.md"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def parse_briefing(text: str, name: str = "content/briefings/2024-05-08-x.md") -> Briefing:
    """A briefing's text read back the way `briefgen check` reads it; fails on any error."""
    record, diagnostics = read_record("briefings", name, text.encode())
    assert not [d for d in diagnostics if d.severity.value == "error"], diagnostics
    assert isinstance(record, Briefing)
    return record


def body_of(text: str) -> str:
    split = split_front_matter(text, "briefing")
    assert isinstance(split, SplitSource), split
    return split.body


def declared(registry: Registry, briefing: Briefing, kind: str) -> list[str]:
    """The ids a briefing declares under `actors` or `countries`, in order."""
    refs = briefing.actors if kind == "actor" else briefing.countries
    ids = [registry.resolve("actor" if kind == "actor" else "country", ref, briefing.source) for ref in refs]
    assert all(isinstance(i, str) for i in ids), ids
    return [str(i) for i in ids]


def today() -> dt.date:
    return dt.date.today()
