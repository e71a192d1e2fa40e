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

After an edit of a few briefings the lists are revised, not found again
(`revise_related`): each briefing keeps its list where no change can reach
it, which its scores prove.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise

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
    return list(revise_related(briefings, None, k=k, rare_limit=rare_limit, workers=workers).related)


@dataclass(frozen=True)
class RelatedState:
    """The related briefings of one build, and what the next build needs to revise them
    rather than find them all again (`revise_related`)."""

    k: int
    total: int
    df: dict[Key, int]  # how many briefings declare each entity
    sources: tuple[str, ...]  # each briefing's file, by position
    signatures: tuple[bytes, ...]  # a digest of each briefing's entities, by position
    related: tuple[tuple[int, ...], ...]
    # For each: at least the score of any other candidate that does not share what the
    # last related one shares (-inf: there is none; nan: not known, see `_Reviser._beside`).
    outside: tuple[float, ...]


def revise_related(briefings: Sequence[ResolvedBriefing], earlier: RelatedState | None, *,
                   k: int = RELATED_COUNT, rare_limit: int = RARE_LIMIT,
                   workers: int | None = None) -> RelatedState:
    """The related briefings of `briefings`, found again only for those whose related
    ones an edit since `earlier` (another build's state) may have changed.

    Every weight moves when a briefing comes or goes (N changes). The related
    briefings of one that did not change are kept when none of them changed or
    went, their new scores still rank them in the same order, no changed briefing
    now outranks the last of them, and no other candidate can have gained enough
    to: each of its shared entities moved by at most the largest change of this
    briefing's weights. The result is the same as finding them all again.
    """
    keys = [list(dict.fromkeys(entity_keys(item))) for item in briefings]
    postings: dict[Key, list[int]] = {}
    for position, item_keys in enumerate(keys):
        for key in item_keys:
            postings.setdefault(key, []).append(position)
    total = len(briefings)
    weight = {key: math.log1p(total / len(plist)) for key, plist in postings.items()}
    members = {key: set(plist) for key, plist in postings.items()}
    popular = {key for key, plist in postings.items() if len(plist) > rare_limit}
    finder = _Finder(postings, members, popular, weight, k + 1)  # one more: the best of the others
    state = RelatedState(k, total, {key: len(plist) for key, plist in postings.items()},
                         tuple(item.briefing.source for item in briefings),
                         tuple(_signature(item_keys) for item_keys in keys), (), ())
    kept = _Reviser(earlier, state, keys, postings, finder, workers).kept() if earlier is not None else {}
    todo = [position for position in range(total) if position not in kept]
    found = run_jobs(lambda j: finder.ranked(todo[j], keys[todo[j]]), len(todo), workers=workers)
    related: list[tuple[int, ...]] = [()] * total
    outside = [-math.inf] * total
    for position, (shown, bound) in kept.items():
        related[position], outside[position] = shown, bound
    for position, ranked in zip(todo, found, strict=True):
        related[position] = tuple(other for _, other in ranked[:k])
        if len(ranked) <= k:
            outside[position] = -math.inf
        elif _shared(keys[position], keys[ranked[k][1]]) == _shared(keys[position], keys[ranked[k - 1][1]]):
            outside[position] = math.nan  # the best other shares what the last shares: not known
        else:
            outside[position] = -ranked[k][0]
    return replace(state, related=tuple(related), outside=tuple(outside))


def _shared(mine: Sequence[Key], others: Sequence[Key]) -> list[Key]:
    theirs = set(others)
    return [key for key in mine if key in theirs]


def _signature(item_keys: Sequence[Key]) -> bytes:
    return hashlib.blake2b("\0".join(f"{kind}:{name}" for kind, name in item_keys).encode(),
                           digest_size=8).digest()


MOST_CHANGED = 64  # more changed briefings than this: find every briefing's related ones again
MOST_KEYS = 12  # a briefing with more entities than this is not revised (2**12 combinations)
SLACK = 1e-8  # more than the rounding of two scores (9 decimals) can hide


