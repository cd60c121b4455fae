"""Small charts as inline SVG, drawn on the server so they show without JavaScript.

Each chart is an `<svg role="img">` with a `<title>` naming what it shows
(WAI-ARIA `img` role; SVG 1.1 §5.4 `title`) and a text label on every bar, so
the numbers are read, not only seen.
"""

from __future__ import annotations

from html import escape

from service.comparison import Overlap

_BAR = 22  # bar height
_GAP = 10
_LABEL = 130  # width of the label column
_WIDTH = 640

# The parts of an overlap bar: field, css class, legend.
PARTS = (
    ("exact", "part-exact", "共同 · shared"),
    ("near", "part-near", "相近 · near match"),
    ("alone", "part-alone", "獨有 · alone"),
)


def _svg(ident: str, width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" id="{ident}" aria-labelledby="{ident}-title">'
        f'<title id="{ident}-title">{escape(title)}</title>{body}</svg>'
    )


def overlap_bars(overlaps: list[Overlap], names: dict[str, str]) -> str:
    """One stacked bar per standard: its concepts shared exactly, near-matched, and alone."""
    most = max((o.exact + o.near + o.alone for o in overlaps), default=0) or 1
    scale = (_WIDTH - _LABEL - 10) / most
    rows = []
    for index, overlap in enumerate(overlaps):
        y = 30 + index * (_BAR + _GAP)
        label = escape(overlap.code)
        parts = [f'<text x="0" y="{y + 16}" class="label">{label}</text>']
        x = float(_LABEL)
        for name, css, legend in PARTS:
            count = int(getattr(overlap, name))
            if not count:
                continue
            width = count * scale
            tip = f"{overlap.code} {names.get(overlap.code, '')}: {legend} {count}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR}" class="{css}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if width >= 18:
                parts.append(f'<text x="{x + width / 2:.1f}" y="{y + 16}" class="count">{count}</text>')
            x += width
        rows.append("".join(parts))
    legend = "".join(
        f'<rect x="{_LABEL + i * 150}" y="4" width="12" height="12" class="{css}"/>'
        f'<text x="{_LABEL + i * 150 + 16}" y="15" class="legend">{escape(text)}</text>'
        for i, (_, css, text) in enumerate(PARTS)
    )
    height = 30 + len(overlaps) * (_BAR + _GAP)
    title = "各職能基準的技能與知識：共同、相近、獨有 · skills and knowledge by overlap"
    return _svg("overlap-chart", _WIDTH, height, title, legend + "".join(rows))


def level_bars(ident: str, counts: dict[int, int], title: str) -> str:
    """Vertical bars: how many missing concepts each competency level needs."""
    most = max(counts.values(), default=0) or 1
    width, height, top, bottom = 360, 180, 20, 30
    step = (width - 20) / max(len(counts), 1)
    bars = []
    for index, (level, count) in enumerate(sorted(counts.items())):
        bar = (height - top - bottom) * count / most
        x = 10 + index * step
        y = height - bottom - bar
        bars.append(
            f'<rect x="{x + 6:.1f}" y="{y:.1f}" width="{step - 12:.1f}" height="{bar:.1f}" class="part-gap">'
            f"<title>{escape(f'級別 level {level}: {count}')}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" class="count-above">{count}</text>'
            f'<text x="{x + step / 2:.1f}" y="{height - 10}" class="axis">L{level}</text>'
        )
    return _svg(ident, width, height, title, "".join(bars))
