"""What a large entity registry costs a briefing's render.

    python -m bench.mentions [--entities 5000] [--aliases 20000] [--repeat 200]

Renders the same ~700-word briefing with no registry, with a registry of ten
entities, and with a registry of N entities and M aliases (fictional names,
a few of which occur in the text), and prints the time per render of each.
The matcher is one Aho-Corasick automaton, so its cost follows the text and
the number of hits, not the size of the registry.
"""

from __future__ import annotations

import argparse
import random
import time

from briefgen.entities import EntityRef, SurfaceForm
from briefgen.markdown import make_markdown, render_body
from briefgen.markdown.mentions import MentionContext
from briefgen.mentions import MentionMatcher

SYLLABLES = ["ka", "ro", "mi", "tan", "vel", "shi", "dor", "al", "nu", "pe", "zar", "qu", "len", "bo"]
FILLER_TEXT = ("the talks on border security and trade resumed after a pause while officials said "
               "that progress would depend on the next round of meetings in the capital")
FILLER = FILLER_TEXT.split(" ")


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()


def registry(entities: int, aliases: int, rng: random.Random) -> list[SurfaceForm]:
    forms = []
    for n in range(entities):
        forms.append(SurfaceForm(f"{name(rng)} {name(rng)}", EntityRef("actor", f"a{n}")))
    for n in range(aliases):
        forms.append(SurfaceForm(f"{name(rng)} {name(rng)}{n}", EntityRef("actor", f"a{n % entities}")))
    return forms


def briefing(forms: list[SurfaceForm], rng: random.Random) -> str:
    names = [f.text for f in forms[:10]] or ["Nobody Here"]
    paragraphs = []
    for _ in range(7):
        words = [rng.choice(FILLER) for _ in range(95)]
        for _ in range(3):
            words.insert(rng.randrange(len(words)), rng.choice(names))
        sentence = " ".join(words)
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    return "## Background\n\n" + "\n\n".join(paragraphs) + "\n"


def time_render(text: str, forms: list[SurfaceForm], repeat: int) -> tuple[float, int]:
    md = make_markdown()
    matcher = MentionMatcher(forms)
    found = 0
    started = time.perf_counter()
    for _ in range(repeat):
        context = MentionContext(matcher, "first", lambda e: f"/actors/{e.id}/")
        render_body(md, text, context)
        found = len(context.found)
    return (time.perf_counter() - started) / repeat * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--aliases", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    large = registry(args.entities, args.aliases, rng)
    text = briefing(large, rng)
    print(f"briefing: {len(text.split())} words")
    print(f"{'registry':>32} {'ms/render':>10} {'mentions':>9} {'vs none':>8} {'vs 10':>6}")
    timings: list[float] = []
    for label, forms in (("none", []), ("10 entities", large[:10]),
                         (f"{args.entities} entities + {args.aliases} aliases", large)):
        ms, found = time_render(text, forms, args.repeat)
        timings.append(ms)
        versus_ten = f"x{ms / timings[1]:.2f}" if len(timings) > 1 else ""
        print(f"{label:>32} {ms:10.3f} {found:9d} {'x' + format(ms / timings[0], '.2f'):>8} {versus_ten:>6}")


if __name__ == "__main__":
    main()
