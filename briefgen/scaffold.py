"""`briefgen init` and `briefgen new`: files written for the user, never over theirs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.config import CONFIG_FILE
from briefgen.errors import UsageError
from briefgen.slugs import is_slug, slugify

BRIEFINGS_DIR = Path("content/briefings")

SITE_YAML = """\
title: {title}
description: Briefings on actors, countries and how they relate.
base_url: https://example.org/
language: en
# Relation statuses, from warmest to coldest.
relation_vocabulary: [allied, cooperative, neutral, strained, hostile, conflict]
options:
  mention_links: first   # link the first mention of each entity: first | all | none
  page_size: 50          # briefings per page on actor, country and tag pages
"""

GITIGNORE = "/build/\n/.briefgen-cache/\n/.*.briefgen-*\n"

STARTER_FILES = {
    "content/actors/jane-example.md": """\
---
name: Jane Example
kind: person
aliases: [Minister Example]
country: Examplia
role: Foreign Minister of Examplia
---
An example actor. Replace this file with the people and organisations you cover.
""",
    "content/countries/examplia.md": """\
---
name: Examplia
code: XE
aliases: [Examplian]
region: Nowhere
---
An example country. Add one file per country, named by its id.
""",
    "content/pages/about.md": """\
---
title: About
menu: true
---
What this site covers, who writes it and how.
""",
    "templates/README.md": """\
Templates placed here override briefgen's built-in theme by name
(for example `partials/footer.html`). `{% extends "theme/base.html" %}`
reaches the built-in original.
""",
}


def briefing_text(title: str, date: dt.date, *, actors: str = "[]", countries: str = "[]",
                  body: str = "Write the briefing here.\n") -> str:
    return (
        "---\n"
        f"title: {_yaml_text(title)}\n"
        f"date: {date.isoformat()}\n"
        "summary: \n"
        "draft: false\n"
        "tags: []\n"
        f"actors: {actors}\n"
        f"countries: {countries}\n"
        "relations: []\n"
        "sources: []\n"
        "---\n"
        f"{body}"
    )


def init_site(folder: Path, *, today: dt.date) -> list[Path]:
    """Create a new site in `folder`; refuses a folder that already holds a site."""
    if (folder / CONFIG_FILE).exists() or (folder / "content").exists():
        raise UsageError(f"{folder} already holds a site; briefgen init never overwrites")
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        CONFIG_FILE: SITE_YAML.format(title=_yaml_text(folder.resolve().name or "Briefings")),
        ".gitignore": GITIGNORE,
        **STARTER_FILES,
        f"{BRIEFINGS_DIR}/{today.isoformat()}-first-briefing.md": briefing_text(
            "First briefing", today, actors="[Jane Example]", countries="[Examplia]",
            body="Minister Example of Examplia opened this site. "
                 "Replace this briefing with your own.\n",
        ),
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (folder / "static").mkdir(exist_ok=True)
    return written


def new_briefing(root: Path, title: str, *, date: dt.date, slug: str | None = None) -> Path:
    """Write a new briefing file for `title`; never overwrites an existing file."""
    if not title.strip():
        raise UsageError("the title is empty")
    if not (root / CONFIG_FILE).is_file():
        raise UsageError(f"no {CONFIG_FILE} in {root}; run this inside a site (or pass --root)")
    slug = slug or slugify(title)
    if not is_slug(slug):
        raise UsageError(f"'{slug}' is not a valid slug (a-z, 0-9 and '-')")
    path = root / BRIEFINGS_DIR / f"{date.isoformat()}-{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(briefing_text(title.strip(), date))
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another title or --slug") from None
    return path


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
