"""Key figures: progress toward a target in words and percent, and a small chart as inline SVG.

Pure functions. The chart is drawn at build time; it needs no JavaScript and loads nothing. Its text
alternative says the same as the table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape as _escape

from generator.records.dates import format_date, sort_key
from generator.records.models import Indicator, Measurement

NO_VALUES = "keine Werte veröffentlicht"


def escape(value: str) -> str:
    """Text inside the SVG: on one line (a blank line would end the HTML block in Markdown), markup escaped."""
    return _escape(" ".join(value.split()))


def number_de(value: float) -> str:
    """German number format: ``1.234,5``; whole numbers without decimals."""
    text = f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def measurement_de(measurement: Measurement | None, unit: str) -> str:
    if measurement is None:
        return "nicht angegeben"
    return f"{number_de(measurement.value)} {unit} ({format_date(measurement.date)})"


def latest(indicator: Indicator) -> Measurement | None:
    """The most recent dated actual value; without dates, the last one listed."""
    dated = [(sort_key(m.date), index) for index, m in enumerate(indicator.actuals) if m.date is not None]
    if dated:
        return indicator.actuals[max(dated)[1]]
    return indicator.actuals[-1] if indicator.actuals else None


@dataclass(frozen=True, slots=True)
class Progress:
    percent: float | None
    text: str


def progress(indicator: Indicator) -> Progress:
    """How far the latest actual value has come from the baseline toward the target."""
    current = latest(indicator)
    if current is None:
        return Progress(None, NO_VALUES)
    now = f"zuletzt {measurement_de(current, indicator.unit)}"
    base, target = indicator.baseline, indicator.target
    if base is None or target is None:
        missing = "Ausgangswert" if base is None else "Zielwert"
        return Progress(None, f"{now}; Fortschritt nicht berechenbar, weil der {missing} fehlt")
    if target.value == base.value:
        return Progress(None, f"{now}; Fortschritt nicht berechenbar, weil Ausgangs- und Zielwert gleich sind")
    percent = (current.value - base.value) / (target.value - base.value) * 100
    if not math.isfinite(percent) or abs(percent) > 1e6:  # the target differs from the baseline by a hair
        return Progress(None, f"{now}; Fortschritt nicht sinnvoll berechenbar: Ausgangs- und Zielwert fast gleich")
    if percent >= 100:
        words = "Ziel erreicht"
    elif percent <= 0:
        words = "noch kein Fortschritt gegenüber dem Ausgangswert"
    else:
        words = "auf dem Weg zum Ziel"
    return Progress(percent, f"{now}: {number_de(round(percent))} % des Wegs vom Ausgangs- zum Zielwert – {words}")


def chart_svg(indicator: Indicator, *, chart_id: str) -> str | None:
    """A line chart of baseline, actual values and target, or ``None`` when there are no dated values."""
    points = [m for m in (indicator.baseline, *indicator.actuals) if m is not None and m.date is not None]
    points.sort(key=lambda m: sort_key(m.date))
    target = indicator.target
    dated = points + ([target] if target is not None and target.date is not None else [])
    if not indicator.actuals or len(dated) < 2:
        return None
    days = [m.date.earliest().toordinal() for m in dated if m.date is not None]
    values = [m.value for m in dated]
    width, height, pad = 320, 160, 28
    x0, x1 = min(days), max(days)
    y0, y1 = min(values + [0.0]), max(values)
    y1 = y1 if y1 != y0 else y0 + 1

    def x(day: int) -> float:
        return pad + (day - x0) / ((x1 - x0) or 1) * (width - 2 * pad)

    def y(value: float) -> float:
        return height - pad - (value - y0) / (y1 - y0) * (height - 2 * pad)

    line = " ".join(f"{x(m.date.earliest().toordinal()):.1f},{y(m.value):.1f}" for m in points if m.date)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="indikator-diagramm">',
        f'<title id="{chart_id}-t">{escape(indicator.name)}</title>',
        f'<desc id="{chart_id}-d">{escape(chart_text(indicator))}</desc>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="currentColor" '
        'stroke-opacity="0.4"/>',
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="2"/>',
    ]
    for m in points:
        if m.date is not None:
            cx, cy = x(m.date.earliest().toordinal()), y(m.value)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="currentColor"/>')
    if target is not None:
        ty = y(target.value)
        parts.append(
            f'<line x1="{pad}" y1="{ty:.1f}" x2="{width - pad}" y2="{ty:.1f}" stroke="currentColor" '
            'stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{width - pad}" y="{ty - 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="currentColor">Ziel {escape(number_de(target.value))}</text>'
        )
    first, last = dated[0].date, dated[-1].date
    parts.append(
        f'<text x="{pad}" y="{height - 8}" font-size="11" fill="currentColor">{escape(format_date(first))}</text>'
    )
    parts.append(
        f'<text x="{width - pad}" y="{height - 8}" text-anchor="end" font-size="11" fill="currentColor">'
        f"{escape(format_date(last))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def chart_text(indicator: Indicator) -> str:
    """The text alternative of the chart: every value it shows, in words."""
    values = "; ".join(
        f"{format_date(m.date)}: {number_de(m.value)} {indicator.unit}"
        for m in sorted(indicator.actuals, key=lambda m: sort_key(m.date))
    )
    return (
        f"{indicator.name}. Ausgangswert {measurement_de(indicator.baseline, indicator.unit)}, "
        f"Zielwert {measurement_de(indicator.target, indicator.unit)}. Gemessen: {values or NO_VALUES}."
    )
