"""The report's data, built by plain functions and checked without any template or PDF."""

from reports import data as rd
from assessments.models import Answer, CityReport, Conclusion, Sheet
from assessments.sheet_table import build_sheet_table


def milan_sheet(stakeholder_type):
    return Sheet.objects.select_related("city", "round", "checklist__stakeholder_type").get(
        city__slug="milan", round__name="2018", checklist__stakeholder_type__slug=stakeholder_type
    )


def milan_report():
    return CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")


def test_paragraphs_are_split_on_blank_lines_and_keep_single_line_breaks():
    text = "First line\nstill first.\n\n  Second.  \n \t \n\n\nThird.\r\n\r\nFourth."
    assert rd.paragraphs(text) == ["First line\nstill first.", "Second.", "Third.", "Fourth."]
    assert rd.paragraphs("") == [] and rd.paragraphs(None) == []


def test_sheet_data_is_laid_out_like_the_seed(milan):
    data = rd.sheet_data(milan_sheet("chamber"))
    assert data["title"] == "MEGA Milan’s assessment sheet – Chamber of Commerce"
    assert data["outcome"].startswith("The ultimate goal of the chamber’s work")
    assert [level["heading"] for level in data["levels"]] == [
        "1. Laying the foundations",
        "2. Expanding the work",
        "3. Making the work normal practice",
    ]
    assert [level["checklist_heading"] for level in data["levels"]] == [
        f"Milan’s checklist at the {word} level of performance" for word in ("basic", "intermediate", "advanced")
    ]
    assert data["columns"] == [{"name": "CCI", "footnote": 1}]
    first = data["levels"][1]["rows"][0]
    assert first["text"].startswith("The chamber has at its disposal a complex set of data")
    assert first["cells"] == [{"value": "yes", "mark": "✓", "label": "yes", "footnote": 2, "respondent": "CCI"}]


def test_sheet_data_takes_every_footnote_number_from_the_sheet_table(milan):
    sheet = milan_sheet("immigrant_business_organisation")
    table = build_sheet_table(sheet)
    data = rd.sheet_data(sheet)
    assert [(f["number"], f["text"]) for f in data["footnotes"]] == [(f.number, f.text) for f in table.footnotes]
    assert [c["footnote"] for c in data["columns"]] == [c.footnote for c in table.columns]
    numbers = [cell["footnote"] for level in data["levels"] for row in level["rows"] for cell in row["cells"]]
    assert numbers == [cell.footnote for row in table.rows for cell in row.cells]


def test_level_summary_counts_each_column(milan):
    data = rd.sheet_data(milan_sheet("immigrant_business_organisation"))
    second = data["levels"][1]["summary"]
    assert [(s["respondent"], s["yes"], s["no"], s["nd"], s["open"], s["total"]) for s in second] == [
        ("Mille Soleils", 3, 3, 0, 0, 6),
        ("Sunugal", 2, 3, 1, 0, 6),
    ]


def test_an_unanswered_cell_has_no_mark_and_is_counted_open(milan):
    sheet = milan_sheet("municipality")
    Answer.objects.filter(respondent__sheet=sheet, statement__level__number=1, statement__position=1).delete()
    data = rd.sheet_data(sheet)
    assert data["levels"][0]["rows"][0]["cells"][0] == {
        "value": "",
        "mark": "",
        "label": "not answered",
        "footnote": None,
        "respondent": "Municipality of Milan",
    }
    assert data["levels"][0]["summary"][0]["open"] == 1
    assert (data["answered"], data["total"]) == (28, 29)


def test_report_data_has_cover_texts_and_conclusions(milan):
    report = milan_report()
    data = rd.report_data(report.city, report.round, report)
    assert data["title"] == "MEGA benchmarking report – Milan, 2018"
    assert data["city"] == {"slug": "milan", "name": "Milan", "country": "Italy", "is_sample": False}
    assert [line["stakeholder_type"] for line in data["statuses"]] == [
        "Municipality",
        "Chamber of Commerce",
        "Business organisations",
        "Immigrant business organisations",
    ]
    assert data["statuses"][3]["respondents"] == ["Mille Soleils", "Sunugal"]
    assert len(data["national_context"]) == 3
    assert data["city_observations"][0][0]["text"].startswith("Milan represents one of the most dynamic")
    (share_heading, share), (look_heading, look_at) = data["conclusion_lists"]
    assert share_heading == "Milan may share its experiences with regard to:"
    assert look_heading == "Milan may look at:"
    assert len(share) == 4 and len(look_at) == 3
    assert share[1] == {
        "text": "facilitating access to finance and cooperation with banks/financial institutions",
        "topics": ["Access to finance"],
        "matches": [],
    }
    assert [s["title"] for s in data["sheets"]][0] == "MEGA Milan’s assessment sheet – Municipality"


def test_every_conclusion_has_an_empty_matches_list_until_matching_fills_it(milan):
    report = milan_report()
    data = rd.report_data(report.city, report.round, report)
    assert all(c["matches"] == [] for _, items in data["conclusion_lists"] for c in items)


def test_matches_from_the_hook_are_put_under_their_conclusion(milan, monkeypatch):
    report = milan_report()
    first = report.conclusions.filter(kind=Conclusion.Kind.LOOK_AT).order_by("position").first()
    monkeypatch.setattr(rd, "conclusion_matches", lambda conclusions: {first.pk: [{"city": "Turin", "text": "x"}]})
    data = rd.report_data(report.city, report.round, report)
    assert data["may_look_at"][0]["matches"] == [{"city": "Turin", "text": "x"}]
    assert data["may_look_at"][1]["matches"] == []


def test_cover_lists_a_missing_sheet_and_the_report_is_a_draft_until_all_are_validated(milan):
    report = milan_report()
    Sheet.objects.filter(city=report.city, checklist__stakeholder_type__slug="chamber").delete()
    data = rd.report_data(report.city, report.round, report)
    chamber = data["statuses"][1]
    assert (chamber["stakeholder_type"], chamber["status_label"], chamber["respondents"]) == (
        "Chamber of Commerce",
        "No sheet",
        [],
    )
    assert not data["complete"]
    Sheet.objects.filter(city=report.city).update(status=Sheet.Status.VALIDATED)
    assert rd.report_data(report.city, report.round, report)["complete"]


def test_a_round_with_sheets_but_no_report_text(milan):
    report = milan_report()
    city, round = report.city, report.round
    report.delete()
    data = rd.report_data(city, round, None)
    assert not data["has_report"]
    assert data["national_context"] == [] and data["may_share"] == [] and len(data["sheets"]) == 4


def test_as_of_is_the_latest_change_not_today(milan):
    report = milan_report()
    CityReport.objects.filter(pk=report.pk).update(updated_at="2019-03-04T10:00:00Z")
    Sheet.objects.filter(city=report.city).update(updated_at="2019-01-01T10:00:00Z")
    Answer.objects.filter(respondent__sheet__city=report.city).update(updated_at="2019-02-01T10:00:00Z")
    report.refresh_from_db()
    assert rd.report_data(report.city, report.round, report)["as_of"].isoformat().startswith("2019-03-04")


def test_report_data_needs_a_bounded_number_of_queries(milan, django_assert_max_num_queries):
    report = milan_report()
    with django_assert_max_num_queries(40):
        rd.report_data(report.city, report.round, report)


def test_report_data_is_the_same_twice(milan):
    report = milan_report()
    assert rd.report_data(report.city, report.round, report) == rd.report_data(report.city, report.round, report)
