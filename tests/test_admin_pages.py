"""Every model has a working admin, with Milan's data in it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.models import Checklist, CityReport, Sheet


def registered_models():
    return [m for m in admin.site._registry if m._meta.app_label in {"assessments", "stakeholders"}]


def test_every_domain_model_is_in_the_admin():
    names = {m.__name__ for m in registered_models()}
    assert {
        "City",
        "StakeholderType",
        "Organisation",
        "Assignment",
        "Topic",
        "Checklist",
        "Level",
        "Statement",
        "Round",
        "Sheet",
        "Respondent",
        "Answer",
        "CityReport",
        "Conclusion",
    } <= names


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_changelist_search_and_add_pages_work(superuser_client, milan, model, django_assert_max_num_queries):
    opts = model._meta
    with django_assert_max_num_queries(30):
        response = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "Milan"})
    assert response.status_code == 200
    response = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert response.status_code == 200


def test_sheet_page_shows_its_respondents(superuser_client, milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    html = superuser_client.get(reverse("admin:assessments_sheet_change", args=[sheet.pk])).content.decode()
    assert "Mille Soleils" in html and "Sunugal" in html
    assert "Cooperativa Sociale Interculturale Mille Soleils onlus" in html


def test_checklist_page_shows_levels(superuser_client, milan):
    checklist = Checklist.objects.get(stakeholder_type__slug="chamber", version="1")
    html = superuser_client.get(reverse("admin:assessments_checklist_change", args=[checklist.pk])).content.decode()
    assert "Making the work normal practice" in html


def test_report_page_shows_its_conclusions(superuser_client, milan):
    report = CityReport.objects.get(city=milan)
    html = superuser_client.get(reverse("admin:assessments_cityreport_change", args=[report.pk])).content.decode()
    assert "facilitating access to finance" in html


def test_non_staff_cannot_open_the_admin(client, officer):
    client.force_login(officer)
    response = client.get(reverse("admin:assessments_sheet_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_answer_changed_in_the_admin_gets_new_versions(superuser_client, milan, admin_user):
    from assessments.models import Answer

    answer = Answer.objects.filter(respondent__sheet__city=milan).order_by("id").first()
    sheet = answer.respondent.sheet
    before = (answer.version, sheet.version)
    response = superuser_client.post(
        reverse("admin:assessments_answer_change", args=[answer.pk]),
        {
            "respondent": answer.respondent_id,
            "statement": answer.statement_id,
            "value": "nd",
            "note": "checked",
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    sheet.refresh_from_db()
    assert answer.value == "nd" and answer.version == before[0] + 1
    assert sheet.version == before[1] + 1 and sheet.updated_by == admin_user
