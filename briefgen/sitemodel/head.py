"""What each page's <head> says about it: canonical URL, description, Open Graph and
Twitter meta, JSON-LD, and the feeds that follow it.

`Heads` adds this as plain data under the `head` key of a page's context, so a
template override can use or ignore it. It is applied to one page at a time,
where the page is digested or rendered (on every core), so the parent process
never holds a head for every page.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from briefgen import urls
from briefgen.cache import data_digest
from briefgen.content.models import Actor, Country
from briefgen.resolve import ResolvedBriefing
from briefgen.sitemodel.feeds import FeedLink, rfc3339
from briefgen.sitemodel.model import SiteModel
from briefgen.sitemodel.spec import PageSpec, plain

DESCRIPTION_LIMIT = 300
SCHEMA = "https://schema.org"
Json = dict[str, Any]
_NUMBERED = re.compile(r"/page/[0-9]+/$")


class Heads:
    """`heads(page)`: the page with its head data under `context["head"]`."""

    def __init__(self, model: SiteModel, feeds: Mapping[str, FeedLink]) -> None:
        self._annotator = _Annotator(model, feeds)
        self._feed_digests: dict[str, bytes] = {}

    def __call__(self, page: PageSpec) -> PageSpec:
        context = plain(page.context)
        made = dataclasses.replace(page, context=context)
        context["head"] = self._annotator.head(made)
        return made

    def inputs(self, page: PageSpec) -> bytes:
        """A digest of what the head of `page` reads beyond site-wide configuration and
        the page's own `inputs`: the feeds it lists."""
        own = _NUMBERED.sub("/", page.url)
        key = own if own in self._annotator.feeds else ""  # most pages: the site feed alone
        found = self._feed_digests.get(key)
        if found is None:
            found = self._feed_digests[key] = data_digest(self._annotator.page_feeds(page.url))
        return found


def _as_json(document: Json | None) -> str | None:
    """JSON-LD as the text a <script> element may hold ('<', '>', '&' and "'" escaped).

    Kept as one string rather than a tree of dicts: a large site has a
    hundred thousand of these, and a string costs a tenth of the memory.
    """
    return None if document is None else str(htmlsafe_json_dumps(document, sort_keys=True))


