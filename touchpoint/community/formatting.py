"""Forum text: a small markdown-like subset turned into safe HTML, and the @mentions in it.

Supported: paragraphs (blank line), line breaks, **bold**, *italic*, `code`, lists ("- " or
"1. " at the start of lines), quotes ("> "), links [text](https://…) and bare web addresses.
Everything the author typed is escaped first, so no HTML of theirs survives; the result is
then cleaned by nh3 (kernel.html.sanitise) as a second line of defence, which also drops any
address that is not http(s) or mailto.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from touchpoint.kernel.html import sanitise

MAX_LENGTH = 20_000

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
# Escaped text: quotes are &quot; and & is &amp;, so the address stops at whitespace or ).
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
_BARE_URL = re.compile(r"(?<![\"'=>\w/])(https?://[^\s<]+[^\s<.,;:!?)\]])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*&gt;\s?(.*)$")
# @ followed by an email address, not preceded by a word character (not part of an address).
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PLACEHOLDER = "\x00{}\x00"


def _inline(text: str) -> str:
    """Inline formatting on already-escaped text. Code spans are set aside first so nothing
    inside them is formatted."""
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return _PLACEHOLDER.format(len(codes) - 1)

    text = _CODE.sub(keep_code, text)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return _PLACEHOLDER.format(f"L{len(links) - 1}")

    text = _LINK.sub(keep_link, text)

    def keep_address(match: re.Match[str]) -> str:
        links.append(f'<a href="{match.group(1)}">{match.group(1)}</a>')
        return _PLACEHOLDER.format(f"L{len(links) - 1}")

    text = _BARE_URL.sub(keep_address, text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    text = MENTION.sub(r"<strong>@\1</strong>", text)
    for i, link in enumerate(links):
        text = text.replace(_PLACEHOLDER.format(f"L{i}"), link)
    for i, code in enumerate(codes):
        text = text.replace(_PLACEHOLDER.format(i), code)
    return text


def _block(lines: list[str]) -> str:
    if all(_BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_BULLET.match(x).group(1))}</li>" for x in lines)  # type: ignore[union-attr]
        return f"<ul>{items}</ul>"
    if all(_NUMBERED.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_NUMBERED.match(x).group(1))}</li>" for x in lines)  # type: ignore[union-attr]
        return f"<ol>{items}</ol>"
    if all(_QUOTE.match(line) for line in lines):
        inner = "<br>".join(_inline(_QUOTE.match(x).group(1)) for x in lines)  # type: ignore[union-attr]
        return f"<blockquote><p>{inner}</p></blockquote>"
    return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"


def render(text: str) -> str:
    """The author's text as safe HTML."""
    escaped = escape(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
    blocks: list[list[str]] = [[]]
    for line in escaped.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    html = "".join(_block(lines) for lines in blocks if lines)
    return sanitise(html)


def mentioned_emails(text: str) -> set[str]:
    """The addresses @mentioned in the text, lower-cased."""
    return {m.lower() for m in MENTION.findall(text)}


def plain(text: str) -> str:
    """The text without formatting marks, for search and notifications."""
    text = _LINK.sub(r"\1", text)
    return re.sub(r"[*`]", "", text).strip()
