"""The review workflow: draft → submitted → validated, or returned; who may, and when not."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import workflow
from assessments.models import Answer, Sheet, SheetTransition
from tests.sheet_posts import cell, snapshot


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


def post(client, sheet, action, comment="", version=None):
    sheet.refresh_from_db()
    return client.post(
        reverse(f"sheets:{action}", args=[sheet.pk]),
        {
            "version": sheet.version if version is None else version,
            "comment": comment,
        },
        follow=True,
    )


def status(sheet):
    sheet.refresh_from_db()
    return sheet.status


def test_officer_submits_a_complete_sheet_and_the_transition_is_recorded(client, officer, sheet):
    client.force_login(officer)
    version = sheet.version
    response = post(client, sheet, "submit")
    assert status(sheet) == Sheet.Status.SUBMITTED
    record = SheetTransition.objects.get(sheet=sheet)
    assert (record.action, record.from_status, record.to_status, record.by) == ("submit", "draft", "submitted", officer)
    assert sheet.version == version + 1 and sheet.updated_by == officer
    html = response.content.decode()
    assert "Submitted: the sheet is now submitted." in html
    assert "Review history (1)" in html and "by olga" in html


def test_a_sheet_with_open_answers_cannot_be_submitted(client, officer, sheet):
    key = cell(sheet, 2, 3)
    Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).update(value="")
    client.force_login(officer)
    before = snapshot(sheet)
    response = post(client, sheet, "submit")
    assert "1 of 29 answers are still open" in response.content.decode()
    assert snapshot(sheet) == before and not SheetTransition.objects.exists()


def test_no_data_counts_as_answered(client, officer, sheet):
    Answer.objects.filter(respondent__sheet=sheet).update(value="nd")
    client.force_login(officer)
    post(client, sheet, "submit")
    assert status(sheet) == Sheet.Status.SUBMITTED


def test_a_sheet_without_columns_cannot_be_submitted(officer, sheet):
    sheet.respondents.all().delete()
    with pytest.raises(workflow.TransitionError, match="no respondent column"):
        workflow.transition(sheet, officer, workflow.Action.SUBMIT)


def test_admin_validates_a_submitted_sheet_which_becomes_read_only(client, officer, admin_user, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(admin_user)
    post(client, sheet, "validate")
    assert status(sheet) == Sheet.Status.VALIDATED
    client.force_login(officer)
    key = cell(sheet, 1, 1)
    before = snapshot(sheet)
    response = client.post(
        reverse("sheets:answer", args=[sheet.pk]),
        {
            "statement": key[0],
            "respondent": key[1],
            "value": "no",
            "note": "",
            "version": 1,
        },
    )
    assert response.status_code == 409 and snapshot(sheet) == before


def test_admin_returns_a_sheet_with_a_comment_that_the_officer_sees(client, officer, admin_user, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(admin_user)
    post(client, sheet, "return", comment="Statement 2.3: please add the source.")
    assert status(sheet) == Sheet.Status.DRAFT
    client.force_login(officer)
    html = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert "Returned by boss" in html and "Statement 2.3: please add the source." in html
    assert '<fieldset class="sheet-cell"' in html  # editable again


def test_returning_needs_a_comment(client, officer, admin_user, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(admin_user)
    response = post(client, sheet, "return", comment="   ")
    assert "a returned sheet needs a comment" in response.content.decode()
    assert status(sheet) == Sheet.Status.SUBMITTED


def test_admin_reopens_a_validated_sheet(client, officer, admin_user, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    workflow.transition(sheet, admin_user, workflow.Action.VALIDATE)
    client.force_login(admin_user)
    post(client, sheet, "reopen", comment="A late correction from the chamber.")
    assert status(sheet) == Sheet.Status.DRAFT
    actions = list(SheetTransition.objects.filter(sheet=sheet).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["submit", "validate", "reopen"]


@pytest.mark.parametrize(
    "action,prepare,message",
    [
        ("validate", None, "only a submitted sheet can be validated"),
        ("return", None, "only a submitted sheet can be returned"),
        ("reopen", "submit", "only a validated sheet can be reopened"),
        ("submit", "submit", "only a draft sheet can be submitted"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(client, officer, admin_user, sheet, action, prepare, message):
    if prepare:
        workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(admin_user)
    before = snapshot(sheet)
    response = post(client, sheet, action, comment="Because.")
    assert message in response.content.decode()
    assert snapshot(sheet) == before


@pytest.mark.parametrize("action", ["validate", "return", "reopen"])
def test_only_staff_validate_return_and_reopen(officer, coordinator, sheet, action):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    for user in (officer, coordinator):
        with pytest.raises(PermissionDenied):
            workflow.transition(sheet, user, action, comment="x")


def test_coordinator_cannot_submit(coordinator, sheet):
    with pytest.raises(PermissionDenied):
        workflow.transition(sheet, coordinator, workflow.Action.SUBMIT)


def test_a_transition_from_a_stale_page_is_refused(client, officer, sheet):
    client.force_login(officer)
    before = snapshot(sheet)
    response = post(client, sheet, "submit", version=sheet.version - 1 if sheet.version > 1 else 999)
    assert "The sheet changed after you opened it" in response.content.decode()
    assert snapshot(sheet) == before


def test_unknown_action_is_refused(officer, sheet):
    with pytest.raises(workflow.TransitionError):
        workflow.transition(sheet, officer, "publish")


def test_buttons_offered_follow_role_and_status(client, officer, coordinator, admin_user, sheet):
    def buttons(user):
        client.force_login(user)
        html = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
        return [
            label
            for label in ("Submit for validation", "Validate", "Return to the officer", "Reopen for editing")
            if f">{label}</button>" in html
        ]

    assert buttons(officer) == ["Submit for validation"]
    assert buttons(coordinator) == []
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    assert buttons(officer) == []
    assert buttons(admin_user) == ["Validate", "Return to the officer"]
    workflow.transition(sheet, admin_user, workflow.Action.VALIDATE)
    assert buttons(admin_user) == ["Reopen for editing"]
