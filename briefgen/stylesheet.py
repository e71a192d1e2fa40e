"""The stylesheet generated for a site: its relation statuses in readable colours.

The colours are the charts' warm-to-cold ramp over the site's own vocabulary,
darkened (light scheme) or lightened (dark scheme) just enough for text to
reach the WCAG AA contrast of 4.5:1 against the theme's background.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.charts import status_palette

LIGHT_BACKGROUND = "#fdfcf9"
DARK_BACKGROUND = "#16181b"
MIN_CONTRAST = 4.5

RGB = tuple[float, float, float]


def _rgb(colour: str) -> RGB:
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _luminance(rgb: RGB) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    a, b = sorted((_luminance(_rgb(first)), _luminance(_rgb(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(colour: str, background: str) -> str:
    """`colour` mixed towards black or white, in small steps, until it reads on `background`."""
    target = (0.0, 0.0, 0.0) if _luminance(_rgb(background)) > 0.5 else (1.0, 1.0, 1.0)
    base = _rgb(colour)
    for step in range(21):
        share = step / 20
        mixed = _hex(tuple(c + (t - c) * share for c, t in zip(base, target, strict=True)))  # type: ignore[arg-type]
        if contrast(mixed, background) >= MIN_CONTRAST:
            return mixed
    return _hex(target)


def status_stylesheet(vocabulary: Sequence[str]) -> str:
    palette = status_palette(vocabulary)
    light = [f".status-{word} {{ color: {readable(c, LIGHT_BACKGROUND)}; }}" for word, c in palette.items()]
    dark = [f"  .status-{word} {{ color: {readable(c, DARK_BACKGROUND)}; }}" for word, c in palette.items()]
    return ("/* generated from relation_vocabulary in site.yaml */\n" + "\n".join(light)
            + "\n@media (prefers-color-scheme: dark) {\n" + "\n".join(dark) + "\n}\n")
