"""The guidance in the admin: editable, and importable and exportable as spreadsheets."""

import pytest
import tablib
from django.urls import reverse

from guidance.models import GuidanceBlock, GuidanceStatement, RecommendedAction, StatementLink
from guidance.resources import GuidanceBlockResource, GuidanceStatementResource, RecommendedActionResource

pytestmark = pytest.mark.django_db


def test_statements_export_with_numbers_and_topic_slugs(milan):
    dataset = GuidanceStatementResource().export()
    assert dataset.headers == ["module", "number", "position", "text", "summary", "actions_intro", "topics"]
    rows = {row[1]: row for row in dataset}
    assert rows["6.3"][0] == "6"
    assert set(rows["6.3"][6].split(",")) == {
        "cooperation-between-actors",
        "visibility-of-support",
        "language-cultural-sensitivity",
    }


def test_exporting_and_importing_again_changes_nothing(milan):
    for resource in (GuidanceStatementResource(), GuidanceBlockResource(), RecommendedActionResource()):
        dataset = resource.export()
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert (GuidanceStatement.objects.count(), GuidanceBlock.objects.count(), RecommendedAction.objects.count()) == (
        6,
        40,
        23,
    )


def test_list_items_are_one_per_line_in_a_spreadsheet(milan):
    dataset = GuidanceBlockResource().export()
    row = next(r for r in dataset.dict if r["statement"] == "6.6" and str(r["position"]) == "6")
    assert row["kind"] == "list" and row["items"].split("\n")[0] == "Evaluation should lead to policy change;"
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([row[h] for h in dataset.headers[:-1]] + [row["items"] + "\nA seventh principle."])
    GuidanceBlockResource().import_data(changed, dry_run=False, raise_errors=True)
    assert GuidanceBlock.objects.get(statement__number="6.6", position=6).items[-1] == "A seventh principle."


def test_an_action_row_can_add_an_action(milan):
    dataset = tablib.Dataset(headers=["statement", "position", "text"])
    dataset.append(["6.4", 3, "Invite support programme managers to network events."])
    result = RecommendedActionResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert GuidanceStatement.objects.get(number="6.4").actions.count() == 3


def test_bad_rows_are_refused_and_nothing_is_imported(milan):
    dataset = tablib.Dataset(headers=["statement", "position", "kind", "ordered", "text", "items"])
    dataset.append(["6.1", 99, "paragraph", "0", "A new paragraph.", ""])
    dataset.append(["6.1", 100, "list", "0", "", ""])  # a list without items
    dataset.append(["6.1", 101, "poem", "0", "Roses.", ""])  # no such kind
    result = GuidanceBlockResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    assert len(result.invalid_rows) == 2
    assert not GuidanceBlock.objects.filter(statement__number="6.1", position__gte=99).exists()


def test_unknown_topic_is_an_error(milan):
    dataset = GuidanceStatementResource().export()
    row = list(dataset[0])
    row[6] = "networking,no-such-topic"
    bad = tablib.Dataset(row, headers=dataset.headers)
    result = GuidanceStatementResource().import_data(bad, dry_run=True)
    assert result.has_errors() or result.has_validation_errors()


def test_the_admin_pages_open(superuser_client, milan):
    statement = GuidanceStatement.objects.get(number="6.2")
    for url in [
        reverse("admin:guidance_guidancestatement_changelist"),
        reverse("admin:guidance_guidancestatement_change", args=[statement.pk]),
        reverse("admin:guidance_guidancestatement_import"),
        reverse("admin:guidance_recommendedaction_changelist"),
        reverse("admin:guidance_guidanceblock_changelist"),
        reverse("admin:guidance_statementlink_add"),
        reverse("admin:guidance_selfassessment_changelist"),
        reverse("admin:guidance_guidancemodule_changelist"),
    ]:
        assert superuser_client.get(url).status_code == 200, url


def test_the_admin_exports_statements_as_csv(superuser_client, milan):
    response = superuser_client.post(
        reverse("admin:guidance_guidancestatement_export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": [],
            **{
                f"guidancestatementresource_{f}": "on"
                for f in ["module", "number", "position", "text", "summary", "actions_intro", "topics"]
            },
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.splitlines()[0].lstrip("\ufeff") == "module,number,position,text,summary,actions_intro,topics"
    assert "Needs assessments are used to identify" in text


def test_an_admin_adds_a_link_override(superuser_client, milan):
    from assessments.models import Statement

    statement = Statement.objects.filter(topics__slug="access-to-finance").first()
    response = superuser_client.post(
        reverse("admin:guidance_statementlink_add"),
        {
            "statement": statement.pk,
            "guidance": GuidanceStatement.objects.get(number="6.3").pk,
            "kind": "add",
            "note": "Brokers connect entrepreneurs with support organisations.",
        },
    )
    assert response.status_code == 302
    assert StatementLink.objects.filter(statement=statement, kind="add").exists()
