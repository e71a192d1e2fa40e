"""The site map: every URL briefgen produces, and the file each one is written to.

Every stage that links to a page asks this module for the URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from briefgen.config import SiteConfig
from briefgen.content.models import Briefing
from briefgen.entities import EntityRef

HOME = "/"
BRIEFINGS = "/briefings/"
ACTORS = "/actors/"
COUNTRIES = "/countries/"
TAGS = "/tags/"
RELATIONS = "/relations/"
NOT_FOUND = "/404.html"


def briefing_url(config: SiteConfig, briefing: Briefing) -> str:
    return config.briefing_url.format(
        slug=briefing.slug,
        year=f"{briefing.date.year:04d}",
        month=f"{briefing.date.month:02d}",
        day=f"{briefing.date.day:02d}",
    )


def actor_url(actor_id: str) -> str:
    return f"{ACTORS}{actor_id}/"


def country_url(country_id: str) -> str:
    return f"{COUNTRIES}{country_id}/"


def entity_url(entity: EntityRef) -> str:
    return actor_url(entity.id) if entity.kind == "actor" else country_url(entity.id)


def base_path(config: SiteConfig) -> str:
    """The path part of base_url ('/' for a site at the root of its host)."""
    path = urlsplit(config.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def under_base(config: SiteConfig, url: str) -> str:
    """A site URL ('/actors/x/') as linked from a page: under the base path."""
    return base_path(config) + url.lstrip("/")


def pair_url(a: str, b: str) -> str:
    """One relation pair's page; the ids in sorted order, so each pair has one URL."""
    first, second = sorted((a, b))
    return f"{RELATIONS}{first}--{second}/"


def tag_url(tag_slug: str) -> str:
    return f"{TAGS}{tag_slug}/"


def page_url(slug: str) -> str:
    return f"/{slug}/"


def numbered_page_url(first_page_url: str, number: int) -> str:
    """Page 1 is the list's own URL; page n is `<url>page/<n>/`."""
    return first_page_url if number == 1 else f"{first_page_url}page/{number}/"


def output_path(url: str) -> str:
    """The file a URL is served from: pretty URLs are folders holding index.html."""
    relative = url.lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    return relative


FEED = "/feed.xml"
SEARCH = "/search/"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
REDIRECTS = "/_redirects"
DATA_FILES = ("/data/entities.json", "/data/briefings.json", "/data/relations.json")
FEED_NAME = "feed.xml"


def feed_url(page_url: str) -> str:
    """The Atom feed that follows a page: `<page>feed.xml`, beside its index.html."""
    return f"{page_url}{FEED_NAME}"


def absolute_url(config: SiteConfig, url: str) -> str:
    """A site URL ('/actors/x/') under `base_url`; unchanged when the site has no base_url."""
    if not config.base_url or not url.startswith("/"):
        return url
    return config.base_url + url.lstrip("/")

