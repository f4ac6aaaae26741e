"""Accessible SVG line charts, pure (no ORM). One line per year, jan–dec on the x axis.

Lines differ by dash pattern and marker shape as well as colour, so the chart is readable
without colour; the page always shows the same numbers in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from solna_sn.lib.numbers import format_number
from solna_sn.lib.periods import MONTH_ABBREVIATIONS

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 24, 72
# Colours with at least 3:1 contrast against white.
STYLES = [
    ("#004b7f", "", "circle"),
    ("#b01e23", "8 4", "square"),
    ("#1e6b32", "2 4", "triangle"),
    ("#6a3d9a", "12 4 2 4", "diamond"),
]


@dataclass(frozen=True)
class ChartSeries:
    label: str
    points: tuple[Decimal | None, ...]  # 12 months, None = no value (a gap, never zero)


def nice_max(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^n that is ≥ value (at least 1)."""
    if value <= 1:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    for base in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = base * Decimal(10) ** exponent
        if candidate >= value:
            return candidate
    return Decimal(10) ** (exponent + 1)  # pragma: no cover


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} '
            f'{x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
        f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    )


def line_chart_svg(series: list[ChartSeries], *, title: str, unit: str, decimals: int = 0) -> str:
    values = [v for s in series for v in s.points if v is not None]
    low = min([Decimal(0), *values])
    high = nice_max(max(values)) if values else Decimal(1)
    if low < 0:
        low = -nice_max(-low)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    years = ", ".join(s.label for s in series)

    def x_of(month_index: int) -> float:
        return LEFT + plot_w * (month_index + 0.5) / 12

    def y_of(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title chart-desc" class="chart" '
        'font-family="Helvetica, Arial, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">Linjediagram över {escape(title)} ({escape(unit)}) per månad, '
        f"en linje per år: {escape(years)}. Samma värden finns i tabellen under diagrammet."
        "</desc>",
    ]
    steps = 5
    for i in range(steps + 1):
        value = low + (high - low) * i / steps
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#c5ccd3" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#1b1b1b">{escape(format_number(value, decimals))}</text>'
        )
    for index, name in enumerate(MONTH_ABBREVIATIONS):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
            f'font-size="12" fill="#1b1b1b">{name}</text>'
        )
    if not values:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" '
            'text-anchor="middle" font-size="16" fill="#1b1b1b">Inga värden</text>'
        )
    for number, item in enumerate(series):
        colour, dash, shape = STYLES[number % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(item.points):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_of(index):.1f},{y_of(value):.1f}")
        if segment:
            segments.append(segment)
        # The SVG is one role="img" (its children are presentational), so a series is named by
        # a <title> (a tooltip on hover), not by aria-label, which a plain <g> may not carry.
        group = ['<g class="series">', f"<title>{escape(item.label)}</title>"]
        for points in segments:
            if len(points) > 1:
                group.append(
                    f'<polyline points="{" ".join(points)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
        for index, value in enumerate(item.points):
            if value is not None:
                group.append(_marker(shape, x_of(index), y_of(value), colour))
        group.append("</g>")
        parts.extend(group)
        legend_x = LEFT + number * 140
        legend_y = HEIGHT - 20
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 36}" '
            f'y2="{legend_y}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(_marker(shape, legend_x + 18, legend_y, colour))
        parts.append(
            f'<text x="{legend_x + 44}" y="{legend_y + 4}" font-size="13" '
            f'fill="#1b1b1b">{escape(item.label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
