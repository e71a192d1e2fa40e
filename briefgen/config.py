"""`site.yaml` read into a typed, immutable `SiteConfig`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefgen.diagnostics import Diagnostic, error
from briefgen.frontmatter import Located, parse_yaml
from briefgen.source import decode

CONFIG_FILE = "site.yaml"
DEFAULT_VOCABULARY = ("allied", "cooperative", "neutral", "strained", "hostile", "conflict")
MENTION_LINK_MODES = ("first", "all", "none")
BRIEFING_URL_FIELDS = ("slug", "year", "month", "day")
_WORD = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class SiteConfig:
    """Everything `site.yaml` says; defaults make an empty file a valid site."""

    title: str = "Briefings"
    description: str = ""
    base_url: str = ""
    language: str = "en"
    relation_vocabulary: tuple[str, ...] = DEFAULT_VOCABULARY
    mention_links: str = "first"
    page_size: int = 50
    home_size: int = 20
    briefing_url: str = "/briefings/{slug}/"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


def load_config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read `root/site.yaml`; a missing file is an error, bad values fall back to defaults."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return SiteConfig(), [
            error(CONFIG_FILE, 0, 0, f"no {CONFIG_FILE} in {root}",
                  hint="run 'briefgen init DIR' to start a site, or pass --root")
        ]
    text = decode(path.read_bytes(), CONFIG_FILE)
    if isinstance(text, Diagnostic):
        return SiteConfig(), [text]
    fm, diagnostics = parse_yaml(text, CONFIG_FILE, 1, CONFIG_FILE)
    if fm is None:
        return SiteConfig(), diagnostics
    defaults = SiteConfig()
    title = fm.text("title")
    description = fm.text("description")
    language = fm.text("language")
    base_url = fm.text("base_url", example="https://example.org/")
    if base_url is not None and base_url.value and not is_absolute_url(base_url.value):
        diagnostics.append(error(
            CONFIG_FILE, base_url.line, base_url.col,
            f"base_url must be an absolute http(s) URL, not '{base_url.value}'",
            hint="base_url: https://example.org/",
        ))
        base_url = None
    vocabulary = _vocabulary(fm.text_list("relation_vocabulary"), diagnostics)
    options = fm.mapping("options")
    mention_links, page_size, home_size = (
        defaults.mention_links, defaults.page_size, defaults.home_size
    )
    if options is not None:
        mention_links = options.choice("mention_links", MENTION_LINK_MODES, default=mention_links)
        page_size = options.integer("page_size", default=page_size)
        home_size = options.integer("home_size", default=home_size)
        for key in options.extra():
            line, col = options.where(key)
            diagnostics.append(error(
                CONFIG_FILE, line, col, f"unknown option '{key}'",
                hint="known options: mention_links, page_size, home_size",
            ))
    briefing_url = defaults.briefing_url
    urls = fm.mapping("urls")
    if urls is not None:
        pattern = urls.text("briefing", example=defaults.briefing_url)
        if pattern is not None:
            problem = briefing_url_problem(pattern.value)
            if problem:
                diagnostics.append(error(CONFIG_FILE, pattern.line, pattern.col, problem,
                                         hint="e.g. briefing: /{year}/{month}/{slug}/"))
            else:
                briefing_url = pattern.value
    config = SiteConfig(
        title=title.value if title else defaults.title,
        description=description.value if description else "",
        base_url=normalise_base_url(base_url.value) if base_url and base_url.value else "",
        language=language.value if language else defaults.language,
        relation_vocabulary=vocabulary or defaults.relation_vocabulary,
        mention_links=mention_links,
        page_size=page_size,
        home_size=home_size,
        briefing_url=briefing_url,
        extra=fm.extra(),
    )
    return config, diagnostics


def _vocabulary(words: tuple[Located, ...], diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    seen: list[str] = []
    for word in words:
        if not _WORD.fullmatch(word.value):
            diagnostics.append(error(
                CONFIG_FILE, word.line, word.col,
                f"relation status '{word.value}' must be one lower-case word",
                hint="e.g. relation_vocabulary: [allied, neutral, hostile]",
            ))
        elif word.value in seen:
            diagnostics.append(error(CONFIG_FILE, word.line, word.col,
                                     f"relation status '{word.value}' is listed twice"))
        else:
            seen.append(word.value)
    return tuple(seen)


def is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def briefing_url_problem(pattern: str) -> str | None:
    """Why a briefing URL pattern cannot work, or None when it can."""
    if not (pattern.startswith("/") and pattern.endswith("/")):
        return f"briefing URL pattern '{pattern}' must start and end with '/'"
    names = re.findall(r"\{([^}]*)\}", pattern)
    if "slug" not in names:
        return f"briefing URL pattern '{pattern}' must contain {{slug}}"
    unknown = [n for n in names if n not in BRIEFING_URL_FIELDS]
    if unknown:
        return (f"unknown field '{{{unknown[0]}}}' in briefing URL pattern; "
                f"known: {', '.join('{' + n + '}' for n in BRIEFING_URL_FIELDS)}")
    literal = re.sub(r"\{[^}]*\}", "x", pattern)
    if not re.fullmatch(r"(/[a-z0-9_-]+)+/", literal):
        return f"briefing URL pattern '{pattern}' may hold only a-z, 0-9, '-', '_' and '/'"
    return None
