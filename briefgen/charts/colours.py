"""Colours and line styles of relation statuses, derived from their place in the vocabulary.

A site's vocabulary runs from warmest to coldest and may have any length, so
no colour is tied to a word: a word's position becomes a point on one ramp
(green, grey, orange, red, dark red), interpolated in OKLab so that steps look
even. The default six-word vocabulary lands on or near the theme's own status
colours. Lines on the map also differ by width and dashing, so colour is never
the only cue: warm is solid, cold is dashed, and both grow thicker towards the
ends of the vocabulary.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

_RAMP: tuple[tuple[float, str], ...] = (
    (0.0, "#1a7f37"),
    (0.2, "#4c9a2a"),
    (0.5, "#6e7781"),
    (0.6, "#b35900"),
    (0.8, "#c0392b"),
    (1.0, "#7d1d1d"),
)

_DOTTED = "0 4.5"

Lab = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class StatusStyle:
    """How one status word is drawn; `warmth` is 0 for the warmest word, 1 for the coldest."""

    word: str
    index: int
    warmth: float
    colour: str
    stroke_width: float
    dash: str | None
    opacity: str | None = None

    @property
    def css_class(self) -> str:
        return f"status-{self.word}"

    @property
    def text(self) -> str:
        """The status as a reader sees it in tooltips and the legend."""
        return UNSTATED_TEXT if self.index < 0 else self.word

    @property
    def linecap(self) -> str:
        return "round" if self.dash == _DOTTED else "butt"


def warmth(index: int, count: int) -> float:
    """Where the `index`th of `count` words sits on the ramp; a single word is in the middle."""
    return 0.5 if count == 1 else index / (count - 1)


def ramp_colour(position: float) -> str:
    """The ramp's colour at `position` (0 warmest .. 1 coldest) as '#rrggbb'."""
    position = min(1.0, max(0.0, position))
    for (start, low), (end, high) in pairwise(_RAMP):
        if position <= end:
            share = (position - start) / (end - start)
            return _hex(_mix(_oklab(low), _oklab(high), share))
    return _RAMP[-1][1]


def status_styles(vocabulary: Sequence[str]) -> tuple[StatusStyle, ...]:
    """The style of every word of `vocabulary`, in its order (warmest first)."""
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError(f"the relation vocabulary lists a word twice: {list(vocabulary)}")
    count = len(vocabulary)
    styles = []
    for index, word in enumerate(vocabulary):
        position = warmth(index, count)
        strength = abs(position - 0.5) * 2
        width = round(1.25 + 2.5 * strength, 1)
        dash: str | None = None
        if position > 0.5:
            dash = f"{round(width * 2 + 2, 1):g} {round(width + 2, 1):g}"
        elif position == 0.5:
            width, dash = 2.5, _DOTTED
        styles.append(StatusStyle(word, index, position, ramp_colour(position), width, dash))
    return tuple(styles)


UNSTATED = StatusStyle("none", -1, 0.5, "#8c959f", 1.0, "2 3", opacity="0.5")
UNSTATED_TEXT = "covered, no status stated"


def pair_style(styles: dict[str, StatusStyle], status: str) -> StatusStyle:
    """The style of a pair's current status; an empty status means briefings cover the
    pair without stating a status, drawn in faint grey as `status-none`."""
    return style_of(styles, status) if status else UNSTATED


def drawn_styles(styles: dict[str, StatusStyle], used: Iterable[StatusStyle]) -> list[StatusStyle]:
    """The vocabulary's styles, warmest first, after the unstated style if any pair has it."""
    return [UNSTATED, *styles.values()] if UNSTATED in set(used) else list(styles.values())


def status_tally(shown: Sequence[StatusStyle], used: Iterable[StatusStyle]) -> str:
    """'strained 2, hostile 1': how many pairs have each status, for a chart's description."""
    counts = Counter(used)
    return ", ".join(f"{style.text} {counts[style]}" for style in shown if counts[style])


def status_palette(vocabulary: Sequence[str]) -> dict[str, str]:
    """Word -> '#rrggbb', warmest first: for CSS or HTML that wants the charts' colours."""
    return {style.word: style.colour for style in status_styles(vocabulary)}


def style_lookup(vocabulary: Sequence[str]) -> dict[str, StatusStyle]:
    """Word -> style, in the vocabulary's order."""
    return {style.word: style for style in status_styles(vocabulary)}


def style_of(styles: dict[str, StatusStyle], status: str) -> StatusStyle:
    """The style of `status`; a status outside the vocabulary is the caller's mistake."""
    try:
        return styles[status]
    except KeyError:
        raise ValueError(
            f"relation status {status!r} is not in the vocabulary {list(styles)}") from None


def _mix(low: Lab, high: Lab, share: float) -> Lab:
    return (low[0] + (high[0] - low[0]) * share,
            low[1] + (high[1] - low[1]) * share,
            low[2] + (high[2] - low[2]) * share)


def _oklab(colour: str) -> Lab:
    red, green, blue = (_linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    long = math.cbrt(0.4122214708 * red + 0.5363325363 * green + 0.0514459929 * blue)
    medium = math.cbrt(0.2119034982 * red + 0.6806995451 * green + 0.1073969566 * blue)
    short = math.cbrt(0.0883024619 * red + 0.2817188376 * green + 0.6299787005 * blue)
    return (
        0.2104542553 * long + 0.7936177850 * medium - 0.0040720468 * short,
        1.9779984951 * long - 2.4285922050 * medium + 0.4505937099 * short,
        0.0259040371 * long + 0.7827717662 * medium - 0.8086757660 * short,
    )


def _hex(lab: Lab) -> str:
    lightness, a, b = lab
    long = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    medium = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    short = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    channels = (
        4.0767416621 * long - 3.3077115913 * medium + 0.2309699292 * short,
        -1.2684380046 * long + 2.6097574011 * medium - 0.3413193965 * short,
        -0.0041960863 * long - 0.7034186147 * medium + 1.7076147010 * short,
    )
    return "#" + "".join(f"{round(_gamma(c) * 255):02x}" for c in channels)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055
