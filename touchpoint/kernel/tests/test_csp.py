"""Every page carries a Content-Security-Policy without 'unsafe-inline', and no template
could need one: scripts and styles come from static files only (emails excepted: mail
clients need inline styles and run no scripts)."""

from __future__ import annotations

import re
from pathlib import Path

import touchpoint

TEMPLATES = [
    path
    for path in Path(touchpoint.__file__).parent.glob("*/templates/**/*.html")
    if "/emails/" not in str(path)
]
INLINE = {
    "a style attribute": re.compile(r"<[a-zA-Z][^<>]*\sstyle="),
    "a <style> element": re.compile(r"<style[\s>]"),
    "an inline <script>": re.compile(
        r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>"
    ),
    "an event handler attribute": re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+=\""),
}


def test_it_sends_a_policy_without_unsafe_inline(personas):
    response = personas.client(personas.bob).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_needs_inline_script_or_style():
    assert TEMPLATES
    found = [
        f"{path.relative_to(Path(touchpoint.__file__).parent)}: {what}"
        for path in TEMPLATES
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "Move these into static files:\n" + "\n".join(found)


def test_the_brand_colours_come_from_a_style_sheet_of_our_own(personas, client):
    from touchpoint.kernel.models import PortalSettings

    portal = PortalSettings.load()
    portal.primary_colour = "#14532D"
    portal.save()
    sheet = client.get(portal.theme_url)
    assert sheet["Content-Type"].startswith("text/css")
    assert "--brand:#14532D;--brand-text:#ffffff" in sheet.content.decode()
    assert portal.theme_url in personas.client(personas.bob).get("/").content.decode()
