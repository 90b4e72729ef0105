"""Progress of long transfers (imports, exports, synthetic databases): fraction done, stage and time left.

The work reports ``progress(fraction, stage)``: ``fraction`` from 0 to 1 and
``stage`` a catalogue key (``progress.read``, ``progress.write``…).
:class:`Progress` adds the estimate of the time left, from the time spent so far
and the share done, and passes ``(fraction, stage, seconds_left)`` to a sink
that draws it: :class:`TerminalBar` on the command line, a Streamlit bar in
the app (``ui.widgets``). A sink draws nothing during the first second, so
quick operations stay quiet. :meth:`Progress.part` maps a sub-task onto its
share of the whole (reading is the first 40 %, writing the rest…), so nested
steps report one bar that only moves forward.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from babel.dates import format_timedelta

from l10n import fmt_pct, t
from l10n.formats import locale

Report = Callable[[float, str], None]  # what the work calls: (fraction done, stage key)
Sink = Callable[[float, str, "float | None"], None]  # what draws: (fraction, stage key, seconds left)

QUIET_SECONDS = 1.0  # nothing is drawn for operations shorter than this


class Progress:
    """Turns ``(fraction, stage)`` reports into ``(fraction, stage, seconds left)`` for a sink.

    Callable, so it can be passed wherever a :data:`Report` is expected.
    Fractions never go backwards; the estimate appears once 5 % is done.
    """

    def __init__(self, sink: Sink | None = None, *, clock: Callable[[], float] = time.monotonic):
        self.sink = sink
        self.clock = clock
        self.start = clock()
        self.done = 0.0
        self.stage = ""

    def __call__(self, fraction: float, stage: str = "") -> None:
        self.done = max(self.done, min(max(float(fraction), 0.0), 1.0))
        self.stage = stage or self.stage
        if self.sink is not None:
            self.sink(self.done, self.stage, self.seconds_left())

    def elapsed(self) -> float:
        return self.clock() - self.start

    def seconds_left(self) -> float | None:
        if self.done < 0.05:
            return None
        return max(self.elapsed() * (1.0 - self.done) / self.done, 0.0)

    def part(self, start: float, end: float) -> Report:
        """A report for a sub-task that fills ``[start, end]`` of this bar."""
        return part(self, start, end)


def part(report: Report | None, start: float, end: float) -> Report | None:
    """``report`` restricted to the share ``[start, end]`` of the whole (None stays None)."""
    if report is None:
        return None

    def sub(fraction: float, stage: str = "") -> None:
        report(start + (end - start) * min(max(float(fraction), 0.0), 1.0), stage)

    return sub


def counted(report: Report | None, total: int, stage: str, every: int = 1) -> Callable[[int], None]:
    """A ``tick(done)`` for a loop over ``total`` items that reports every ``every`` items."""
    every = max(int(every), 1)

    def tick(done: int) -> None:
        if report is not None and (done % every == 0 or done >= total):
            report(done / total if total else 1.0, stage)

    return tick


def eta_text(seconds: float | None, lang: str) -> str:
    """``about 12 seconds left`` in the user's language (CLDR units); empty before an estimate exists."""
    if seconds is None:
        return ""
    when = format_timedelta(max(seconds, 1.0), threshold=1.5, locale=locale(lang))
    return t("progress.left", lang, time=when)


def status_text(fraction: float, stage: str, seconds: float | None, lang: str) -> str:
    """``Writing to the database… 40% · about 12 seconds left``."""
    head = t(stage, lang) if stage else t("progress.working", lang)
    parts = [head, fmt_pct(fraction * 100, lang)]
    left = eta_text(seconds, lang)
    if left:
        parts.append(left)
    return " · ".join(parts)


class TerminalBar:
    """A one-line bar on a terminal (stderr), redrawn at most ten times a second, after the first second.

    On a stream that is not a terminal (a log file, a pipe) it writes one line
    per stage instead of redrawing, so logs stay readable.
    """

    def __init__(self, lang: str = "en", stream: TextIO | None = None, width: int = 30,
                 clock: Callable[[], float] = time.monotonic):
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.clock = clock
        self.start = clock()
        self.last_draw = 0.0
        self.last_stage = None
        self.drawn = False
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, fraction: float, stage: str, seconds: float | None) -> None:
        now = self.clock()
        if now - self.start < QUIET_SECONDS:
            return  # quick work (or its first second): nothing to show
        if not self.tty:
            if stage != self.last_stage:
                self.stream.write(status_text(fraction, stage, seconds, self.lang) + "\n")
                self.stream.flush()
                self.last_stage = stage
            return
        if fraction < 1.0 and now - self.last_draw < 0.1:
            return
        filled = int(round(self.width * fraction))
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{bar} {status_text(fraction, stage, seconds, self.lang)}\x1b[K")
        self.stream.flush()
        self.last_draw, self.drawn = now, True

    def close(self) -> None:
        """End the bar's line (call once the work is over)."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def terminal(lang: str = "en", stream: TextIO | None = None) -> tuple[Progress, TerminalBar]:
    """A :class:`Progress` drawing on the terminal; call ``bar.close()`` when done."""
    bar = TerminalBar(lang, stream)
    return Progress(bar), bar
