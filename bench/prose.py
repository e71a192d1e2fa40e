"""Briefing prose: news-like sentences that name actors and countries, laid out as Markdown.

Filler sentences are put together from parts, so a large corpus does not
repeat itself much. Sentences that mention an entity use its full name the
first time and a shorter alias (surname, title, acronym, demonym, capital)
later, the way news copy does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bench.world import Actor, Country

OPENERS = ("", "", "", "Meanwhile, ", "At the same time, ", "In private, ", "Earlier this week, ",
           "By most accounts, ", "According to people familiar with the matter, ", "For now, ",
           "Behind closed doors, ", "On paper, ", "In practice, ", "Since the spring, ")
SUBJECTS = ("officials", "diplomats", "analysts", "negotiators", "senior aides", "regional observers",
            "business groups", "opposition lawmakers", "military planners", "trade envoys",
            "local administrators", "independent monitors", "union leaders", "western investors",
            "border guards", "central bankers", "humanitarian agencies", "election observers")
PREDICATES = (
    "expect the negotiations to drag on", "describe the latest round as inconclusive",
    "warn that the timetable is slipping", "say the draft text has barely changed",
    "see little appetite for a compromise", "point to a sharp rise in transit costs",
    "doubt that the ceasefire line will hold", "argue that the deal favours the larger partner",
    "report growing frustration over delays", "note that the budget gap keeps widening",
    "question whether the promised funds will arrive", "say the working groups met twice",
    "expect a decision before the next summit", "fear the dispute could spread",
    "call the proposal a useful first step", "were surprised by the tone of the exchange",
    "have stopped publishing the monthly figures", "say the monitoring mission is understaffed",
    "stress that no final agreement has been reached", "link the shortfall to the harsh winter",
)
TAILS = (
    "", "", "", " despite repeated assurances from both capitals",
    " after weeks of quiet talks", " as the deadline approaches", " while prices continue to climb",
    " even as public pressure builds", " because the legal basis remains unclear",
    " without a clear mandate from parliament", " while the harvest season is under way",
    " as winter fuel stocks run low", " unless the financing is agreed soon",
    " with the next round of talks still unscheduled", " following a string of minor incidents",
)
TONES = ("constructive", "tense", "cautious", "frank", "productive", "difficult", "cordial", "strained")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AIMS = ("a joint monitoring mechanism", "an early review of the agreement", "a new round of talks",
        "a phased reduction of tariffs", "independent inspections", "a temporary moratorium",
        "the release of detained crews", "a common negotiating position", "an emergency credit line")
RISKS = ("unilateral steps", "a return to open confrontation", "further escalation",
         "outside interference", "a collapse of the talks", "premature announcements")
HEADINGS = ("Background", "What comes next", "Reactions", "The wider picture", "Key figures",
            "Analysis", "Outlook")
LIST_INTROS = ("Points raised during the talks:", "The draft reportedly covers:",
               "Issues still open include:", "Officials listed these priorities:")

ACTOR_SENTENCES = (
    "{e} told reporters that the talks on {topic} had been {tone} and that further meetings were planned.",
    "In a statement on {weekday}, {e} said {topic} would remain a priority for the coming months.",
    "{e} declined to comment on reports about {topic}, but aides described the mood as {tone}.",
    "Speaking after the meeting, {e} called for {aim} and warned against {risk}.",
    "{e}'s office later confirmed that a working group on {topic} would meet again within weeks.",
    "Critics accused {e} of moving too slowly on {topic}, a charge the office rejected.",
    "A spokesperson for {e} said the proposal on {topic} was still being studied.",
    "{e} is expected to raise {topic} again at the next round of consultations.",
)
PLACE_SENTENCES = (
    "Officials in {e} said the talks on {topic} had been {tone} but far from conclusive.",
    "The mood in {e} was {tone} as negotiators returned to the question of {topic}.",
    "Demonstrators gathered in {e} on {weekday} to protest against plans for {topic}.",
    "Talks in {e} on {topic} ended without a joint statement.",
    "Newspapers in {e} described the outcome on {topic} as {tone}.",
)
DEMONYM_SENTENCES = (
    "{e} officials described the talks on {topic} as {tone}.",
    "The {e} delegation pressed for {aim} before any agreement on {topic}.",
    "{e} lawmakers are divided over {topic}, with several calling for {aim}.",
    "A {e} negotiator warned against {risk} in the dispute over {topic}.",
)
LINK_SENTENCES = (
    "The full text was published [on the ministry's website]({url}).",
    "A summary of the meeting is [available from the press office]({url}).",
    "Earlier coverage is collected [in this overview]({url}).",
)
ESTIMATED_MENTION_WORDS = 17


def vocabulary() -> list[str]:
    """Every word the filler prose can produce; no entity name may be one of them."""
    texts = [*OPENERS, *SUBJECTS, *PREDICATES, *TAILS, *TONES, *WEEKDAYS, *AIMS, *RISKS,
             *HEADINGS, *LIST_INTROS, *ACTOR_SENTENCES, *PLACE_SENTENCES, *DEMONYM_SENTENCES,
             *LINK_SENTENCES]
    return sorted({w for text in texts for w in re.findall(r"[A-Za-z]+", text)})


@dataclass(frozen=True)
class Mentioned:
    """An entity the prose names, and how many sentences name it."""

    entity: Actor | Country
    times: int


class ProseWriter:
    """Writes bodies for one corpus; remembers which forms it has used within a body only."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def body(self, mentioned: Sequence[Mentioned], topics: Sequence[str], link: str) -> str:
        rng = self.rng
        target = rng.randint(530, 760)
        tokens: list[Actor | Country | None] = []
        for item in mentioned:
            tokens += [item.entity] * item.times
        lead, rest = tokens[:1], tokens[1:]
        words = ESTIMATED_MENTION_WORDS * len(tokens)
        sentences: list[str] = []
        while words < target:
            sentence, count = self._filler()
            sentences.append(sentence)
            words += count
        sentences.insert(rng.randrange(1, len(sentences) + 1),
                         rng.choice(LINK_SENTENCES).format(url=link))
        slots: list[Actor | Country | str | None] = [*sentences]
        for token in rest:
            slots.insert(rng.randrange(1, len(slots) + 1), token)
        slots[:0] = lead
        seen: set[str] = set()
        text = [s if isinstance(s, str) else self._mention(s, seen, topics) for s in slots if s is not None]
        return self._layout(text, topics)

    def _filler(self) -> tuple[str, int]:
        rng = self.rng
        opener, subject, predicate, tail = (rng.choice(OPENERS), rng.choice(SUBJECTS),
                                            rng.choice(PREDICATES), rng.choice(TAILS))
        if rng.random() < 0.08:
            predicate = f"*{predicate}*"
        elif rng.random() < 0.03:
            predicate = f"**{predicate}**"
        start = opener + subject
        sentence = start[0].upper() + start[1:] + " " + predicate + tail + "."
        return sentence, sentence.count(" ") + 1

    def _mention(self, entity: Actor | Country, seen: set[str], topics: Sequence[str]) -> str:
        rng = self.rng
        first = entity.id not in seen
        seen.add(entity.id)
        slots = {"topic": rng.choice(topics), "tone": rng.choice(TONES), "weekday": rng.choice(WEEKDAYS),
                 "aim": rng.choice(AIMS), "risk": rng.choice(RISKS)}
        if isinstance(entity, Actor):
            if first:
                form = entity.name if rng.random() < 0.8 else entity.aliases[-1]
            else:
                form = rng.choice((entity.short, entity.short, entity.aliases[1], entity.name))
            return _capitalise(rng.choice(ACTOR_SENTENCES).format(e=form, **slots))
        if not first and rng.random() < 0.4:
            return _capitalise(rng.choice(DEMONYM_SENTENCES).format(e=entity.demonym, **slots))
        place = entity.name if first or rng.random() < 0.6 else entity.capital
        return _capitalise(rng.choice(PLACE_SENTENCES).format(e=place, **slots))

    def _layout(self, sentences: list[str], topics: Sequence[str]) -> str:
        """Sentences into 4-7 paragraphs, now and then a heading or a list between them."""
        rng = self.rng
        count = min(rng.randint(4, 7), len(sentences))
        cuts = sorted(rng.sample(range(1, len(sentences)), count - 1))
        bounds = [0, *cuts, len(sentences)]
        blocks: list[str] = []
        heading_at = rng.randrange(1, count) if count > 1 and rng.random() < 0.35 else -1
        list_at = rng.randrange(1, count) if count > 1 and rng.random() < 0.2 else -1
        for index in range(count):
            if index == heading_at:
                blocks.append("## " + rng.choice(HEADINGS))
            if index == list_at:
                items = rng.sample(AIMS, rng.randint(3, 4))
                blocks.append(rng.choice(LIST_INTROS) + "\n\n" + "\n".join(f"- {item}" for item in items))
            blocks.append(" ".join(sentences[bounds[index]:bounds[index + 1]]))
        return "\n\n".join(blocks) + "\n"


def _capitalise(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]
