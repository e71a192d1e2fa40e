"""Related briefings (shared entities weighted by rarity) and co-occurring actors.

A shared entity is worth log(1 + N / df): an entity declared by 3 of N
briefings says more than one declared by 3,000. The top-k search visits
rare entities first and stops admitting new candidates once no unseen
briefing could still reach the k-th score, so a popular entity's long list
is scanned only when it can change the result.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

from briefgen.resolve import ResolvedBriefing

RELATED_COUNT = 5
CO_ACTOR_COUNT = 10

Key = tuple[str, str]


def entity_keys(item: ResolvedBriefing) -> list[Key]:
    return [("actor", a) for a in item.actors] + [("country", c) for c in item.countries]


def related_briefings(briefings: Sequence[ResolvedBriefing], k: int = RELATED_COUNT) -> list[tuple[int, ...]]:
    """For each briefing (by position), up to `k` positions of related ones, best first.

    `briefings` is newest first (same moment: slugs alphabetical), so among equal
    scores the lower position wins: the more recent briefing, then the slug.
    """
    postings: dict[Key, list[int]] = {}
    keys = [entity_keys(item) for item in briefings]
    for position, item_keys in enumerate(keys):
        for key in item_keys:
            postings.setdefault(key, []).append(position)
    total = len(briefings)
    weight = {key: math.log1p(total / len(plist)) for key, plist in postings.items()}
    member = {key: set(plist) for key, plist in postings.items() if len(plist) > 64}
    return [
        _top_related(position, item_keys, postings, member, weight, k)
        for position, item_keys in enumerate(keys)
    ]


def _top_related(position: int, item_keys: list[Key], postings: Mapping[Key, list[int]],
                 member: Mapping[Key, set[int]], weight: Mapping[Key, float], k: int) -> tuple[int, ...]:
    ordered = sorted(item_keys, key=lambda key: (-weight[key], key))
    remaining = sum(weight[key] for key in ordered)
    scores: dict[int, float] = {}
    admitting = True
    for key in ordered:
        remaining -= weight[key]
        if admitting:
            for other in postings[key]:
                if other != position:
                    scores[other] = scores.get(other, 0.0) + weight[key]
        else:
            contains = member.get(key) or set(postings[key])
            for other in scores:
                if other in contains:
                    scores[other] += weight[key]
        if admitting and len(scores) >= k:
            kth = heapq.nlargest(k, scores.values())[-1]
            admitting = remaining + 1e-12 >= kth
    best = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))
    return tuple(p for p, _ in best[:k])


def co_actors(
    briefings: Sequence[ResolvedBriefing], n: int = CO_ACTOR_COUNT
) -> dict[str, list[tuple[str, int]]]:
    """For each actor, the actors declared with them most often, with the count (ties by id)."""
    counts: dict[str, dict[str, int]] = {}
    for item in briefings:
        for actor in item.actors:
            row = counts.setdefault(actor, {})
            for other in item.actors:
                if other != actor:
                    row[other] = row.get(other, 0) + 1
    return {
        actor: sorted(row.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        for actor, row in sorted(counts.items())
    }
