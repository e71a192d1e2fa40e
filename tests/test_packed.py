"""Packed text: smaller than the text, gives it back exactly, and renders as markup."""

from __future__ import annotations

import pickle

import jinja2
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen.cache import data_digest
from briefgen.packed import PackedHtml, PackedText


@given(st.text())
def test_packing_gives_the_text_back_exactly(text: str) -> None:
    assert str(PackedText.pack(text)) == text
    assert str(PackedHtml.pack(text)) == text


def test_equal_text_packs_to_equal_bytes_and_digests() -> None:
    a, b = PackedText.pack("Tbilisi " * 50), PackedText.pack("Tbilisi " * 50)
    assert a == b and a.data == b.data
    assert data_digest({"body": a}) == data_digest({"body": b})
    assert data_digest({"body": a}) != data_digest({"body": PackedText.pack("Yerevan " * 50)})


def test_long_prose_takes_a_fraction_of_its_size() -> None:
    prose = " ".join(f"Minister {n} met the envoy of country {n % 60} in the capital." for n in range(300))
    assert len(PackedText.pack(prose).data) < len(prose) / 3


def test_pickles_to_the_same_kind_and_text() -> None:
    packed = PackedHtml.pack("<p>ok</p>")
    back = pickle.loads(pickle.dumps(packed))
    assert type(back) is PackedHtml and back == packed


def test_html_prints_as_markup_under_autoescape_and_text_does_not() -> None:
    env = jinja2.Environment(autoescape=True)
    html = PackedHtml.pack("<p>Armenia &amp; Georgia</p>")
    assert env.from_string("{{ x }}").render(x=html) == "<p>Armenia &amp; Georgia</p>"
    assert env.from_string("{{ x | safe }}").render(x=html) == "<p>Armenia &amp; Georgia</p>"
    text = PackedText.pack("<b>")
    assert env.from_string("{{ x }}").render(x=text) == "&lt;b&gt;"


def test_packed_html_in_a_template_prints_as_markup_and_has_a_length() -> None:
    env = jinja2.Environment(autoescape=True)
    body = PackedHtml.pack("<p>Caf\u00e9 &amp; more</p>")
    template = env.from_string("{{ b }}|{{ b|length }}|{{ b|string|striptags|truncate(9, leeway=0) }}")
    shown = template.render(b=body)
    assert shown == template.render(b=Markup("<p>Caf\u00e9 &amp; more</p>"))  # as the HTML itself
    assert shown.startswith("<p>Caf\u00e9 &amp; more</p>|22|")
