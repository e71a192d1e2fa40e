"""Compactly pickled dataclasses come back equal, as the same class, through the cache's
own allow-listed unpickler."""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass, field

import pytest

from briefgen.cache import _AllowListUnpickler
from briefgen.diagnostics import error
from briefgen.entities import EntityRef
from briefgen.frontmatter import Located
from briefgen.markdown.mentions import Mention
from briefgen.markdown.render import RenderedBody
from briefgen.packed import PackedHtml
from briefgen.pickling import compact_pickle


@compact_pickle
@dataclass(frozen=True, slots=True)
class _One:
    value: str


def _round_trip(value: object) -> object:
    return _AllowListUnpickler(io.BytesIO(pickle.dumps(value, protocol=5))).load()


@pytest.mark.parametrize("value", [
    Located("Armenia", 3, 12),
    error("content/briefings/a.md", 4, 1, "title is missing", hint="add 'title: ...'"),
    RenderedBody(PackedHtml.pack("<p>x</p>"), "x", (Mention(EntityRef("actor", "a"), 1, "A", True),)),
])
def test_round_trip_is_equal_and_of_the_same_class(value: object) -> None:
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


def test_a_single_field_class_round_trips() -> None:
    assert pickle.loads(pickle.dumps(_One("x"))) == _One("x")


def test_a_field_outside_init_is_refused() -> None:
    with pytest.raises(TypeError, match="__init__"):
        @compact_pickle
        @dataclass
        class _Hidden:
            shown: int
            hidden: int = field(init=False, default=0)
