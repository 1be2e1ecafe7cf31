"""Geometry for the small SVG charts (templates/followup/charts/). The same data is always shown as a table
beside a chart, and each status has a pattern as well as a colour, so nothing depends on colour alone."""

from dataclasses import dataclass

BAR_WIDTH = 600  # viewBox units (and pixels) for the longest bar
BAR_HEIGHT = 22
LABEL_HEIGHT = 16
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 12

# Fill and texture per status, matching the badges; the text colour keeps 4.5:1 on the fill.
STATUS_STYLE = {
    "ej_paborjat": ("#6c757d", "none", "#fff"),
    "uppdrag_behovs": ("#b02a37", "stripes", "#fff"),
    "avvaktar": ("#ffc107", "dots", "#000"),
    "pagar": ("#0b5ed7", "none", "#fff"),
    "ingar_i_annat": ("#0dcaf0", "crosshatch", "#000"),
    "klar": ("#146c43", "none", "#fff"),
    "ej_angiven": ("#e9ecef", "stripes", "#000"),
}


@dataclass
class Segment:
    status: str
    label: str
    count: int
    x: float
    width: float

    @property
    def center(self):
        return round(self.x + self.width / 2, 2)

    @property
    def text_colour(self):
        return STATUS_STYLE[self.status][2]


def status_patterns(statuses):
    return [
        {"status": s.value, "label": s.label, "fill": STATUS_STYLE[s.value][0], "texture": STATUS_STYLE[s.value][1]}
        for s in statuses
    ]


def status_bars(rows, statuses):
    """rows: [(label, {status: count})] → bars scaled to the largest total, each a list of segments."""
    largest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(rows):
        x, segments = 0.0, []
        for status in statuses:
            count = counts.get(status.value, 0)
            if count:
                width = BAR_WIDTH * count / largest
                segments.append(Segment(status.value, status.label, count, round(x, 2), round(width, 2)))
                x += width
        bars.append({"label": label, "y": index * ROW_HEIGHT, "segments": segments, "total": sum(counts.values())})
    return {
        "bars": bars,
        "width": BAR_WIDTH,
        "total_x": BAR_WIDTH + 6,
        "view_width": BAR_WIDTH + 40,
        "height": len(rows) * ROW_HEIGHT,
        "bar_y": LABEL_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "text_y": LABEL_HEIGHT + BAR_HEIGHT / 2 + 4,
        "patterns": status_patterns(statuses),
    }


TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 240, 90, 14
MARKERS = ["circle", "square", "diamond"]


def trend(series_list, periods, *, yes_no=False):
    """Lines over the periods, one per breakdown, each with its own marker shape."""
    if not periods:
        return None
    values = [float(v.value) for s in series_list for v in s.values if v.value is not None]
    low, high = (0.0, 1.0) if yes_no or not values else (min(values), max(values))
    if high == low:
        low, high = low - 1, high + 1
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(len(periods) - 1, 1)
    position = {period: TREND_PAD + i * step for i, period in enumerate(periods)}

    def y(number):
        return TREND_HEIGHT - TREND_PAD - (number - low) / (high - low) * (TREND_HEIGHT - 2 * TREND_PAD)

    lines = []
    for index, series in enumerate(series_list):
        points = []
        for value in series.values:
            number = (1.0 if value.yes_no else 0.0) if yes_no else float(value.value)
            px, py = round(position[value.period], 1), round(y(number), 1)
            points.append({"x": px, "y": py, "corner_x": px - 4, "corner_y": py - 4, "top_y": py - 5})
        lines.append(
            {
                "breakdown": series.breakdown,
                "marker": MARKERS[index % len(MARKERS)],
                "points": points,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
                "dash": "" if index == 0 else "5 3",
            }
        )
    return {
        "lines": lines,
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "axis_y": TREND_HEIGHT - 6,
        "axis_end": TREND_WIDTH - 6,
    }
