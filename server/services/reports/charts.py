"""Charts as SVG text, drawn on the server: no JavaScript, no library, readable offline and in print.

Each function takes plain rows (labels already in the reader's language) and returns one ``<svg>`` string
whose every text is escaped. ``fmt`` formats a number the way the page writes numbers (the dashboard passes
its Vietnamese thousands separator). Sizes are in SVG user units; the page scales the picture to its box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH = 640
INK, MUTED, GRID = "#1d2a33", "#5b6b76", "#dfe5ea"
TARGET, DONE = "#c9d6e0", "#1f9d4a"
FUNNEL = ("#7a8791", "#1f6fd1", "#e08a00", "#1f9d4a", "#0d5c2b")
COMMITTED, DISBURSED = "#9ec5f0", "#1f6fd1"
FONT = "font-family=\"DejaVu Sans, Arial, sans-serif\""

Fmt = Callable[[float], str]


def _plain(n: float) -> str:
    return f"{n:,.0f}"


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", fill: str = INK,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{escape(str(text))}</text>')


def _svg(height: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" {FONT} '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(items: Sequence[tuple[str, str]], y: float) -> list[str]:
    out, x = [], 0.0
    for colour, label in items:
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 16, y, label, size=12, fill=MUTED))
        x += 28 + 7.2 * len(label)
    return out


def paired_bars(title: str, rows: Sequence[tuple[str, float | None, float]], labels: tuple[str, str],
                fmt: Fmt = _plain, colours: tuple[str, str] = (TARGET, DONE)) -> str:
    """One row per unit: a wide pale bar (the first value, e.g. the target; none when None) with a narrower
    dark bar inside it (the second, e.g. houses completed), both on one scale; the values written after."""
    left, right, row_h = 170, 110, 30
    scale_max = max([v for _, a, b in rows for v in (a or 0, b)] + [1])
    usable = WIDTH - left - right
    body = _legend(list(zip(colours, labels, strict=True)), 14)
    y = 30
    for label, first, second in rows:
        body.append(_text(left - 8, y + 17, _short(label), anchor="end"))
        if first:
            body.append(f'<rect x="{left}" y="{y + 4}" width="{usable * first / scale_max:.1f}" height="20" '
                        f'fill="{colours[0]}" rx="2"/>')
        if second:
            body.append(f'<rect x="{left}" y="{y + 9}" width="{max(1.0, usable * second / scale_max):.1f}" '
                        f'height="10" fill="{colours[1]}" rx="2"/>')
        end = left + usable * max(first or 0, second) / scale_max
        shown = f"{fmt(second)} / {fmt(first)}" if first is not None else f"{fmt(second)} / —"
        body.append(_text(end + 6, y + 18, shown, size=11, fill=MUTED))
        y += row_h
    return _svg(y + 6, title, body)


def funnel(title: str, stages: Sequence[tuple[str, float]], fmt: Fmt = _plain) -> str:
    """Houses through each stage: one centred bar per stage, its width the count, with the share of the first."""
    row_h, label_w = 34, 150
    first = stages[0][1] if stages and stages[0][1] else 0
    top = max([n for _, n in stages] + [1])
    usable = WIDTH - label_w - 20
    body, y = [], 6
    for i, (label, n) in enumerate(stages):
        w = max(2.0, usable * n / top) if n else 0
        x = label_w + (usable - w) / 2
        body.append(_text(label_w - 8, y + 21, _short(label, 20), anchor="end"))
        if w:
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="26" fill="{FUNNEL[i % len(FUNNEL)]}" rx="3"/>')
        share = f" · {100 * n / first:.0f}%" if first and i else ""
        if w > 120:  # the figure inside the bar, else just right of it
            body.append(_text(label_w + usable / 2, y + 21, f"{fmt(n)}{share}", anchor="middle", fill="#fff",
                              weight="bold"))
        else:
            body.append(_text(x + w + 6, y + 21, f"{fmt(n)}{share}", weight="bold"))
        y += row_h
    return _svg(y + 4, title, body)


def line(title: str, points: Sequence[tuple[str, float]], fmt: Fmt = _plain) -> str:
    """A count per period (e.g. houses completed per month): a line with a dot per period, the value above
    each dot and the period under the axis (every other one when there are many)."""
    left, bottom, top_pad, height = 40, 34, 20, 220
    n = len(points)
    tick = _nice_step(max([v for _, v in points] + [1]) / 4)
    top = tick * 4
    plot_h = height - bottom - top_pad
    step = (WIDTH - left - 20) / max(1, n - 1) if n > 1 else 0
    body = []
    for k in range(5):  # horizontal grid lines with their values
        y = top_pad + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, fmt(tick * k), size=10, anchor="end", fill=MUTED))
    coords = [(left + (i * step if n > 1 else (WIDTH - left) / 2), top_pad + plot_h - plot_h * v / top)
              for i, (_, v) in enumerate(points)]
    if n > 1:
        body.append('<polyline fill="none" stroke="#1f6fd1" stroke-width="2.5" points="'
                    + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
    every = 1 if n <= 12 else 2
    for i, ((label, v), (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f6fd1"/>')
        body.append(_text(x, y - 8, fmt(v), size=10, anchor="middle"))
        if i % every == 0 or i == n - 1:
            body.append(_text(x, height - bottom + 18, label, size=10, anchor="middle", fill=MUTED))
    return _svg(height, title, body)


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 x 10^k (at least 1) not below ``raw``: axis ticks people read at a glance."""
    scale = 1.0
    while True:
        for m in (1, 2, 5):
            if m * scale >= raw:
                return m * scale
        scale *= 10


def money(title: str, rows: Sequence[tuple[str, float, float]], labels: tuple[str, str], fmt: Fmt = _plain) -> str:
    """Money by source: for each source a bar committed and a bar disbursed, on one scale."""
    return paired_bars(title, [(label, committed, disbursed) for label, committed, disbursed in rows], labels, fmt,
                       (COMMITTED, DISBURSED))
