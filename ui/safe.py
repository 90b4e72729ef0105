"""Data is text: helpers that keep names, comments and file names from being read as Markdown or HTML.

Streamlit parses Markdown in titles, headers, captions, ``st.markdown``,
alerts, metric labels and values, tooltips and widget labels; an institution
called ``![x](http://…)`` would load an external image there. Anything that
comes from data (institution and service names, comments, file names, user
names, messages that quote a cell) goes through :func:`md` before it is placed
in such text, or is shown with ``st.text``/a dataframe cell, which never
interpret it. Chart tooltips are escaped by Vega's tooltip handler.
"""

from __future__ import annotations

import re

# ASCII punctuation CommonMark lets a backslash escape, with ':' (Streamlit's :color[…] and :material/…:
# directives) and '$' (LaTeX): escaped, each shows as itself.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&\"'=^:@])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# GitHub-flavoured Markdown turns bare addresses into links (http://…, www.…, name@host) after escapes and
# character references are decoded, so neither stops it: an invisible word joiner (U+2060) before every ':',
# after every '@' and inside 'www.' breaks the address patterns and leaves the text as it reads.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(\\:)|(\\@)|(?i:(www)(\\\.))")


def clean(value: object) -> str:
    """The value as a single line of text without control or invisible bidi characters."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value))
    return re.sub(r"[\r\n\t]+", " ", text).strip()


def md(value: object) -> str:
    """``value`` escaped so that Streamlit's Markdown shows it literally (no links, images, HTML or directives)."""
    text = _SPECIAL.sub(r"\\\1", clean(value))
    return _AUTOLINK.sub(_break, text)


def _break(m: re.Match) -> str:
    if m.group(1):
        return _JOINER + m.group(1)
    if m.group(2):
        return m.group(2) + _JOINER
    return m.group(3) + _JOINER + m.group(4)
