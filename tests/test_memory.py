"""What a build keeps from reading to writing (issue 15: peak memory within 2× plain Pelican's).

Each explainer's view is kept stored (pickled and compressed) and unpacked a few at a time;
the plugin's site pages are written as their templates render them. Neither may change a
byte of what the site shows.
"""

from __future__ import annotations

import pickle

from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican.plugins import signals
from pelican.writers import Writer

from explainers.plugin.writer import STREAM_PIECES, CachingWriter
from explainers.read import ExplainerBuilder
from explainers.render.view import ExplainerView, OpenViews, StoredView
from explainers.settings import from_pelican
from sitebuild import EXPLAINER


def read_view(text: str = EXPLAINER) -> ExplainerView:
    result = ExplainerBuilder(from_pelican({}), {}).read("content/test.md", text.encode())
    assert isinstance(result.view, ExplainerView), result.problems
    return result.view


def test_a_stored_view_shows_what_its_view_shows():
    view = read_view()
    view.cache_key = "key-1"
    stored = StoredView.of(view)
    # At hand, without unpacking: what the lists read for every explainer.
    assert (stored.title, stored.summary, stored.claim_count, stored.note_count) == (
        "A test explainer",
        Markup("What the test is about."),
        len(view.claims),
        len(view.notes),
    )
    # The rest unpacked, the same.
    assert stored.model == view.model
    assert [(c.id, c.text, c.status.key, c.claim.by) for c in stored.claims] == [
        (c.id, c.text, c.status.key, c.claim.by) for c in view.claims
    ]
    assert [(n.key, n.number, n.source) for n in stored.notes] == [
        (n.key, n.number, n.source) for n in view.notes
    ]
    assert stored.covers_to == view.covers_to
    assert stored.open().cache_key == "key-1"
    assert not hasattr(stored, "missing_attribute")


def test_a_stored_view_is_stored_as_it_was_with_the_key_the_run_gives_it():
    stored = StoredView.of(read_view())
    stored.cache_key = "set-by-the-run"  # `run.Run.read`, after the cache stored it
    stored.views = OpenViews()
    again = pickle.loads(pickle.dumps(stored))
    assert again.data == stored.data
    assert (again.cache_key, again.title, again.claim_count, again.views) == (
        "set-by-the-run",
        stored.title,
        stored.claim_count,
        None,  # the run's open views are not the outcome's
    )
    assert again.open().cache_key == "set-by-the-run"


def test_a_run_holds_only_its_last_few_views_unpacked():
    views = OpenViews(size=2)
    first, second, third = (StoredView.of(read_view()) for _ in range(3))
    for stored in (first, second, third):
        stored.views = views
    unpacked = first.open()
    assert first.open() is unpacked  # opened again while it is among the last two: the same
    second.open()
    third.open()
    assert list(views.views) == [second, third]
    assert first.open() is not unpacked  # dropped, unpacked again
    assert list(views.views) == [third, first]


TEMPLATE = """<p>{{ SITEURL }} {{ output_file }}</p>
<ol>{% for item in items %}<li>{{ item }} ’</li>{% endfor %}</ol>"""


def test_a_streamed_page_is_the_page_pelican_writes(tmp_path):
    """Enough pieces for several writes, a relative SITEURL, text to escape and to encode."""
    env = Environment(loader=DictLoader({"list.html": TEMPLATE}), autoescape=True)
    items = [f"<item {number}> & more" for number in range(STREAM_PIECES)]
    settings = {"RELATIVE_URLS": True, "SITEURL": "https://example.org"}
    written: list[str] = []

    def record(path, context):
        written.append(path)

    signals.content_written.connect(record)
    try:
        Writer(str(tmp_path / "pelican"), settings=settings).write_file(
            "claims/all.html", env.get_template("list.html"), dict(settings), relative_urls=True, items=items
        )
        CachingWriter(str(tmp_path / "streamed"), settings=None).write_streamed(
            "claims/all.html", env.get_template("list.html"), dict(settings), relative_urls=True, items=items
        )
    finally:
        signals.content_written.disconnect(record)
    expected = (tmp_path / "pelican" / "claims" / "all.html").read_bytes()
    assert expected.startswith("<p>.. claims/all.html</p>\n<ol><li>&lt;item 0&gt; &amp; more ’</li>".encode())
    assert (tmp_path / "streamed" / "claims" / "all.html").read_bytes() == expected
    assert written == [
        str(tmp_path / "pelican" / "claims" / "all.html"),
        str(tmp_path / "streamed" / "claims" / "all.html"),
    ]
