"""Charts drawn on the server as inline SVG, the same picture in the HTML page and in the PDF.

`sheet_chart` draws, for each level and respondent of a sheet, one bar split into the shares of
yes / no / no data / not answered. The parts are told apart by pattern as well as by colour
(solid, hatched, dotted, empty) and every bar is followed by its counts in words, so the chart
reads in black and white; `<title>` and `<desc>` carry the same figures as text. Every word is in the
reader's language.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

WIDTH = 680
LABEL_WIDTH = 200
BAR_X = 210
BAR_WIDTH = 290
COUNTS_CHAR = 6.3  # the width of a character of the counts, at the chart's font size
BAR_HEIGHT = 14
ROW = 22
HEADING = 20
LEGEND = 34
FONT = "MEGA Sans, DejaVu Sans, Verdana, sans-serif"

# Each part of a bar: key in a level summary, legend label, fill (a colour or a pattern id).
PARTS = (
    ("yes", pgettext_lazy("answer", "yes"), "#1f4e79"),
    ("no", pgettext_lazy("answer", "no"), "url(#{prefix}-no)"),
    ("nd", pgettext_lazy("answer", "no data"), "url(#{prefix}-nd)"),
    ("open", pgettext_lazy("answer", "not answered"), "#ffffff"),
)
LABELS = {key: label for key, label, _ in PARTS}


def _truncate(text, length=30):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _counts_text(counts):
    """ "3 yes · 1 no · 0 no data", in the reader's language."""
    keys = ("yes", "no", "nd", "open") if counts["open"] else ("yes", "no", "nd")
    return " · ".join(f"{counts[key]} {LABELS[key]}" for key in keys)


def describe(sheet):
    """The chart as sentences, for <desc> and for anyone who cannot see it, in the reader's language."""
    sentences = []
    for level in sheet["levels"]:
        for counts in level["summary"]:
            sentences.append(
                gettext(
                    "%(level)s, %(respondent)s: %(yes)s yes, %(no)s no, %(nd)s no data, %(open)s not answered, "
                    "of %(total)s statements."
                )
                % {"level": level["heading"], **counts}
            )
    return " ".join(sentences)


def _defs(prefix):
    return format_html(
        "<defs>"
        '<pattern id="{0}-no" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#f4c7a1"/>'
        '<path d="M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5" stroke="#000" stroke-width="1.2"/>'
        "</pattern>"
        '<pattern id="{0}-nd" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#e4e4e4"/><circle cx="2.5" cy="2.5" r="1" fill="#000"/>'
        "</pattern>"
        "</defs>",
        prefix,
    )


def _bar(prefix, x, y, counts, bar_width=BAR_WIDTH):
    total = counts["total"]
    parts = []
    offset = 0.0
    for key, label, fill in PARTS:
        if not total or not counts[key]:
            continue
        width = bar_width * counts[key] / total
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#000" stroke-width="0.6">'
                "<title>{} {}</title></rect>",
                f"{x + offset:.2f}",
                y,
                f"{width:.2f}",
                BAR_HEIGHT,
                fill.format(prefix=prefix),
                counts[key],
                label,
            )
        )
        offset += width
    outline = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#000" stroke-width="0.8"/>',
        x,
        y,
        bar_width,
        BAR_HEIGHT,
    )
    return mark_safe("".join(parts)) + outline


def _legend(prefix, y):
    items = []
    x = BAR_X
    for _key, label, fill in PARTS:
        items.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="10" fill="{}" stroke="#000" stroke-width="0.6"/>'
                '<text x="{}" y="{}">{}</text>',
                x,
                y,
                fill.format(prefix=prefix),
                x + 18,
                y + 9,
                label,
            )
        )
        x += 18 + 9 + len(str(label)) * 6.4
    return mark_safe("".join(items))


def sheet_chart(sheet):
    """The SVG (safe HTML) of a sheet's answers per level and respondent; `sheet` is a
    `reports.data.sheet_data` dict."""
    prefix = f"chart-{sheet['id']}"
    # The bars give way to the longest counts in words (some languages' words are long).
    longest = max((len(_counts_text(c)) for level in sheet["levels"] for c in level["summary"]), default=0)
    bar_width = max(150, min(BAR_WIDTH, WIDTH - BAR_X - 10 - longest * COUNTS_CHAR))
    body = []
    y = 4
    for level in sheet["levels"]:
        y += HEADING - 6
        body.append(format_html('<text x="0" y="{}" font-weight="bold">{}</text>', y, level["heading"]))
        y += 6
        for counts in level["summary"]:
            body.append(
                format_html('<text x="8" y="{}">{}</text>', y + BAR_HEIGHT - 3, _truncate(counts["respondent"]))
            )
            body.append(_bar(prefix, BAR_X, y, counts, bar_width))
            body.append(
                format_html(
                    '<text x="{}" y="{}">{}</text>', BAR_X + bar_width + 10, y + BAR_HEIGHT - 3, _counts_text(counts)
                )
            )
            y += ROW
    y += 8
    legend = _legend(prefix, y)
    height = y + LEGEND - 14
    title = gettext("Answers per level – %(type)s, %(city)s %(round)s") % {
        "type": sheet["stakeholder_type"],
        "city": sheet["city"],
        "round": sheet["round"],
    }
    return svg("sheet-chart", prefix, title, describe(sheet), height, _defs(prefix), [*body, legend])


def svg(css_class, prefix, title, desc, height, defs, parts, font_size=11):
    """A chart of the site, WIDTH wide: `<title>` and `<desc>` for anyone who cannot see it (ids
    from `prefix`, unique on the page), `defs` (its patterns), then its `parts`."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{font}" font-size="{size}" fill="#000">'
        '<title id="{prefix}-title">{title}</title><desc id="{prefix}-desc">{desc}</desc>{defs}{body}</svg>',
        css_class=css_class,
        width=WIDTH,
        height=height,
        prefix=prefix,
        font=FONT,
        size=font_size,
        title=title,
        desc=desc,
        defs=defs,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )
