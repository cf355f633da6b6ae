"""Charts of the comparisons, drawn on the server as inline SVG: the same picture in the HTML page
and in the PDF, in the style and frame of `reports/charts.py`.

Everything reads in black and white: the city is a black diamond, the cohort's middle half a
hatched box with the median as a thick line; the two rounds are a hatched and a solid bar. Every
row ends with its figures in words, and `<title>` / `<desc>` carry them as text.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from reports.charts import WIDTH, svg

LABEL_X = 8
AXIS_X = 222
AXIS_WIDTH = 200
TEXT_X = AXIS_X + AXIS_WIDTH + 12
ROW = 22
HEADING = 20


def percent(share):
    return "–" if share is None else f"{round(share * 100)} %"


def _n(number):
    """A coordinate as SVG text: one decimal at most."""
    return f"{number:.1f}".removesuffix(".0")


def _x(share):
    return _n(AXIS_X + AXIS_WIDTH * share)


def _defs(prefix):
    return format_html(
        '<defs><pattern id="{0}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#dce6f0"/>'
        '<path d="M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5" stroke="#000" stroke-width="1"/>'
        "</pattern></defs>",
        prefix,
    )


def _axis(y, height):
    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = _x(tick)
        parts.append(
            format_html(
                '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#999" stroke-width="0.5" stroke-dasharray="2,2"/>'
                '<text x="{0}" y="{3}" text-anchor="middle" font-size="9">{4}</text>',
                x,
                y,
                y + height,
                y - 3,
                f"{round(tick * 100)} %",
            )
        )
    return mark_safe("".join(parts))


def _legend(y, items):
    parts, x = [], AXIS_X
    for symbol, label in items:
        parts.append(symbol(x, y))
        parts.append(format_html('<text x="{}" y="{}">{}</text>', x + 18, y + 9, label))
        x = round(x + 18 + 12 + len(label) * 6.2)
    return mark_safe("".join(parts))


def _diamond(x, y):
    return format_html('<path d="M{},{} l5,5 l-5,5 l-5,-5 z" fill="#000"/>', _n(x + 7), _n(y))


def _box(prefix):
    def draw(x, y):
        return format_html(
            '<rect x="{}" y="{}" width="14" height="10" fill="url(#{}-hatch)" stroke="#000" stroke-width="0.6"/>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="2.5"/>',
            x,
            y,
            prefix,
            x + 7,
            y - 1,
            x + 7,
            y + 11,
        )

    return draw


def cohort_figures(figure):
    """The cohort's figures of one level in words (the end of a chart row)."""
    if figure.shown:
        return (
            f"median {percent(figure.median)} (quartiles {percent(figure.q1)}–{percent(figure.q3)}), "
            f"{figure.contributors} cities"
        )
    return f"cohort hidden: {figure.contributors} of {figure.min_cohort} cities needed"


# The cohort chart spans the page: its 680 units print 172 mm wide (A4 less the margins), so text
# of 13 units prints at 9 pt and reads at 12 px on any screen showing it 628 px wide or more.
COHORT_TEXT = 13
BAR_LEFT = 16
BAR_WIDTH = WIDTH - 2 * BAR_LEFT
COHORT_ROW = 44


def _bar_x(share):
    return _n(BAR_LEFT + BAR_WIDTH * share)


TICKS = (0, 0.25, 0.5, 0.75, 1)


def _cohort_axis(y):
    """The scale's figures, once above a stakeholder type's rows."""
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}">{} %</text>',
        (
            (_bar_x(tick), y - 4, "start" if tick == 0 else "end" if tick == 1 else "middle", round(tick * 100))
            for tick in TICKS
        ),
    )


def _cohort_scale(middle):
    """A row's scale under its words: a thin line from 0 to 100 % and a tick at each quarter."""
    ticks = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#666" stroke-width="0.8"/>',
        ((_bar_x(tick), middle - 8, middle + 8) for tick in TICKS),
    )
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-width="0.8"/>{}',
        _bar_x(0),
        middle,
        _bar_x(1),
        middle,
        ticks,
    )


def cohort_chart(data):
    """The SVG of a city against its cohort; `data` is a `comparison.comparison` dict. Each level is
    a row across the page: its name and figures in words above, the scale below."""
    prefix = f"cohort-{data['city'].slug}"
    name = data["city"].name
    body, sentences = [], []
    y = 4
    for figures in data["types"]:
        y += 18
        body.append(
            format_html(
                '<text x="0" y="{}" font-weight="bold" font-size="15">{}</text>', y, figures.stakeholder_type.name
            )
        )
        y += 24
        body.append(_cohort_axis(y))
        for figure in figures.levels:
            cohort = cohort_figures(figure)
            sentences.append(
                f"{figures.stakeholder_type.name}, level {figure.number} ({figure.name}): "
                f"{name} {percent(figure.own_share)} · {cohort}."
            )
            body.append(format_html('<text x="{}" y="{}">{}. {}</text>', LABEL_X, y + 16, figure.number, figure.name))
            body.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end">{} · {}</text>',
                    WIDTH - LABEL_X,
                    y + 16,
                    percent(figure.own_share),
                    cohort.replace(" (quartiles ", " ("),
                )
            )
            middle = y + 31
            body.append(_cohort_scale(middle))
            if figure.shown:
                body.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="12" fill="url(#{}-hatch)" stroke="#000" '
                        'stroke-width="0.6"/>'
                        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="2.5"/>',
                        _bar_x(figure.q1),
                        middle - 6,
                        _n(max(BAR_WIDTH * (figure.q3 - figure.q1), 0.8)),
                        prefix,
                        _bar_x(figure.median),
                        middle - 8,
                        _bar_x(figure.median),
                        middle + 8,
                    )
                )
            if figure.own_share is not None:
                body.append(_diamond(BAR_LEFT + BAR_WIDTH * figure.own_share - 7, middle - 5))
            y += COHORT_ROW
        y += 6
    y += 8
    body.append(_legend(y, [(_diamond, name), (_box(prefix), "cohort: median, middle half (quartiles)")]))
    title = f"Share of consolidated yes per level – {name}, {data['round'].name}, against {data['cohort_label']}"
    return svg(
        "comparison-chart", prefix, title, " ".join(sentences), y + 22, _defs(prefix), body, font_size=COHORT_TEXT
    )


def _hatched_bar(prefix):
    def draw(x, y):
        return format_html(
            '<rect x="{}" y="{}" width="14" height="10" fill="url(#{}-hatch)" stroke="#000" stroke-width="0.6"/>',
            x,
            y,
            prefix,
        )

    return draw


def _solid_bar(x, y):
    return format_html(
        '<rect x="{}" y="{}" width="14" height="10" fill="#1f4e79" stroke="#000" stroke-width="0.6"/>', x, y
    )


def rounds_chart(data):
    """The SVG of a city's share of yes per level in two rounds; `data` is a `rounds.round_changes` dict."""
    prefix = f"rounds-{data['city'].slug}"
    before, after = data["before"].name, data["after"].name
    body, sentences = [], []
    y = 16
    for block in data["types"]:
        y += HEADING - 6
        body.append(format_html('<text x="0" y="{}" font-weight="bold">{}</text>', y, block["stakeholder_type"].name))
        y += 14
        body.append(_axis(y, (ROW + 8) * len(block["levels"])))
        for level in block["levels"]:
            text = f"{before} {percent(level['before'])} → {after} {percent(level['after'])}"
            if level["change"] is not None:
                text += f" ({level['change']:+d} points)"
            sentences.append(f"{block['stakeholder_type'].name}, level {level['number']}: {text}.")
            body.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10">{}. {}</text>', LABEL_X, y + 16, level["number"], level["name"]
                )
            )
            for offset, share, fill in ((2, level["before"], f"url(#{prefix}-hatch)"), (15, level["after"], "#1f4e79")):
                if share is not None:
                    body.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="11" fill="{}" stroke="#000" stroke-width="0.6"/>',
                            AXIS_X,
                            y + offset,
                            _n(max(AXIS_WIDTH * share, 0.8)),
                            fill,
                        )
                    )
            body.append(format_html('<text x="{}" y="{}" font-size="9">{}</text>', TEXT_X, y + 16, text))
            y += ROW + 8
        y += 4
    y += 8
    body.append(_legend(y, [(_hatched_bar(prefix), before), (_solid_bar, after)]))
    title = f"Share of consolidated yes per level – {data['city'].name}, {before} and {after}"
    return svg("comparison-chart", prefix, title, " ".join(sentences), y + 20, _defs(prefix), body)
