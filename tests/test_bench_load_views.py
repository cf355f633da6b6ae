"""The two views that only bench/load.sh serves (bench/load_urls.py): they measure what the sheet
editor cannot skip, so they must check permissions as the editor does, and the deployed site must
not have them."""
import pytest
from django.test import override_settings

from assessments.models import Sheet


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


def test_the_site_has_no_bench_views(client, officer, sheet):
    client.force_login(officer)
    assert client.get("/bench/signed-in/").status_code == 404
    assert client.get(f"/bench/sheet-ceiling/{sheet.pk}/").status_code == 404


@override_settings(ROOT_URLCONF="bench.load_urls")
def test_the_ceiling_is_the_editors_grid_behind_the_editors_permission_check(client, officer, other_officer, sheet):
    url = f"/bench/sheet-ceiling/{sheet.pk}/"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(other_officer)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    ceiling = client.get(url).content.decode()
    editor = client.get(f"/sheets/{sheet.pk}/").content.decode()
    assert ceiling.count('type="radio"') == editor.count('type="radio"') > 0
    assert ceiling.strip() in editor
    assert client.get("/bench/signed-in/").status_code == 200
