"""The Markdown stage: every body of the linked site rendered once, keyed by source path.

With a cache, a body is rendered again only when its text or a setting that
shapes its HTML changed, or when the registry's names now match differently
in the text the matcher searched. The bodies that do need rendering are
rendered on every core.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.cache import BuildCache, digest, shard
from briefgen.config import SiteConfig
from briefgen.content.models import Briefing
from briefgen.entities import EntityRef, SurfaceForm
from briefgen.markdown.mentions import MentionContext, searched_text
from briefgen.markdown.render import RenderedBody, make_markdown, render_body
from briefgen.mentions import Match, MentionMatcher
from briefgen.packed import PackedText
from briefgen.parallel import run_jobs
from briefgen.resolve import Linked
from briefgen.urls import base_path, entity_url, under_base


@dataclass
class CachedBody:
    """A rendered body as the cache keeps it; the text the mention matcher searched is
    in the cache's spilled `searched` table (read only to re-check after a registry
    change), and the registry it was last checked against in its `checked` table."""

    body: RenderedBody
    signature: bytes  # a digest of where the registry's names matched in the searched text


@dataclass(frozen=True, slots=True)
class _Rendered:
    cached: CachedBody
    searched: PackedText


@dataclass(frozen=True, slots=True)
class _Request:
    source: str
    text: PackedText
    itself: EntityRef | None


def render_bodies(linked: Linked, cache: BuildCache | None = None,
                  workers: int | None = None) -> dict[str, RenderedBody]:
    """Briefings, entity profiles and pages; each entity profile never links to itself."""
    requests = [
        *(_Request(b.briefing.source, b.briefing.body, None) for b in linked.briefings),
        *(_Request(a.source, a.body, EntityRef("actor", a.id)) for a in linked.registry.actors.values()),
        *(_Request(c.source, c.body, EntityRef("country", c.id))
          for c in linked.registry.countries.values()),
        *(_Request(p.source, p.body, None) for p in linked.pages),
    ]
    renderer = _BodyRenderer(linked.config, MentionMatcher(linked.registry.surface_forms()),
                             for_cache=cache is not None)
    bodies: dict[str, RenderedBody] = {}
    keys = [renderer.key(r) for r in requests]
    reused: list[RenderedBody | None] = [None] * len(requests)
    if cache is not None:
        _reuse(renderer, cache, keys, reused, workers)
    missing = []
    for request, key, found in zip(requests, keys, reused, strict=True):
        if found is None:
            missing.append((request, key))
        else:
            bodies[request.source] = found
    made = run_jobs(lambda i: renderer.render(missing[i][0]), len(missing), workers=workers)
    for (request, key), entry in zip(missing, made, strict=True):
        bodies[request.source] = entry.cached.body
        if cache is not None:
            cache.set_body(key, entry.cached)
            cache.set_checked(key, renderer.matcher.fingerprint)
            cache.set_searched(key, entry.searched)
    if cache is not None:
        used = set(keys)
        _forget_unused(cache, used)
        cache.searched_used = used
        with contextlib.suppress(OSError):  # kept in memory: saving the cache says why it cannot
            cache.spill_searched()
    return bodies


def _reuse(renderer: _BodyRenderer, cache: BuildCache, keys: list[bytes],
           reused: list[RenderedBody | None], workers: int | None) -> None:
    """Fill `reused` with the cached bodies that still hold: those checked against this
    registry, and those whose searched text the registry's names still match as
    before (re-checked on every core, by shard: each is read from disk once)."""
    fingerprint = renderer.matcher.fingerprint
    stale: list[int] = []
    for index, key in enumerate(keys):
        entry = cache.bodies.get(key)
        if not isinstance(entry, CachedBody):
            continue
        if cache.checked.get(key) == fingerprint:
            reused[index] = entry.body
        else:
            stale.append(index)
    stale.sort(key=lambda i: shard(keys[i]))
    holds = run_jobs(lambda j: renderer.still_holds(cache, keys[stale[j]]), len(stale), workers=workers)
    for index, still in zip(stale, holds, strict=True):
        if still:
            reused[index] = cache.bodies[keys[index]].body
            cache.set_checked(keys[index], fingerprint)


def body_renderer(config: SiteConfig, forms: Iterable[SurfaceForm]) -> _BodyRenderer:
    """A renderer for bodies as a cached build renders them, matching `forms`."""
    return _BodyRenderer(config, MentionMatcher(forms), for_cache=True)


def body_request(briefing: Briefing) -> _Request:
    """What rendering a briefing's body asks for."""
    return _Request(briefing.source, briefing.body, None)


def _forget_unused(cache: BuildCache, used: set[bytes]) -> None:
    """Drop cached bodies no file has any more, so the cache does not grow forever."""
    for key in [k for k in cache.bodies if k not in used]:
        cache.drop_body(key)
        cache.drop_searched(key)


def _signature(matches: list[Match]) -> bytes:
    return digest(*(f"{m.start}\0{m.end}\0{m.entity.kind}\0{m.entity.id}\0{m.form}".encode()
                    for m in matches))


class _BodyRenderer:
    def __init__(self, config: SiteConfig, matcher: MentionMatcher, *, for_cache: bool) -> None:
        self.config = config
        self.for_cache = for_cache
        self.matcher = matcher
        self.md = make_markdown()
        self.settings = f"{config.mention_links}\0{base_path(config)}".encode()

    def key(self, request: _Request) -> bytes:
        """Everything a body's HTML depends on, except the registry (checked in `reuse`)."""
        owner = f"{request.itself.kind}\0{request.itself.id}" if request.itself else ""
        return digest(request.text.data, self.settings, owner.encode())

    def still_holds(self, cache: BuildCache, key: bytes) -> bool:
        """Whether this registry's names match the cached body's searched text where they
        matched when it was rendered (so its HTML and mentions are as they would be now)."""
        entry = cache.bodies.get(key)
        searched = cache.searched_for(key)
        if not isinstance(entry, CachedBody) or searched is None:
            return False
        return _signature(self.matcher.find(str(searched))) == entry.signature

    def render(self, request: _Request) -> _Rendered:
        config = self.config
        context = MentionContext(
            matcher=self.matcher,
            link_mode=config.mention_links,
            url_of=lambda entity: under_base(config, entity_url(entity)),
            itself=request.itself,
        )
        body = render_body(self.md, str(request.text), context)
        if not self.for_cache:  # what only the cache needs is not worth computing
            return _Rendered(CachedBody(body, b""), PackedText(b""))
        searched = searched_text(context)
        cached = CachedBody(body, _signature(self.matcher.find(searched)))
        return _Rendered(cached, PackedText.pack(searched))
