"""The Markdown report as text: a partner's words read as they wrote them, markup inert."""

from __future__ import annotations

from surveys.report.markdown import m


def test_an_exclamation_mark_is_left_as_written() -> None:
    # The demo's Markdown read "Write it down\!" and "more gets done there than on the
    # agenda\!" wherever the file is shown as text.
    assert m("The role of each partner. Write it down!") == (
        "The role of each partner. Write it down!")


def test_markup_in_an_answer_stays_inert() -> None:
    assert m("![logo](http://x.example/a.png)") == r"!\[logo\](http://x.example/a.png)"
    assert m("**bold** <b>raw</b> &amp;") == r"\*\*bold\*\* &lt;b&gt;raw&lt;/b&gt; &amp;amp;"
