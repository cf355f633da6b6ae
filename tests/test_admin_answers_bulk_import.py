"""The admin's answers import writes in bulk, yet each changed answer is still a recorded change:
a new version, by the importing admin, in the history; its sheet is a new version too, so an
editor open on it sees the change."""

from assessments.models import Answer, Sheet
from tests.admin_imports import ANSWER_HEADER, CSV_FORMAT, confirm, csv_file, preview

ROWS = [
    ["milan", "2018", "chamber", "1", 3, 1, "CCI", "yes", "Now tracked."],
    ["milan", "2018", "chamber", "1", 1, 2, "CCI", "nd", "Asked again."],
]


def answer(milan, level, position):
    return Answer.objects.get(
        respondent__sheet__city=milan,
        respondent__organisation__name="CCI",
        statement__level__number=level,
        statement__position=position,
    )


def test_each_imported_answer_is_a_new_version_by_the_admin_in_the_history(superuser_client, milan, admin_user):
    before = {key: answer(milan, *key) for key in [(3, 1), (1, 2)]}
    sheet_version = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber").version
    response = preview(superuser_client, "answer", csv_file(ROWS, header=ANSWER_HEADER), CSV_FORMAT)
    assert answer(milan, 3, 1).version == before[(3, 1)].version, "the preview changed an answer"
    confirm(superuser_client, "answer", response)
    for (level, position), row in zip(before, ROWS):
        now = answer(milan, level, position)
        assert (now.value, now.note) == (row[7], row[8])
        assert now.version == before[(level, position)].version + 1
        assert now.updated_by == admin_user
        latest = now.history.order_by("-history_id").first()
        assert (latest.value, latest.note, latest.history_user) == (row[7], row[8], admin_user)
    assert Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber").version == sheet_version + 1


def test_the_editor_shows_the_imported_answer(superuser_client, milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
    editor = f"/sheets/{sheet.pk}/"
    assert "Now tracked." not in superuser_client.get(editor).content.decode()  # the grid is now cached
    confirm(
        superuser_client,
        "answer",
        preview(superuser_client, "answer", csv_file(ROWS, header=ANSWER_HEADER), CSV_FORMAT),
    )
    assert "Now tracked." in superuser_client.get(editor).content.decode()
