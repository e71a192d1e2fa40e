"""The changes a benchmark makes to a site between builds, one per scenario.

Scenarios run in order on one copy of a corpus, each on top of the build the
previous one left: cold (no output, no cache), warm (nothing changed), then one
small edit each. Nothing here deletes an old build: `cold` renames `build/`
and `.briefgen-cache/` into a trash folder, which the runner empties only
after all measurements, because on these machines mass deletes slow file
creation down for minutes afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import names
from bench.corpus import FOOTER_TEMPLATE, CorpusGenerator
from bench.world import Actor

OUTPUT_DIR = "build"
CACHE_DIR = ".briefgen-cache"
BRIEFINGS = "content/briefings"
ACTOR_TEMPLATE = "templates/actor.html"
ALIAS_ACTOR_RANK = 10
"""The actor whose aliases change: popular (in hundreds of briefings at 10k), not the very top."""


@dataclass(frozen=True)
class Workspace:
    """One scratch copy of a corpus, the trash folder beside it, and the corpus' identity."""

    site: Path
    trash: Path
    seed: int
    size: int


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    prepare: Callable[[Workspace], str]
    """Change the site; returns what it changed, for the log."""


def move_aside(workspace: Workspace) -> str:
    """Rename `build/` and the cache folder into the trash; a cold build starts from nothing."""
    moved = []
    for name in (OUTPUT_DIR, CACHE_DIR):
        folder = workspace.site / name
        if folder.exists():
            workspace.trash.mkdir(parents=True, exist_ok=True)
            index = sum(1 for _ in workspace.trash.iterdir())
            folder.rename(workspace.trash / f"{index:03d}-{name.lstrip('.')}")
            moved.append(name)
    return f"moved aside: {', '.join(moved) or 'nothing'}"


def nothing(_: Workspace) -> str:
    return "no change"


def edit_body(workspace: Workspace) -> str:
    """Add a paragraph at the end of one briefing from the middle of the archive."""
    files = _briefing_files(workspace)
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    _replace(path, text + "\n\nLate on Friday, officials confirmed that the talks would resume.\n")
    return f"edited {path.name}"


def retitle(workspace: Workspace) -> str:
    """Change the title of another briefing from the middle of the archive: a front-matter
    edit, shown on its page and on every list, feed and export that shows it."""
    files = _briefing_files(workspace)
    path = files[len(files) // 2 + 1]
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\ntitle: "):
        raise ValueError(f"{path} does not start with a title line to edit")
    _replace(path, text.replace("\ntitle: ", "\ntitle: Revised — ", 1))
    return f"retitled {path.name}"


def add_briefing(workspace: Workspace) -> str:
    """A new briefing dated the day after the latest one, as an analyst adds today's."""
    files = _briefing_files(workspace)
    latest = max(dt.date.fromisoformat(p.name[:10]) for p in files)
    generator = CorpusGenerator(workspace.seed, workspace.size)
    generator.claim_slugs(p.stem[11:] for p in files)
    source = generator.briefing(latest + dt.timedelta(days=1))
    _replace(workspace.site / source.path, source.text)
    return f"added {Path(source.path).name}"


def delete_briefing(workspace: Workspace) -> str:
    files = _briefing_files(workspace)
    path = files[len(files) // 3]
    path.unlink()
    return f"deleted {path.name}"


def edit_aliases(workspace: Workspace) -> str:
    """Give a popular actor one more alias (which the mention matcher must now find)."""
    generator = CorpusGenerator(workspace.seed, workspace.size)
    actors = generator.world.actors.items
    actor: Actor = actors[min(ALIAS_ACTOR_RANK, len(actors)) - 1]
    rng = random.Random(f"bench-alias:{workspace.seed}")
    alias = names.word(rng, 3)
    while not generator.world.claims.free(alias):
        alias = names.word(rng, 3)
    path = workspace.site / "content" / "actors" / f"{actor.id}.md"
    text = path.read_text(encoding="utf-8")
    if "\naliases: [" not in text:
        raise ValueError(f"{path} has no one-line 'aliases: [...]' to edit")
    _replace(path, text.replace("\naliases: [", f"\naliases: [{alias}, ", 1))
    return f"added alias {alias!r} to {path.name}"


def edit_template(workspace: Workspace) -> str:
    """Change the site's footer override, which every page includes."""
    path = workspace.site / FOOTER_TEMPLATE
    text = path.read_text(encoding="utf-8")
    _replace(path, text.replace("  </div>", "    <p>Edited for a benchmark.</p>\n  </div>", 1))
    return f"edited {FOOTER_TEMPLATE}"


def edit_actor_template(workspace: Workspace) -> str:
    """Override the theme's actor-page template with a line added: only the actor pages use it."""
    theme = Path(__file__).resolve().parents[1] / "briefgen" / "theme" / "templates" / "actor.html"
    path = workspace.site / ACTOR_TEMPLATE
    text = theme.read_text(encoding="utf-8")
    if "{% block main %}\n" not in text:
        raise ValueError(f"{theme} has no '{{% block main %}}' line to add to")
    path.parent.mkdir(parents=True, exist_ok=True)
    edited = "{% block main %}\n<p>Edited for a benchmark.</p>\n"
    _replace(path, text.replace("{% block main %}\n", edited, 1))
    return f"wrote {ACTOR_TEMPLATE}"


SCENARIOS = (
    Scenario("cold", "no build/ and no cache", move_aside),
    Scenario("warm", "nothing changed", nothing),
    Scenario("edit-body", "one briefing's body edited", edit_body),
    Scenario("retitle", "one briefing's title edited", retitle),
    Scenario("add", "one briefing added (the newest)", add_briefing),
    Scenario("delete", "one briefing deleted", delete_briefing),
    Scenario("edit-aliases", f"an alias added to the rank-{ALIAS_ACTOR_RANK} actor", edit_aliases),
    Scenario("edit-template", "the footer partial edited", edit_template),
    Scenario("actor-template", "the actor pages' template overridden, one line added", edit_actor_template),
)


def _briefing_files(workspace: Workspace) -> list[Path]:
    return sorted((workspace.site / BRIEFINGS).glob("*.md"))


def _replace(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename, as editors do."""
    temp = path.with_name(f".{path.name}.bench-tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)
