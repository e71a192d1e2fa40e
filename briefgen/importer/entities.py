"""Which registry entities a text names, and which names in it the registry lacks.

Recognition is `briefgen.mentions.MentionMatcher`, the matcher that links
mentions in built briefings, so an import declares exactly what the site
would find. Suggestions are runs of capitalised words the matcher left over:

- a lone capitalised word at the start of a sentence is not a name ("Despite"),
  unless it is an acronym ("NATO");
- weekdays and months are never names; "the West" and "Government" alone
  are not names either;
- titles are not part of a name ("Foreign Minister Jane Doe" -> "Jane Doe"),
  but stay in an organisation's ("Supreme Court");
- "of", "for", "de", "von" and the like may join the words of one name
  ("Ministry of Foreign Affairs"); punctuation and possessives end one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from briefgen.content.models import ActorKind
from briefgen.entities import EntityRef, Registry, fold
from briefgen.importer.model import Paragraph
from briefgen.importer.sentences import STOP_WORDS, sentence_spans, word_set
from briefgen.mentions import MentionMatcher

_TOKEN = re.compile(r"[^\W_][\w'\u2019-]*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")

CONNECTORS = frozenset({"of", "for", "de", "del", "della", "da", "do", "dos", "van", "von", "der", "den",
                        "la", "le", "al", "bin", "ibn"})
SENTENCE_OPENERS = STOP_WORDS | word_set("""
despite however meanwhile although though because according following speaking asked like unlike
under until within without across against through toward towards once why how here both all some
many several other another each every today yesterday tomorrow now earlier later last next new
""")
CALENDAR = word_set("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
""")
NOT_NAMES = word_set("""
west east north south western eastern northern southern central westerners i
""")
TITLES = word_set("""
president minister premier chancellor secretary senator governor mayor ambassador spokesman
spokeswoman spokesperson king queen prince princess emir sheikh pope patriarch general gen colonel
col admiral adm commander lieutenant lt captain capt sergeant mr mrs ms dr sir dame lord lady judge
chairman chairwoman chair director chief leader speaker envoy commissioner prosecutor officer
representative rep sen gov ceo professor prof
""")
TITLE_MODIFIERS = word_set("""
prime foreign defence defense deputy vice former acting interior finance economy economic trade
health justice senior first executive managing supreme special lead
""")
ORGANIZATION_WORDS = word_set("""
organization organisation union court ministry council committee commission agency bank party army
forces force front parliament assembly government office department service institute university
company corporation corp group fund association league alliance movement authority bureau board
senate congress cabinet guard police foundation society tribunal secretariat inc ltd coalition
network centre center initiative programme program mission brigade battalion navy command
""")