class _Annotator:
    def __init__(self, model: SiteModel, feeds: Mapping[str, FeedLink]) -> None:
        self.model = model
        self.config = model.linked.config
        self.feeds = feeds
        self.briefings = {b.briefing.source: b for b in model.briefings}
        self.entities: dict[str, Actor | Country] = {
            **{a.source: a for a in model.linked.registry.actors.values()},
            **{c.source: c for c in model.linked.registry.countries.values()},
        }

    def absolute(self, url: str) -> str:
        return urls.absolute_url(self.config, url)

    def head(self, page: PageSpec) -> Json:
        """What it reads of the model for a page with `inputs` must be among those inputs
        (for a briefing page: its record, summary and entities; see `pages._BriefingInputs`)."""
        briefing = self.briefings.get(page.source) if page.template == "briefing.html" else None
        entity = self.entities.get(page.source)
        title = str(page.context.get("page_title", self.config.title))
        description = _clip(self._description(page, briefing, entity))
        listed = self.config.base_url and page.url != urls.NOT_FOUND
        canonical = self.absolute(page.url) if listed else None
        names = [("twitter:card", "summary"), ("twitter:title", title),
                 *([("twitter:description", description)] if description else [])]
        return {
            "canonical": canonical,
            "description": description,
            "robots": "noindex" if page.url == urls.NOT_FOUND else None,
            "properties": [list(pair) for pair in self.open_graph(title, description, canonical,
                                                                  briefing, entity)],
            "names": [list(pair) for pair in names],
            "feeds": self.page_feeds(page.url),
            "jsonld": _as_json(self.structured_data(page, description, briefing, entity)),
        }

    def open_graph(self, title: str, description: str, canonical: str | None,
                   briefing: ResolvedBriefing | None,
                   entity: Actor | Country | None) -> list[tuple[str, str]]:
        person = isinstance(entity, Actor) and entity.kind == "person"
        properties = [
            ("og:site_name", self.config.title),
            ("og:title", title),
            ("og:type", "article" if briefing else "profile" if person else "website"),
            *([("og:url", canonical)] if canonical else []),
            *([("og:description", description)] if description else []),
        ]
        if briefing:
            record = briefing.briefing
            properties.append(("article:published_time", rfc3339(record.time or record.date)))
            if record.updated:
                properties.append(("article:modified_time", rfc3339(record.updated)))
            properties.extend(("article:tag", tag) for tag in record.tags)
        return properties

    def structured_data(self, page: PageSpec, description: str, briefing: ResolvedBriefing | None,
                        entity: Actor | Country | None) -> Json | None:
        """JSON-LD: NewsArticle, Person/Organization/Country (on an entity's first page), WebSite."""
        if briefing:
            return self.news_article(briefing, page.url, description)
        if entity is not None and page.url == self.entity_url(entity):
            return self.entity_json(entity, description)
        if page.url == urls.HOME:
            return self.website()
        return None

    def _description(self, page: PageSpec, briefing: ResolvedBriefing | None,
                     entity: Actor | Country | None) -> str:
        if briefing:
            return self.model.summary(briefing)
        if entity is not None:
            body = self.model.bodies.get(entity.source)
            first = body.first_paragraph if body else ""
            role = entity.role if isinstance(entity, Actor) else entity.region
            return first or role or f"Briefings about {entity.name}"
        pair = page.context.get("pair")
        if page.template == "pair.html" and isinstance(pair, Mapping):
            return _pair_description(pair)
        summary = page.context.get("summary")
        return summary if isinstance(summary, str) and summary else self.config.description

    def page_feeds(self, url: str) -> list[Json]:
        """The site feed, then the feed of this page (or of the list this page is a part of)."""
        found = [self.feeds[urls.HOME]] if urls.HOME in self.feeds else []
        base = _NUMBERED.sub("/", url)
        own = self.feeds.get(base)
        if own is not None and base != urls.HOME:
            found.append(own)
        return [{"url": f.url, "title": f.title} for f in found]

    @staticmethod
    def entity_url(entity: Actor | Country) -> str:
        return urls.actor_url(entity.id) if isinstance(entity, Actor) else urls.country_url(entity.id)

    def ref(self, kind: str, entity_id: str) -> Json:
        registry = self.model.linked.registry
        if kind == "country":
            country = registry.countries[entity_id]
            return {"@type": "Country", "name": country.name,
                    "url": self.absolute(urls.country_url(entity_id))}
        actor = registry.actors[entity_id]
        return {"@type": "Person" if actor.kind == "person" else "Organization",
                "name": actor.name, "url": self.absolute(urls.actor_url(entity_id))}

    def publisher(self) -> Json:
        found: Json = {"@type": "Organization", "name": self.config.title}
        if self.config.base_url:
            found["url"] = self.config.base_url
        return found

    def news_article(self, item: ResolvedBriefing, url: str, description: str) -> Json:
        briefing = item.briefing
        published = rfc3339(briefing.time or briefing.date)
        article: Json = {
            "@context": SCHEMA,
            "@type": "NewsArticle",
            "headline": briefing.title,
            "datePublished": published,
            "dateModified": rfc3339(briefing.updated) if briefing.updated else published,
            "inLanguage": self.config.language,
            "author": self.publisher(),
            "publisher": self.publisher(),
        }
        if self.config.base_url:
            article["url"] = article["mainEntityOfPage"] = self.absolute(url)
        if description:
            article["description"] = description
        if briefing.tags:
            article["keywords"] = list(briefing.tags)
        about = [self.ref("actor", a) for a in item.actors]
        about += [self.ref("country", c) for c in item.countries]
        if about:
            article["about"] = about
        cited = [s.url for s in briefing.sources if s.url]
        if cited:
            article["citation"] = cited
        return article

    def entity_json(self, entity: Actor | Country, description: str) -> Json:
        found: Json = {"@context": SCHEMA}
        if isinstance(entity, Actor):
            found.update(self.ref("actor", entity.id))
            if entity.role and entity.kind == "person":
                found["jobTitle"] = entity.role
            country = self.model.linked.actor_country.get(entity.id)
            if country:
                key = "nationality" if entity.kind == "person" else "location"
                found[key] = self.ref("country", country)
        else:
            found.update(self.ref("country", entity.id))
            if entity.code:
                found["identifier"] = entity.code
        if entity.aliases:
            found["alternateName"] = [a.value for a in entity.aliases]
        if description:
            found["description"] = description
        if not self.config.base_url:
            found.pop("url", None)
        return found

    def website(self) -> Json:
        site: Json = {"@context": SCHEMA, "@type": "WebSite", "name": self.config.title}
        if self.config.base_url:
            site["url"] = self.config.base_url
            site["potentialAction"] = {
                "@type": "SearchAction",
                "target": self.absolute(urls.SEARCH) + "?q={search_term_string}",
                "query-input": "required name=search_term_string",
            }
        if self.config.description:
            site["description"] = self.config.description
        return site


def _pair_description(pair: Mapping[str, Any]) -> str:
    """'Armenia and Russia: strained since 8 May 2024; 3 briefings.' from a pair summary view."""
    a, b = pair["a"]["name"], pair["b"]["name"]
    count = pair["count"]
    status = f"{pair['status']}" if pair["status"] else "no status stated yet"
    since = f" since {pair['last_change']['display']}" if pair["status"] and pair["last_change"] else ""
    return f"Relations between {a} and {b}: {status}{since}; {count} briefing{'' if count == 1 else 's'}."


def _clip(text: str) -> str:
    """At most DESCRIPTION_LIMIT characters, cut at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    cut = text[:DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
