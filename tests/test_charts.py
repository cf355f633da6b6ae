"""The per-sheet chart: inline SVG drawn on the server, readable in black and white, with text."""

import xml.etree.ElementTree as ET

from reports.charts import BAR_WIDTH, describe, sheet_chart

SVG = "{http://www.w3.org/2000/svg}"


def level(number, heading, *summaries):
    return {
        "number": number,
        "heading": heading,
        "summary": [
            {"respondent": name, "yes": yes, "no": no, "nd": nd, "open": open_, "total": yes + no + nd + open_}
            for name, yes, no, nd, open_ in summaries
        ],
    }


def sheet(*levels, id=7):
    return {"id": id, "stakeholder_type": "Municipality", "city": "Milan", "round": "2018", "levels": list(levels)}


def parse(svg):
    return ET.fromstring(str(svg))


def test_the_chart_is_valid_svg_with_a_title_and_a_description():
    svg = parse(sheet_chart(sheet(level(1, "1. Laying the foundations", ("Municipality of Milan", 3, 3, 0, 0)))))
    assert svg.tag == SVG + "svg" and svg.get("role") == "img"
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert title.text == "Answers per level – Municipality, Milan 2018"
    assert desc.text == (
        "1. Laying the foundations, Municipality of Milan: 3 yes, 3 no, 0 no data, 0 not answered, of 6 statements."
    )
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_each_bar_is_split_by_share_and_told_apart_by_pattern_not_only_colour():
    svg = parse(sheet_chart(sheet(level(2, "2. Expanding the work", ("A", 2, 1, 1, 0)))))
    patterns = {p.get("id") for p in svg.iter(SVG + "pattern")}
    assert patterns == {"chart-7-no", "chart-7-nd"}
    parts = [r for r in svg.iter(SVG + "rect") if r.find(SVG + "title") is not None]
    assert [(r.find(SVG + "title").text, r.get("fill")) for r in parts] == [
        ("2 yes", "#1f4e79"),
        ("1 no", "url(#chart-7-no)"),
        ("1 no data", "url(#chart-7-nd)"),
    ]
    widths = [float(r.get("width")) for r in parts]
    assert widths == [BAR_WIDTH / 2, BAR_WIDTH / 4, BAR_WIDTH / 4]


def test_counts_are_written_beside_every_bar_so_the_chart_reads_without_colour():
    svg = parse(
        sheet_chart(
            sheet(
                level(1, "1. Laying the foundations", ("Mille Soleils", 3, 1, 0, 0), ("Sunugal", 2, 1, 0, 1)),
            )
        )
    )
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "3 yes · 1 no · 0 no data" in texts
    assert "2 yes · 1 no · 0 no data · 1 not answered" in texts
    assert {"yes", "no", "no data", "not answered"} <= set(texts)  # the legend


def test_names_are_escaped_and_long_ones_shortened():
    hostile = "<script>alert(1)</script> & a very long organisation name indeed"
    svg = str(sheet_chart(sheet(level(1, "1. Laying the foundations", (hostile, 1, 0, 0, 0)))))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parsed = parse(svg)
    labels = [t.text for t in parsed.iter(SVG + "text")]
    assert any(label.endswith("…") and len(label) <= 30 for label in labels)
    assert hostile in parsed.find(SVG + "desc").text


def test_a_level_without_statements_draws_an_empty_bar():
    svg = parse(sheet_chart(sheet(level(3, "3. Making the work normal practice", ("A", 0, 0, 0, 0)))))
    assert [r for r in svg.iter(SVG + "rect") if r.find(SVG + "title") is not None] == []
    assert "of 0 statements" in svg.find(SVG + "desc").text


def test_two_charts_in_one_report_do_not_share_pattern_ids():
    first = parse(sheet_chart(sheet(level(1, "1", ("A", 1, 1, 0, 0)), id=1)))
    second = parse(sheet_chart(sheet(level(1, "1", ("A", 1, 1, 0, 0)), id=2)))
    ids = lambda svg: {e.get("id") for e in svg.iter() if e.get("id")}  # noqa: E731
    assert not ids(first) & ids(second)


def test_describe_lists_every_level_and_respondent():
    data = sheet(level(1, "1. L", ("A", 1, 0, 0, 0), ("B", 0, 1, 0, 0)), level(2, "2. E", ("A", 0, 0, 1, 0)))
    assert describe(data).count("statements.") == 3


def test_the_milan_sheets_have_a_chart(milan):
    from assessments.models import Sheet
    from reports.data import sheet_data

    sheet_obj = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    svg = parse(sheet_data(sheet_obj)["chart"])
    desc = svg.find(SVG + "desc").text
    assert "2. Expanding the work, Sunugal: 2 yes, 3 no, 1 no data, 0 not answered, of 6 statements." in desc


def test_the_chart_speaks_the_readers_language(milan):
    from django.utils import translation

    from reports.data import sheet_data
    from assessments.models import Sheet

    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    with translation.override("it"):
        svg = str(sheet_data(sheet)["chart"])
        expected = [translation.pgettext("answer", word) for word in ("yes", "no data", "not answered")]
        title = translation.gettext("Answers per level – %(type)s, %(city)s %(round)s")
    for word in expected:
        assert f">{word}</text>" in svg  # the legend
    assert "sì" in svg and ">yes</text>" not in svg
    assert title.split("%")[0] in svg
