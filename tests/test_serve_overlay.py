"""The error banner and the serve-time injection into pages."""

from __future__ import annotations

from briefgen.diagnostics import Report, error, suggestion, warning
from briefgen.errors import BuildError, ContentError
from briefgen.serve.overlay import MAX_SHOWN, BuildFailure, banner_html, inject


def content_error() -> ContentError:
    return ContentError(Report.of([
        error("content/briefings/<b>.md", 11, 5, "unknown actor 'Vladimir <Puttin>'",
              hint="did you mean 'Vladimir Putin'? & more"),
        warning("content/actors/x.md", 3, 0, "odd & ends"),
        suggestion("content/briefings/a.md", 4, 1, "mentions Putin but does not declare him"),
    ]))


def test_the_banner_shows_every_diagnostic_with_its_place_message_and_hint_escaped() -> None:
    banner = banner_html(BuildFailure.from_exception(content_error()))
    assert "<code class=\"where\">content/briefings/&lt;b&gt;.md:11:5</code>: error: " \
           "unknown actor &#x27;Vladimir &lt;Puttin&gt;&#x27;" in banner
    assert "hint: did you mean &#x27;Vladimir Putin&#x27;? &amp; more" in banner
    assert "content/actors/x.md:3</code>: warning: odd &amp; ends" in banner
    assert "<Puttin>" not in banner and "<b>" not in banner
    assert "does not declare" not in banner  # suggestions never fail a build
    assert "1 error, 1 warning" in banner


def test_a_build_error_and_a_crash_are_shown_too() -> None:
    failure = BuildFailure.from_exception(BuildError("could not write build/<x>"))
    assert failure.summary == "could not write build/<x>"
    assert "could not write build/&lt;x&gt;" in banner_html(failure)
    try:
        raise KeyError("<boom>")
    except KeyError as exc:
        crash = BuildFailure.from_exception(exc)
    assert crash.summary.startswith("internal error KeyError")
    banner = banner_html(crash)
    assert "Traceback" in banner and "&lt;boom&gt;" in banner and "<boom>" not in banner


def test_a_long_report_is_cut_and_counted() -> None:
    report = Report.of([error(f"content/briefings/b{i:04}.md", 1, 1, "bad") for i in range(MAX_SHOWN + 7)])
    banner = banner_html(BuildFailure.from_exception(ContentError(report)))
    assert banner.count("<li>") == MAX_SHOWN + 1
    assert "and 7 more" in banner


def test_terminal_text_lists_the_diagnostics() -> None:
    text = BuildFailure.from_exception(content_error()).text()
    assert "content/briefings/<b>.md:11:5: error: unknown actor 'Vladimir <Puttin>'" in text


def test_inject_puts_the_script_in_the_head_and_the_banner_first_in_the_body() -> None:
    page = b'<html><HEAD><title>t</title></HEAD>\n<Body class="a">\n<h1>x</h1></body></html>'
    out = inject(page, head=b"<script src=/s.js></script>", body=b"<aside>E</aside>")
    assert out == (b'<html><HEAD><title>t</title><script src=/s.js></script></HEAD>\n'
                   b'<Body class="a"><aside>E</aside>\n<h1>x</h1></body></html>')


def test_inject_into_a_fragment_puts_both_first() -> None:
    assert inject(b"<p>hi</p>", head=b"<s>", body=b"<b>") == b"<s><b><p>hi</p>"
    assert inject(b"<p>hi</p>", head=b"<s>") == b"<s><p>hi</p>"


def test_inject_only_touches_the_first_head_and_body() -> None:
    page = b"<head></head><body><pre>&lt;/head&gt; </head> <body></pre></body>"
    out = inject(page, head=b"H", body=b"B")
    assert out == b"<head>H</head><body>B<pre>&lt;/head&gt; </head> <body></pre></body>"
