"""Where each `[` closes (brackets.py): the same answers as Python-Markdown's link patterns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.inlinepatterns import LinkInlineProcessor

from explainers.document import brackets
from explainers.document.brackets import MAX_DESTINATION, BracketIndex, bound, install

PLAIN = LinkInlineProcessor(r"\[", None)


@pytest.mark.parametrize(
    ("text", "index", "closes_at"),
    [
        ("[a]", 1, 2),
        ("[a [b] c]", 1, 8),
        ("[a [b] c]", 4, 5),
        ("[a [b c]", 1, None),  # the outer [ never closes
        ("[a [b c]", 4, 7),
        ("x]y", 0, 1),  # a ] read from anywhere closes what is open there
        ("[[[[", 2, None),
        ("[a] [b", 5, None),
        ("", 0, None),
    ],
)
def test_where_a_bracket_closes(text, index, closes_at):
    assert BracketIndex().close(text, index) == closes_at


texts = st.text(st.sampled_from("[]ab \x02\x03()!"), max_size=40)


@settings(max_examples=500, deadline=None)
@given(texts, st.data())
def test_same_answers_as_python_markdown_for_every_bracket(text, data):
    brackets = BracketIndex()
    # Asked in any order, about any position, and about the text rebuilt around a link.
    starts = data.draw(st.lists(st.integers(0, len(text)), max_size=12))
    for start in starts:
        assert _get_text(brackets, text, start) == PLAIN.getText(text, start)
    cut = data.draw(st.integers(0, len(text)))
    rebuilt = text[:cut] + "\x02klzzwxh:0001\x03" + text[data.draw(st.integers(cut, len(text))) :]
    for start in range(len(rebuilt) + 1):
        assert _get_text(brackets, rebuilt, start) == PLAIN.getText(rebuilt, start)


def _get_text(brackets: BracketIndex, text: str, start: int):
    close = brackets.close(text, start)
    return (text[start:], len(text), False) if close is None else (text[start:close], close + 1, True)


markdown_texts = st.lists(
    st.sampled_from(
        ["[", "]", "(", ")", "!", "a", " ", "[a](b)", "![i](s)", "[r]", "[r][]", "\n", "`", "<b>", '"']
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(markdown_texts)
def test_links_render_as_python_markdown_renders_them(text):
    source = f"{text}\n\n[r]: https://r.example/\n"
    plain = Markdown(extensions=["extra"]).convert(source)
    md = Markdown(extensions=["extra"])
    install(md, BracketIndex())
    assert md.convert(source) == plain



def test_a_link_address_is_read_within_a_bounded_window():
    """`[a](` written many times made Python-Markdown read on to the end of the paragraph
    from each `(`: each reading now sees at most MAX_DESTINATION characters after it."""
    seen: list[int] = []

    def get_link(data: str, index: int):
        seen.append(len(data) - index)
        return "", None, index, False

    bounded = brackets._bounded(get_link)
    text = ("[a](" * 100 + ")") * 50  # a `)` within reach of every `(`, never balancing them
    for start in range(4, len(text), 4_000):
        bounded(text, start)
    assert seen
    assert max(seen) <= brackets.MAX_DESTINATION
    # Nothing could close it: not even read.
    assert bounded("[a](" * 5_000, 4) == ("", None, 4, False)
    assert len(seen) == len(range(4, len(text), 4_000))


def test_real_links_are_still_links_and_overlong_addresses_are_text():
    md = Markdown()
    bound(md)
    assert md.convert("[x](https://example.org/a)") == '<p><a href="https://example.org/a">x</a></p>'
    md.reset()
    long_address = "https://example.org/" + "a" * MAX_DESTINATION
    assert "<a " not in md.convert(f"[x]({long_address})")


@pytest.mark.parametrize("text", ['[r]("(', "[r]('(", '[a]("x', "[a](b"])
def test_an_unclosed_address_with_a_quote_reads_as_python_markdown_reads_it(text):
    # Found by the property above: with no `)` after it, `(` was taken for no link at all,
    # where Python-Markdown, having met a quote, makes an empty link of `[r]("(`.
    source = f"{text}\n\n[r]: https://r.example/\n"
    md = Markdown(extensions=["extra"])
    install(md, BracketIndex())
    assert md.convert(source) == Markdown(extensions=["extra"]).convert(source)