class _Reviser:
    """Which briefings of `state` keep the related ones `earlier` found (see `revise_related`)."""

    def __init__(self, earlier: RelatedState, state: RelatedState, keys: list[list[Key]],
                 postings: dict[Key, list[int]], finder: _Finder, workers: int | None) -> None:
        self.earlier, self.state, self.keys, self.finder = earlier, state, keys, finder
        self.postings, self.workers = postings, workers
        old_at = {source: position for position, source in enumerate(earlier.sources)}
        self.old_of: list[int | None] = []  # each briefing's position in `earlier`, if it did not change
        for position, source in enumerate(state.sources):
            old = old_at.get(source)
            same = old is not None and earlier.signatures[old] == state.signatures[position]
            self.old_of.append(old if same else None)
        self.new_of = {old: new for new, old in enumerate(self.old_of) if old is not None}

    def kept(self) -> dict[int, tuple[tuple[int, ...], float]]:
        """Each briefing that keeps its related ones: those (as positions now), and the bound
        of any other candidate's score."""
        if self.earlier.k != self.state.k:
            return {}
        unchanged_at = [position for position, old in enumerate(self.old_of) if old is not None]
        unchanged = [old for old in self.old_of if old is not None]
        if any(a > b for a, b in pairwise(unchanged)):
            return {}  # one moved past another: ties between them may go the other way
        changed = [position for position, old in enumerate(self.old_of) if old is None]
        if len(changed) > MOST_CHANGED:
            return {}
        meets: dict[int, set[int]] = {}  # briefing -> the changed ones it shares an entity with
        for position in changed:
            for key in self.keys[position]:
                for other in self.postings[key]:
                    meets.setdefault(other, set()).add(position)
        earlier = self.earlier
        drift = {key: abs(self.finder.weight[key] - math.log1p(earlier.total / count))
                 for key, count in earlier.df.items() if key in self.finder.weight}

        def keep(j: int) -> tuple[tuple[int, ...], float] | None:
            position = unchanged_at[j]
            old = self.old_of[position]
            assert old is not None
            return self._keep(position, old, meets.get(position, set()), drift)

        found = run_jobs(keep, len(unchanged_at), workers=self.workers)
        return {position: kept for position, kept in zip(unchanged_at, found, strict=True)
                if kept is not None}

    def _keep(self, position: int, old: int, changed: set[int],
              drift: dict[Key, float]) -> tuple[tuple[int, ...], float] | None:
        earlier = self.earlier.related[old]
        shown = [self.new_of[other] for other in earlier if other in self.new_of]
        if len(shown) < len(earlier):
            return None  # one of them changed or went
        mine = self.keys[position]
        if not changed and all(drift.get(key) == 0.0 for key in mine):
            # None of its weights moved, so no score of it did, and it meets no changed
            # briefing: its related ones and their bound are as they were.
            return tuple(shown), self.earlier.outside[old]
        ranked = sorted(self._ranked(mine, other) for other in shown)
        if [other for _, other in ranked] != shown:
            return None
        if len(ranked) < self.state.k:  # it had no other candidates
            return None if changed else (tuple(shown), -math.inf)
        last = ranked[-1]
        outside = self.earlier.outside[old]
        if math.isnan(outside):
            outside = self._beside(mine, _shared(mine, self.keys[last[1]]))
        bound = outside + len(mine) * max(drift[key] for key in mine) + SLACK
        if -bound <= last[0]:
            return None  # another candidate may have gained enough
        for other in changed:
            candidate = self._ranked(mine, other)
            if candidate < last:
                return None
            bound = max(bound, -candidate[0])
        return tuple(shown), bound

    def _ranked(self, mine: list[Key], other: int) -> Ranked:
        return -self.finder._score(_shared(mine, self.keys[other])), other

    def _beside(self, mine: list[Key], last: list[Key]) -> float:
        """At least the earlier score of any candidate outside the related ones that shares
        something else than the `last` of them does: the best earlier score of a
        combination of `mine` other than `last`, at most that of `last`.

        (The candidates that share just what the last shares always score as it does,
        and stay behind it: they are older.) Sums here are not rounded as scores are:
        `SLACK` covers the difference, always towards a higher bound.
        """
        if len(mine) > MOST_KEYS:
            return math.inf
        earlier = self.earlier
        weights = [math.log1p(earlier.total / earlier.df[key]) for key in mine]
        shape = sum(1 << index for index, key in enumerate(mine) if key in last)
        sums = [0.0] * (1 << len(mine))  # by combination, as a bit mask over `mine`
        for mask in range(1, len(sums)):
            low = mask & -mask
            sums[mask] = sums[mask ^ low] + weights[low.bit_length() - 1]
        ceiling = sums[shape] + SLACK
        return max((found for mask, found in enumerate(sums) if mask and mask != shape and found <= ceiling),
                   default=-math.inf)


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
        return tuple(p for _, p in self.ranked(position, item_keys))

    def ranked(self, position: int, item_keys: list[Key]) -> list[Ranked]:
        """The best `k` others, with their scores, best first."""
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
        return best

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
