"""Footnote numbers are derived in reading order: header notes, then statement by statement,
column by column."""

from assessments.sheet_table import build_sheet_table
from tests.factories import answer, make_checklist, make_sheet


def numbers(table):
    return [(f.number, f.text) for f in table.footnotes]


def test_a_sheet_without_notes_has_no_footnotes(turin, reference_data):
    sheet = make_sheet(turin, make_checklist())
    answer(sheet, 1, 1, 0, "yes")
    assert build_sheet_table(sheet).footnotes == []


def test_annotations_are_numbered_in_statement_order_not_creation_order(turin, reference_data):
    sheet = make_sheet(turin, make_checklist())
    answer(sheet, 3, 1, 0, "no", "advanced note")
    answer(sheet, 1, 2, 0, "yes", "basic note")
    answer(sheet, 2, 1, 0, "nd", "intermediate note")
    assert numbers(build_sheet_table(sheet)) == [(1, "basic note"), (2, "intermediate note"), (3, "advanced note")]


def test_header_notes_come_first_then_columns_left_to_right(turin, reference_data):
    sheet = make_sheet(turin, make_checklist(), respondents=[("Left", ""), ("Right", "Right's full name")])
    answer(sheet, 1, 1, 1, "no", "right says no")
    answer(sheet, 1, 1, 0, "yes", "left says yes")
    answer(sheet, 1, 2, 0, "no", "left again")
    table = build_sheet_table(sheet)
    assert numbers(table) == [(1, "Right's full name"), (2, "left says yes"), (3, "right says no"), (4, "left again")]
    assert [c.footnote for c in table.columns] == [None, 1]
    first = table.levels[0].rows[0]
    assert [c.footnote for c in first.cells] == [2, 3]


def test_whitespace_only_notes_get_no_number(turin, reference_data):
    sheet = make_sheet(turin, make_checklist(), respondents=[("A", "   ")])
    answer(sheet, 1, 1, 0, "yes", " \n ")
    answer(sheet, 1, 2, 0, "yes", "real")
    assert numbers(build_sheet_table(sheet)) == [(1, "real")]


def test_reordering_columns_renumbers_footnotes(turin, reference_data):
    sheet = make_sheet(turin, make_checklist(), respondents=["A", "B"])
    answer(sheet, 1, 1, 0, "yes", "from A")
    answer(sheet, 1, 1, 1, "yes", "from B")
    a, b = sheet.respondents.order_by("position")
    a.position, b.position = 2, 1
    a.save()
    b.save()
    assert numbers(build_sheet_table(sheet)) == [(1, "from B"), (2, "from A")]


def test_a_note_on_an_unanswered_cell_is_still_a_footnote(turin, reference_data):
    sheet = make_sheet(turin, make_checklist())
    answer(sheet, 1, 1, 0, "", "to be checked")
    table = build_sheet_table(sheet)
    assert numbers(table) == [(1, "to be checked")]
    assert table.progress() == (0, 6)


def test_progress_counts_answered_cells_per_level(turin, reference_data):
    sheet = make_sheet(turin, make_checklist(statements_per_level=(2, 3, 1)), respondents=["A", "B"])
    answer(sheet, 1, 1, 0, "yes")
    answer(sheet, 1, 1, 1, "nd")
    answer(sheet, 2, 3, 1, "no")
    table = build_sheet_table(sheet)
    assert table.progress() == (3, 12)
    assert [(level.number, done, total) for level, done, total in table.progress_by_level()] == [
        (1, 2, 4),
        (2, 1, 6),
        (3, 0, 2),
    ]


def test_layout_takes_the_same_number_of_queries_for_any_size(turin, reference_data, django_assert_max_num_queries):
    small = make_sheet(turin, make_checklist(version="s", statements_per_level=(3, 3, 4)), respondents=["A"])
    big = make_sheet(turin, make_checklist(version="b", statements_per_level=(60, 70, 70)), respondents=["A", "B", "C"])
    for sheet in (small, big):
        with django_assert_max_num_queries(5):
            build_sheet_table(sheet)
