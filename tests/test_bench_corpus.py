"""The benchmark corpus: deterministic, valid, buildable, and its prose names its entities."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from bench.measure import SUMMARY
from bench.scenarios import SCENARIOS, Workspace
from briefgen.build import check_site
from briefgen.cli import main as briefgen_main
from briefgen.config import load_config
from briefgen.content import load_content
from briefgen.diagnostics import Severity
from briefgen.entities import build_registry
from briefgen.mentions import MentionMatcher
from briefgen.resolve import resolve

SIZE = 30


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "site"
    write_corpus(root, SIZE, seed=7)
    return root


def test_same_seed_gives_identical_files_and_another_seed_does_not(corpus: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    write_corpus(again, SIZE, seed=7)
    write_corpus(other, SIZE, seed=8)
    original = files_of(corpus)
    assert files_of(again) == original
    different = files_of(other)
    assert different != original
    assert not set(different) & {p for p in original if p.startswith("content/briefings/")}


def test_shape_of_the_site(corpus: Path) -> None:
    briefings = sorted((corpus / "content/briefings").glob("*.md"))
    assert len(briefings) == SIZE
    assert len(list((corpus / "content/actors").glob("*.md"))) == 20
    assert len(list((corpus / "content/countries").glob("*.md"))) == 60
    assert (corpus / "content/pages/about.md").is_file()
    assert (corpus / "templates/partials/footer.html").is_file()
    words = [len(p.read_text().split("\n---\n", 1)[1].split()) for p in briefings]
    assert min(words) >= 450
    assert max(words) <= 850
    years = {p.name[:4] for p in briefings}
    assert len(years) >= 3


def test_check_passes_with_exit_0(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert briefgen_main(["check", "--root", str(corpus)]) == 0


def test_it_builds_and_prints_the_summary_line_the_runner_parses(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(corpus, site)  # a build leaves a cache beside site.yaml; keep the fixture pristine
    out = tmp_path / "out"
    assert briefgen_main(["build", "--root", str(site), "--output", str(out), "--no-search"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    summary = SUMMARY.match(last)
    assert summary is not None, last
    assert int(summary["pages"]) > 20 + 60
    assert int(summary["written"]) >= int(summary["pages"])
    assert len(list((out / "briefings").glob("*/index.html"))) >= SIZE - 1  # a rare draft is skipped


@pytest.mark.parametrize(("line", "rendered"), [
    ("built 1918 pages: 70 files written, 1851 unchanged, 0 removed in 1.57s", None),
    ("built 1918 pages: 70 files written, 1851 unchanged, 3 removed in 1.57s (12 pages rendered)", "12"),
])
def test_summary_line_with_and_without_the_rendered_count(line: str, rendered: str | None) -> None:
    summary = SUMMARY.match(line)
    assert summary is not None
    assert (summary["pages"], summary["written"], summary["unchanged"]) == ("1918", "70", "1851")
    assert summary["rendered"] == rendered


def test_briefing_prose_mentions_entities_by_name_and_by_alias(corpus: Path) -> None:
    config, _ = load_config(corpus)
    content, _ = load_content(corpus)
    registry, _ = build_registry(content)
    linked, problems = resolve(content, registry, config)
    assert problems == []
    matcher = MentionMatcher(registry.surface_forms())
    by_alias = 0
    for item in linked.briefings:
        matches = matcher.find(str(item.briefing.body))
        declared = set(item.actors) | set(item.countries)
        assert {m.entity.id for m in matches} & declared, f"{item.briefing.source} names no declared entity"
        by_alias += sum(m.form != registry.entity(m.entity).name for m in matches)
    assert by_alias >= SIZE


def test_every_scenario_leaves_a_valid_site(corpus: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    (site / "build").mkdir()
    workspace = Workspace(site=site, trash=tmp_path / "trash", seed=7, size=SIZE)
    before = files_of(site)
    for scenario in SCENARIOS:
        scenario.prepare(workspace)
    after = files_of(site)
    assert not (site / "build").exists() and (tmp_path / "trash").is_dir()
    changed = {p for p in before.keys() & after.keys() if before[p] != after[p]}
    assert len(changed) == 4  # a body, another briefing's title, an actor's aliases, the footer template
    # New: a briefing and the actor pages' template; gone: a briefing.
    assert len(after.keys() - before.keys()) == 2 and len(before.keys() - after.keys()) == 1
    assert "templates/actor.html" in after.keys() - before.keys()
    assert check_site(site).count(Severity.ERROR) == 0
