"""The rebuild scheduler: bursts, renames and deletions settle into one rebuild; no sockets, no threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.serve.scheduler import ChangeFilter, RebuildScheduler, is_editor_dropping

ROOT = Path("/site")
BRIEFING = ROOT / "content/briefings/2024-05-08-x.md"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make(quiet: float = 0.1, max_wait: float = 1.0) -> tuple[RebuildScheduler, FakeClock]:
    clock = FakeClock()
    scheduler = RebuildScheduler(ChangeFilter.for_site(ROOT, ROOT / "build"), quiet=quiet,
                                 max_wait=max_wait, clock=clock)
    return scheduler, clock


def run_until_idle(scheduler: RebuildScheduler, clock: FakeClock, step: float = 0.01,
                   limit: float = 5.0) -> list[tuple[Path, ...]]:
    """Drive the scheduler like the server does, with builds that finish at once."""
    batches = []
    end = clock.now + limit
    while clock.now < end:
        batch = scheduler.start()
        if batch is not None:
            batches.append(batch)
            scheduler.finish()
        clock.advance(step)
    return batches


def test_one_save_gives_one_rebuild() -> None:
    scheduler, clock = make()
    assert scheduler.notice([BRIEFING])
    assert scheduler.start() is None  # not yet quiet
    clock.advance(0.1)
    assert scheduler.start() == (BRIEFING,)
    scheduler.finish()
    assert run_until_idle(scheduler, clock) == []


def test_a_burst_of_saves_gives_one_rebuild_with_every_path() -> None:
    scheduler, clock = make()
    paths = [ROOT / f"content/briefings/b{i}.md" for i in range(20)]
    for path in paths:
        scheduler.notice([path])
        clock.advance(0.05)  # each save comes before the quiet period ends
    batches = run_until_idle(scheduler, clock)
    assert len(batches) == 1
    assert set(batches[0]) == set(paths)


def test_write_to_temp_then_rename_gives_one_rebuild() -> None:
    scheduler, clock = make()
    temp = BRIEFING.with_name(".2024-05-08-x.md.swp")
    scheduler.notice([temp])  # an editor dropping alone changes nothing
    assert scheduler.deadline() is None
    scheduler.notice([ROOT / "content/briefings/sedX4f2a1"])  # sed -i's temp name is not a dropping
    clock.advance(0.002)
    scheduler.notice([ROOT / "content/briefings/sedX4f2a1", BRIEFING])  # the rename
    batches = run_until_idle(scheduler, clock)
    assert len(batches) == 1
    assert BRIEFING in batches[0]


def test_a_deletion_gives_one_rebuild() -> None:
    scheduler, clock = make()
    scheduler.notice([BRIEFING])  # a deletion is reported like any other change
    assert run_until_idle(scheduler, clock) == [(BRIEFING,)]


def test_an_event_during_a_rebuild_gives_exactly_one_more_rebuild() -> None:
    scheduler, clock = make()
    scheduler.notice([BRIEFING])
    clock.advance(0.2)
    assert scheduler.start() == (BRIEFING,)
    other = ROOT / "templates/briefing.html"
    for _ in range(5):  # several saves while the build runs
        clock.advance(0.3)
        scheduler.notice([other])
        assert scheduler.start() is None  # never two builds at once
    assert scheduler.deadline() is None
    clock.advance(2.0)
    assert scheduler.start() is None  # still building
    scheduler.finish()
    assert run_until_idle(scheduler, clock) == [(other,)]


def test_a_stream_of_saves_cannot_starve_the_rebuild() -> None:
    scheduler, clock = make(quiet=0.1, max_wait=1.0)
    started = clock.now
    built_at = None
    while clock.now < started + 3:
        scheduler.notice([BRIEFING])
        if scheduler.start() is not None:
            built_at = clock.now
            break
        clock.advance(0.05)
    assert built_at is not None and built_at - started == pytest.approx(1.0, abs=0.06)


def test_deadline_follows_the_last_event() -> None:
    scheduler, clock = make(quiet=0.25)
    assert scheduler.deadline() is None
    scheduler.notice([BRIEFING])
    assert scheduler.deadline() == pytest.approx(clock.now + 0.25)
    clock.advance(0.2)
    scheduler.notice([BRIEFING])
    assert scheduler.deadline() == pytest.approx(clock.now + 0.25)


def test_changes_that_cannot_matter_never_schedule_a_rebuild() -> None:
    scheduler, clock = make()
    ignored = [
        ROOT / "build/index.html",
        ROOT / ".briefgen-cache/pages.db",
        ROOT / "content/.git/index",
        ROOT / "README.md",
        ROOT / "site.yaml~",
        ROOT / "content/briefings/.#x.md",
        ROOT / "content/briefings/x.md~",
        ROOT / "content/briefings/.x.md.swp",
        ROOT / "content/briefings/4913",
        ROOT / "content/briefings/#x.md#",
        ROOT,
        Path("/elsewhere/content/x.md"),
    ]
    assert not scheduler.notice(ignored)
    assert run_until_idle(scheduler, clock) == []


@pytest.mark.parametrize("relative", [
    "site.yaml", "content/briefings/x.md", "content/actors/a.md", "templates/base.html",
    "static/logo.svg", "content", "static",
])
def test_sources_are_relevant(relative: str) -> None:
    assert ChangeFilter.for_site(ROOT)(ROOT / relative)


def test_an_output_folder_inside_the_sources_is_ignored() -> None:
    relevant = ChangeFilter.for_site(ROOT, ROOT / "static/out")
    assert not relevant(ROOT / "static/out/index.html")
    assert relevant(ROOT / "static/outline.css")


@pytest.mark.parametrize("name", [".#a.md", "a.md~", ".a.md.swp", ".a.md.swx", "4913", "#a.md#",
                                  "a.md.tmp", ".goutputstream-XYZ", ".DS_Store"])
def test_editor_droppings(name: str) -> None:
    assert is_editor_dropping(name)


@pytest.mark.parametrize("name", ["a.md", "swp.md", "notes.md", "tmp.css", "#tag.md"])
def test_real_files_are_not_droppings(name: str) -> None:
    assert not is_editor_dropping(name)