@dataclass(frozen=True, slots=True)
class Position:
    """Where something first appears: paragraph index (-1 for the title), then offset."""

    paragraph: int
    offset: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A name that looks like a person or organisation but that the registry does not know."""

    name: str
    kind: ActorKind
    line: int
    count: int
    first: Position


def recognise(matcher: MentionMatcher, title: str,
              paragraphs: Sequence[Paragraph]) -> list[tuple[EntityRef, Position]]:
    """Every entity named in the title or the paragraphs, once, by first appearance."""
    seen: dict[EntityRef, Position] = {}
    texts = [title, *(p.text for p in paragraphs)]
    for index, text in enumerate(texts):
        for match in matcher.find(text):
            seen.setdefault(match.entity, Position(index - 1, match.start))
    return list(seen.items())


def known_forms(registry: Registry) -> frozenset[str]:
    """Every name, alias and id of the registry, folded."""
    forms = {fold(form.text) for form in registry.surface_forms()}
    forms.update(fold(i) for i in [*registry.actors, *registry.countries])
    return frozenset(forms)


def suggest_names(matcher: MentionMatcher, known: frozenset[str],
                  paragraphs: Sequence[Paragraph]) -> list[Suggestion]:
    """Unknown capitalised names of the paragraphs, by first appearance, with how often they occur."""
    found: dict[str, Suggestion] = {}
    for index, paragraph in enumerate(paragraphs):
        for name, offset in _names(matcher, paragraph.text):
            key = fold(name)
            if _is_known(key, known):
                continue
            previous = found.get(key)
            if previous is None:
                found[key] = Suggestion(name, guess_kind(name), paragraph.line, 1, Position(index, offset))
            else:
                found[key] = replace(previous, count=previous.count + 1)
    return list(found.values())


def guess_kind(name: str) -> ActorKind:
    """'organization' for names with words like Union, Court, Ministry, or acronyms; else 'person'."""
    parts = re.findall(r"[^\W_]+", name)
    if any(p.casefold() in ORGANIZATION_WORDS for p in parts):
        return "organization"
    if len(parts) == 1 and _is_acronym(parts[0]):
        return "organization"
    return "person"


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _is_known(key: str, known: frozenset[str]) -> bool:
    variants = {key, key.removesuffix("s"), key.removesuffix("es")}
    return any(v in known for v in variants)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    possessive: bool


def _names(matcher: MentionMatcher, text: str) -> Iterable[tuple[str, int]]:
    """Candidate names of one paragraph and their offsets."""
    covered = [(m.start, m.end) for m in matcher.find(text)]
    tokens = [_token(m) for m in _TOKEN.finditer(text)]
    starts = [t.start for t in tokens]
    sentence_starts: set[int] = set()
    for start, _ in sentence_spans(text):
        at = bisect.bisect_left(starts, start)
        if at < len(tokens):
            sentence_starts.add(tokens[at].start)
    for run in _runs(text, tokens, covered):
        found = _name(text, run, at_sentence_start=run[0].start in sentence_starts)
        if found is not None:
            yield found


def _token(match: re.Match[str]) -> _Token:
    word = match.group().rstrip("-")
    stem = _POSSESSIVE.sub("", word) if len(word) > 2 else word
    return _Token(match.start(), match.start() + len(stem), stem, possessive=stem != word)


def _runs(text: str, tokens: Sequence[_Token], covered: Sequence[tuple[int, int]]) -> list[list[_Token]]:
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    pending: list[_Token] = []

    def close() -> None:
        nonlocal current, pending
        if current:
            runs.append(current)
        current, pending = [], []

    for token in tokens:
        joined = bool(current) and text[(pending or current)[-1].end:token.start].isspace()
        if not joined or (pending or current)[-1].possessive:
            close()
        if any(start < token.end and token.start < end for start, end in covered):
            close()
        elif token.text[0].isupper() and token.text.casefold() not in CALENDAR:
            current += [*pending, token]
            pending = []
        elif current and token.text in CONNECTORS:
            pending.append(token)
        else:
            close()
    close()
    return runs


def _name(text: str, run: Sequence[_Token], *, at_sentence_start: bool) -> tuple[str, int] | None:
    tokens = list(run)
    if at_sentence_start:
        if len(tokens) == 1 and not _is_acronym(tokens[0].text):
            return None
        if tokens[0].text.casefold() in SENTENCE_OPENERS:
            tokens = tokens[1:]
    tokens = _without_title(tokens)
    while tokens and tokens[0].text in CONNECTORS:
        tokens = tokens[1:]
    words = [t.text.casefold() for t in tokens]
    if not words or all(w in NOT_NAMES | TITLES | TITLE_MODIFIERS | ORGANIZATION_WORDS for w in words):
        return None
    if len(tokens) == 1 and len(tokens[0].text) < 2:
        return None
    return text[tokens[0].start:tokens[-1].end], tokens[0].start


def _without_title(tokens: list[_Token]) -> list[_Token]:
    """Drop a leading title ('French President ...') unless an organisation word follows it."""
    words = [t.text.casefold() for t in tokens]
    for index in range(len(words) - 2, -1, -1):
        if words[index] in TITLES and not any(w in ORGANIZATION_WORDS for w in words[index + 1:]):
            return tokens[index + 1:]
    return tokens
