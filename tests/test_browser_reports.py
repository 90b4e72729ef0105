"""The presentation in a real Chromium: slides fit 1920×1080 and 1280×720 without scrolling, text is legible
from the back of a room, the keys a clicker sends move the slides. Screenshots go to ``tests/artifacts/``."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, errors, serve, settle

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720)]
LABEL_PX = 22  # the charts' axis labels in drawing pixels (report.style.PRESETS["slide"]["label"])

MEASURE = """() => {
  const slide = document.querySelector('.egov-slide');
  const over = [];
  const boxes = [document.documentElement, document.body, slide, slide.querySelector('.body'),
                 ...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')];
  for (const el of boxes) {
    if (el && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      over.push([el.getAttribute('data-testid') || el.className || el.tagName, el.scrollHeight, el.clientHeight,
                 el.scrollWidth, el.clientWidth]);
    }
  }
  const r = slide.getBoundingClientRect();
  let min = 1e9, where = '';
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.getBoundingClientRect().width) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min) { min = size; where = node.textContent.trim().slice(0, 40); }
  }
  const charts = [...slide.querySelectorAll('img[data-chart]')].map(
      i => [i.dataset.chart, i.getBoundingClientRect().width / Number(i.dataset.width)]);
  const nav = document.querySelector('.st-key-present-nav').getBoundingClientRect();
  return {over, min, where, charts, slide: [r.width, r.height, window.innerWidth, window.innerHeight],
          nav: [nav.right <= window.innerWidth, nav.bottom <= window.innerHeight], counter: slide.dataset.counter,
          key: slide.dataset.slide};
}"""

# Streamlit draws a run's elements as they arrive, the slide often a second before the buttons under it: wait
# for both, showing the slide asked for, before measuring.
DRAWN = """(n) => {
  const slide = document.querySelector('.egov-slide'), nav = document.querySelector('.st-key-present-nav');
  return !!slide && !!nav && slide.dataset.counter.startsWith(n + ' / ')
         && nav.innerText.includes(slide.dataset.counter.split(' / ')[1]);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        yield url


def _open(page, url: str, n: int) -> dict:
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    settle(page)
    page.wait_for_function(DRAWN, arg=n, timeout=60_000)
    page.wait_for_timeout(500)  # fonts and the chart image
    return page.evaluate(MEASURE)


def _numbers(db) -> dict[str, int]:
    """Where the slides worth measuring fall in the visitor's default deck of the served demo (1-based): the
    board's first page (a paged table), the infrastructure radar with its figures, the headline cards and the
    tallest institution slide: the most services under its cards, then the longest name (two title lines)."""
    from report import slides
    from tests.report_support import model_and_slides

    pages = list(enumerate(slides.paginate(model_and_slides(str(db))[1]), start=1))
    first = {key: next(i for i, p in pages if p.key == key) for key in ("board", "infrastructure", "headline")}
    first["institutions"] = max((i for i, p in pages if p.key == "institutions"),
                                key=lambda i: (len(pages[i - 1][1].table.rows), len(pages[i - 1][1].title), -i))
    return first


@pytest.mark.parametrize("width, height", SIZES)
def test_slides_fit_the_screen_without_scrolling(server, width, height):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, n in _numbers(server.db).items():
                m = _open(page, f"{server}/present?round=2024&lang=az&slide={n}", n)
                page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}-{name}.png"))
                problems += [f"{name}: {e}" for e in errors(page)]
                assert not m["over"], f"{name} at {width}×{height} scrolls: {m['over']}"
                assert m["slide"] == [width, height, width, height], m["slide"]
                assert all(m["nav"]), "the slide controls stay on screen"
                assert m["counter"].startswith(f"{n} / ") and m["key"] == name, (n, m["key"])
                if width == 1920:
                    assert m["min"] >= 24, f"{name}: text of {m['min']} px ({m['where']!r})"
                    for chart, scale in m["charts"]:
                        assert LABEL_PX * scale >= 18, f"{chart}: chart labels at {LABEL_PX * scale:.1f} px"
            assert page.query_selector('[data-testid="stSidebar"]') is None, "no sidebar on the projector"
        finally:
            browser.close()
    assert not problems, problems


def test_keys_a_clicker_sends_move_the_slides(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            first = _open(page, f"{server}/present?round=2024&lang=en&slide=2", 2)
            total = int(first["counter"].split(" / ")[1])

            def press(key: str) -> int:
                before = page.evaluate("() => document.querySelector('.egov-slide').dataset.counter")
                page.keyboard.press(key)
                page.wait_for_function(
                    "(b) => document.querySelector('.egov-slide')?.dataset.counter !== b", arg=before, timeout=90_000)
                settle(page)
                return int(page.evaluate("() => document.querySelector('.egov-slide').dataset.counter").split()[0])

            assert press("ArrowRight") == 3
            assert press("PageDown") == 4
            assert press("PageUp") == 3
            assert press("ArrowLeft") == 2
            assert press("End") == total
            assert press("Home") == 1
            assert "slide=1" in page.url and "lang=en" in page.url
            page.screenshot(path=str(ARTIFACTS / "present-1280x720-cover-en.png"))
        finally:
            browser.close()
