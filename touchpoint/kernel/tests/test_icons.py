"""Icons come from the vendored Lucide set (kernel/static/kernel/icons/, ISC licence) through
one template tag: inlined so they take the text colour, hidden from screen readers unless
they carry meaning of their own."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from touchpoint.kernel.templatetags.touchpoint import ICONS


def render(source: str, **context: object) -> str:
    return Template("{% load touchpoint %}" + source).render(Context(context))


def test_it_inlines_a_vendored_icon_hidden_from_screen_readers() -> None:
    html = render('{% icon "house" %}')
    assert html.startswith("<svg") and 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert 'class="icon icon-house"' in html and "<path" in html
    assert "@license" not in html  # the licence sits in LICENSE beside the files


def test_an_icon_that_means_something_is_named_for_screen_readers() -> None:
    html = render('{% icon "star" label="In your favourites" %}')
    assert 'role="img"' in html and 'aria-label="In your favourites"' in html
    assert "aria-hidden" not in html


def test_a_label_from_content_is_escaped() -> None:
    html = render('{% icon "star" label=title %}', title='"><script>')
    assert 'aria-label="&quot;&gt;&lt;script&gt;"' in html


def test_it_refuses_an_icon_that_is_not_vendored() -> None:
    with pytest.raises(ValueError, match="no icon"):
        render('{% icon "no-such-icon" %}')


def test_the_licence_travels_with_the_icons() -> None:
    assert (ICONS / "LICENSE").read_text().startswith("ISC License")
