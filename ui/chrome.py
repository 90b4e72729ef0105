"""Streamlit's own interface texts in the user's language: the one documented workaround.

Streamlit 1.67 draws some texts itself, in English, with no parameter to change
them: the file uploader's "Drag and drop files here", "Upload" and "20 MB per
file", a multiselect's "Select all", "Press Enter to apply" under a text input,
the date picker's month and day names, the table and chart toolbars' tooltips,
and the "Page not found" notice. (What Streamlit does expose, such as a
chooser's placeholder or the sidebar menu's "View more", is set where the
widget is drawn: :mod:`ui.choosers`, ``st.navigation(expanded=True)``.)

:func:`translate` places one small script on every page (``st.html`` with
``unsafe_allow_javascript``; the script is built here from the catalogue,
never from data). It watches the page and rewrites those texts and their
``aria-label``/``title``/``placeholder`` attributes, in both directions, so a
switch back to English restores Streamlit's words. The texts live in the PO
files under ``chrome.*`` like every other text. When Streamlit changes its
wording, a rule simply stops matching: the page shows English again and the
browser test (``tests/test_browser_locale.py``) names the text.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from l10n.d3 import time_locale
from ui.i18n import LANGS, t

# (Streamlit's English text, catalogue key, CSS scope or None). A text matches when it is the
# whole (trimmed) content of a text node or attribute.
EXACT: tuple[tuple[str, str, str | None], ...] = (
    ("Drag and drop files here", "chrome.drop_files", None),
    ("Drag and drop a file here", "chrome.drop_file", None),
    ("Upload", "chrome.upload", '[data-testid="stFileUploader"]'),
    ("Select all", "chrome.select_all", None),
    ("Clear all", "chrome.clear_all", None),
    ("No results", "chrome.no_results", None),
    ("Press Enter to apply", "chrome.enter_apply", None),
    ("Press Enter to submit form", "chrome.enter_submit", None),
    ("Page not found", "chrome.page_not_found", None),
    ("Download as CSV", "chrome.download_csv", None),
    ("Search", "chrome.search", '[data-testid="stElementToolbar"]'),
    ("Fullscreen", "chrome.fullscreen", None),
    ("Close fullscreen", "chrome.close_fullscreen", None),
    ("Show/hide columns", "chrome.columns", None),
    ("Remove file", "chrome.remove_file", None),
    ("Show password text", "chrome.show_password", None),
    ("Hide password text", "chrome.hide_password", None),
    ("Clear value", "chrome.clear_value", None),
    ("Clear", "chrome.clear", '[data-baseweb="select"]'),
    ("Skip to main content", "chrome.skip_to_main", None),
    ("Choose date range", "chrome.choose_dates", None),
    ("Choose date", "chrome.choose_date", None),
    ("Download as PNG", "chrome.download_png", None),
    ("Show data", "chrome.show_data", None),
    ("Show chart", "chrome.show_chart", None),
    ("Main menu", "chrome.main_menu", None),
    ("Print", "chrome.print", None),
    ("Settings", "chrome.settings", None),
    ("About", "chrome.about", None),
    ("Running...", "chrome.running", None),
    ("Stop", "chrome.stop", '[data-testid="stStatusWidget"]'),
    ("dd.mm.yyyy – dd.mm.yyyy", "chrome.date_range", None),
    ("dd.mm.yyyy", "chrome.date", None),
)
# (English pattern, catalogue key): the key's text has the pattern's groups as {1}, {2}.
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(\S+ ?[KMGT]?B) per file • (.+)", "chrome.per_file_types"),
    (r"(\S+ ?[KMGT]?B) per file", "chrome.per_file"),
    (r"You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.", "chrome.page_not_found.detail"),
    (r"Select (\d+) matches", "chrome.select_matches"),
)
CALENDAR = '[data-baseweb="calendar"], [data-baseweb="datepicker"]'
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
_EN_DAYS = ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")


def _template_regex(template: str) -> str:
    """A catalogue text as a pattern: ``{1}`` and ``{2}`` become groups, the rest literal."""
    parts = re.split(r"\{(\d)\}", template)
    return "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))


def _js_template(template: str) -> str:
    return re.sub(r"\{(\d)\}", r"$\1", template)


def rules(lang: str) -> dict:
    """What the script rewrites in ``lang``: every known wording (English or another language) → ``lang``."""
    exact: list[list] = []
    for english, key, scope in EXACT:
        target = t(key, lang)
        for source in {english, *(t(key, other) for other in LANGS)}:
            if source != target:
                exact.append([source, target, scope])
    months, days = time_locale(lang)["months"], time_locale(lang)["shortDays"]
    for k, english in enumerate(_EN_MONTHS):
        for other in LANGS:
            source = english if other == "en" else time_locale(other)["months"][k]
            if source != months[k]:
                exact.append([source, months[k], CALENDAR])
    for k, english in enumerate(_EN_DAYS):
        for other in LANGS:
            source = english if other == "en" else time_locale(other)["shortDays"][k]
            if source != days[k]:
                exact.append([source, days[k], CALENDAR])
    patterns: list[list] = []
    for english, key in PATTERNS:
        target = _js_template(t(key, lang))
        sources = {english, *(_template_regex(t(key, other)) for other in LANGS if other != lang)}
        for source in sources:
            patterns.append([f"^{source}$", target])
    return {"exact": exact, "patterns": patterns}


_SCRIPT = """<script>
(() => {
  const doc = document;
  const rules = %s;
  const state = window.__egovChrome || (window.__egovChrome = {});
  state.exact = new Map();
  for (const [from, to, scope] of rules.exact) {
    if (!state.exact.has(from)) state.exact.set(from, []);
    state.exact.get(from).push([to, scope]);
  }
  state.patterns = rules.patterns.map(([src, to]) => [new RegExp(src), to]);
  const fix = (value, el) => {
    if (!value) return null;
    const key = value.trim();
    const options = state.exact.get(key);
    if (options) {
      for (const [to, scope] of options) {
        if (!scope || (el && el.closest && el.closest(scope))) return value.replace(key, to);
      }
    }
    for (const [re, to] of state.patterns) {
      const m = key.match(re);
      if (m) return value.replace(key, to.replace(/\\$(\\d)/g, (_, i) => m[+i] ?? ""));
    }
    return null;
  };
  const ATTRS = ["placeholder", "aria-label", "title"];
  const fixElement = (el) => {
    for (const a of ATTRS) {
      if (!el.hasAttribute || !el.hasAttribute(a)) continue;
      const v = fix(el.getAttribute(a), el);
      if (v !== null && v !== el.getAttribute(a)) el.setAttribute(a, v);
    }
  };
  const walk = (root) => {
    if (!root) return;
    if (root.nodeType === 3) {
      const v = fix(root.nodeValue, root.parentElement);
      if (v !== null && v !== root.nodeValue) root.nodeValue = v;
      return;
    }
    if (root.nodeType !== 1) return;
    fixElement(root);
    for (const el of root.querySelectorAll("[placeholder],[aria-label],[title]")) fixElement(el);
    const tw = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = tw.nextNode(); n; n = tw.nextNode()) {
      const v = fix(n.nodeValue, n.parentElement);
      if (v !== null && v !== n.nodeValue) n.nodeValue = v;
    }
  };
  state.walk = walk;
  if (!state.observer) {
    state.observer = new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === "childList") m.addedNodes.forEach((n) => state.walk(n));
        else state.walk(m.type === "attributes" ? m.target : m.target);
      }
    });
    state.observer.observe(doc.body, {subtree: true, childList: true, characterData: true,
                                      attributes: true, attributeFilter: ATTRS});
  }
  walk(doc.body);
})();
</script>"""


def script(lang: str) -> str:
    """The page script for ``lang`` (the rules are JSON from the catalogue; ``</`` cannot close the tag)."""
    payload = json.dumps(rules(lang), ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT % payload


# Streamlit leaves 6rem above a page's title; at 1280×720 that is a tenth of the screen.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>"""


def translate(lang: str) -> None:
    """Place the script (in the sidebar's foot, where it takes no room on the page) and the style."""
    st.html(STYLE)
    with st.sidebar:
        st.html(script(lang), unsafe_allow_javascript=True, width="content")
