"""Related briefings (shared entities weighted by rarity) and co-occurring actors.

A shared entity is worth log(1 + N / df): an entity declared by 3 of N
briefings says more than one declared by 3,000. Ties go to the more recent
briefing, then the slug (the order of `SiteModel.briefings`).

The search is exact but avoids scoring every briefing that shares a popular
entity. Briefings that share a rare entity are few and are scored in full.
Any other candidate shares only popular entities, so its score is fixed by
which of them it shares: for each such combination, in falling score order,
the posting lists (sorted newest first) are walked only until the best few
candidates of that combination are found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations

from briefgen.parallel import run_jobs
from briefgen.resolve import ResolvedBriefing

RELATED_COUNT = 5
CO_ACTOR_COUNT = 10
RARE_LIMIT = 64

Key = tuple[str, str]
Ranked = tuple[float, int]  # (-score, position): sorts best first


def entity_keys(item: ResolvedBriefing) -> list[Key]:
    return [("actor", a) for a in item.actors] + [("country", c) for c in item.countries]


def related_briefings(briefings: Sequence[ResolvedBriefing], k: int = RELATED_COUNT,
                      rare_limit: int = RARE_LIMIT, workers: int | None = None) -> list[tuple[int, ...]]:
    """For each briefing (by position), up to `k` positions of related ones, best first."""
    keys = [list(dict.fromkeys(entity_keys(item))) for item in briefings]
    postings: dict[Key, list[int]] = {}
    for position, item_keys in enumerate(keys):
        for key in item_keys:
            postings.setdefault(key, []).append(position)
    total = len(briefings)
    weight = {key: math.log1p(total / len(plist)) for key, plist in postings.items()}
    members = {key: set(plist) for key, plist in postings.items()}
    popular = {key for key, plist in postings.items() if len(plist) > rare_limit}
    finder = _Finder(postings, members, popular, weight, k)
    return run_jobs(lambda position: finder.top(position, keys[position]), len(keys), workers=workers)


class _Finder:
    def __init__(self, postings: dict[Key, list[int]], members: dict[Key, set[int]],
                 popular: set[Key], weight: dict[Key, float], k: int) -> None:
        self.postings = postings
        self.members = members
        self.popular = popular
        self.weight = weight
        self.k = k

    def _score(self, keys: Sequence[Key]) -> float:
        """Summed in one fixed order, so equal sets of keys give bit-equal scores."""
        return round(sum(self.weight[key] for key in sorted(keys)), 9)

    def top(self, position: int, item_keys: list[Key]) -> tuple[int, ...]:
        popular = [key for key in item_keys if key in self.popular]
        rare = [key for key in item_keys if key not in self.popular]
        ranked: list[Ranked] = []
        seen: set[int] = {position}
        scores: dict[tuple[Key, ...], float] = {}
        for key in rare:
            for other in self.postings[key]:
                if other not in seen:
                    seen.add(other)
                    shared = tuple(q for q in item_keys if other in self.members[q])
                    score = scores.get(shared)
                    if score is None:
                        score = scores[shared] = self._score(shared)
                    ranked.append((-score, other))
        ranked.sort()
        best = ranked[: self.k]
        for score, subset in self._subsets_by_score(popular):
            if len(best) >= self.k and best[-1][0] < -score:
                break
            found = self._walk(subset, [q for q in popular if q not in subset], seen,
                               limit=self.k, worse_than=best[-1] if len(best) >= self.k else None,
                               score=score)
            best = sorted(best + found)[: self.k]
        return tuple(p for _, p in best)

    def _subsets_by_score(self, popular: list[Key]) -> list[tuple[float, tuple[Key, ...]]]:
        subsets = [
            (self._score(subset), subset)
            for size in range(len(popular), 0, -1)
            for subset in combinations(popular, size)
        ]
        subsets.sort(key=lambda s: (-s[0], s[1]))
        return subsets

    def _walk(self, subset: tuple[Key, ...], others: list[Key], seen: set[int], *, limit: int,
              worse_than: Ranked | None, score: float) -> list[Ranked]:
        """Up to `limit` newest briefings that share exactly `subset` of the popular keys."""
        excluded = [self.members[q] for q in others]
        if len(subset) > 1:  # intersections are small: let C find them
            common = set.intersection(*(self.members[q] for q in subset)) - seen
            for other_set in excluded:
                common -= other_set
            ranked = sorted((-score, other) for other in common)[:limit]
            return [r for r in ranked if worse_than is None or r < worse_than]
        found: list[Ranked] = []
        for other in self.postings[subset[0]]:
            if worse_than is not None and (-score, other) >= worse_than:
                break
            if other in seen or any(other in s for s in excluded):
                continue
            found.append((-score, other))
            if len(found) == limit:
                break
        return found


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
