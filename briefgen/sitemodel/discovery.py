"""What search engines and static hosts read: sitemap entries, and redirects from aliases.

Plain data only; `briefgen.publish` turns it into `sitemap.xml`, `robots.txt`
and `_redirects`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from briefgen import urls
from briefgen.diagnostics import Diagnostic, error
from briefgen.frontmatter import Located
from briefgen.sitemodel.model import SiteModel
from briefgen.sitemodel.spec import PageSpec

NOT_LISTED = frozenset({urls.NOT_FOUND})
_URL_SAFE = "/-._~!$&'()*+,;=:@%"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: str | None


@dataclass(frozen=True, slots=True)
class Redirect:
    """A permanent redirect from an old path (an alias) to a briefing's URL."""

    source: str
    target: str


def sitemap_entries(pages: Sequence[PageSpec]) -> list[SitemapEntry]:
    """Every page but the 404 page, in URL order, each dated by the newest date it shows."""
    return [
        SitemapEntry(page.url, page.lastmod)
        for page in sorted(pages, key=lambda p: p.url)
        if page.url not in NOT_LISTED
    ]


def redirects(model: SiteModel) -> list[Redirect]:
    """Each alias of each published briefing, in source order."""
    found: list[Redirect] = []
    for item in sorted(model.briefings, key=lambda b: b.briefing.source):
        target = urls.briefing_url(model.linked.config, item.briefing)
        found.extend(Redirect(encode_path(alias.value), target) for alias in item.briefing.aliases)
    return found


def encode_path(path: str) -> str:
    """A path as a URL path: spaces and non-ASCII percent-encoded, existing escapes kept."""
    return quote(path, safe=_URL_SAFE)


def alias_problems(model: SiteModel, claimed: Iterable[str]) -> list[Diagnostic]:
    """An error for each alias that names a real page or file, or that another alias took.

    Paths are compared without a trailing slash or `index.html`, as static hosts
    serve `/x`, `/x/` and `/x/index.html` alike.
    """
    owners = {_key(url): url for url in claimed}
    taken: dict[str, tuple[str, Located]] = {}
    problems = []
    for item in sorted(model.briefings, key=lambda b: b.briefing.source):
        briefing = item.briefing
        own_url = urls.briefing_url(model.linked.config, briefing)
        for alias in briefing.aliases:
            key = _key(encode_path(alias.value))
            if key == _key(own_url):
                problems.append(error(
                    briefing.source, alias.line, alias.col,
                    f"alias '{alias.value}' is this briefing's own URL",
                    hint="an alias is an old path that should redirect here; remove it",
                ))
            elif key in owners:
                problems.append(error(
                    briefing.source, alias.line, alias.col,
                    f"alias '{alias.value}' collides with the page {owners[key]}",
                    hint="a redirect there would hide that page; remove the alias",
                ))
            elif key in taken and taken[key][0] != briefing.source:
                other, first = taken[key]
                problems.append(error(
                    briefing.source, alias.line, alias.col,
                    f"alias '{alias.value}' is already an alias of {other} (line {first.line})",
                    hint="an old path can redirect to one briefing only",
                ))
            else:
                taken.setdefault(key, (briefing.source, alias))
    return problems


def static_urls(static: Sequence[str]) -> list[str]:
    """The URLs of the files of `static/` (paths inside it)."""
    return [encode_path(f"/{path}") for path in static]


def static_problems(static: Sequence[str], claimed: Iterable[str]) -> list[Diagnostic]:
    """An error for each file of `static/` (a path inside it) that stands where the build
    makes a page or file (`claimed`, as `claimed_urls` gives them)."""
    owners = {_key(url): url for url in claimed}
    return [
        error(f"static/{path}", 0, 0, f"static/{path} stands where the build makes {owners[key]}",
              hint="rename or remove it; to change a page the build makes, override its template")
        for path, url in zip(static, static_urls(static), strict=True)
        if (key := _key(url)) in owners
    ]


def _key(path: str) -> str:
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/") or "/"


def claimed_urls(pages: Iterable[PageSpec], feed_urls: Iterable[str]) -> list[str]:
    """Every URL the build serves that an alias must not shadow."""
    fixed = [urls.SITEMAP, urls.ROBOTS, urls.REDIRECTS, *urls.DATA_FILES]
    return [*(p.url for p in pages), *feed_urls, *fixed]
