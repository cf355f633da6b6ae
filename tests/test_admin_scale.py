"""The admin stays usable with many cities: its list and change pages run as many queries for 500
cities as for 10, and neither lists every city in a filter or a drop-down."""

import re

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cohort import build_cohort

MODELS = [m for m in admin.site._registry if m._meta.app_label in {"assessments", "stakeholders"}]


def _cities_named(html):
    """How many different cohort cities the page names: a page of 100 rows names at most 100."""
    return len(set(re.findall(r"(?:Bulk|More) city \d{4}", html)))


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def _pages(model):
    opts = model._meta
    yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    last = model._default_manager.order_by("pk").last()
    if last is not None:
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[last.pk])
        if hasattr(model, "history"):
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[last.pk])


def test_admin_pages_are_flat_in_the_number_of_cities(superuser_client, reference_data):
    """Every list page, and the change and history pages of each model's newest object, at 10 and
    at 500 cities (built once: 500 cities take seconds)."""
    build_cohort(10, respondents=1)
    lists = [
        url
        for model in MODELS
        for url in _pages(model)
        if url.endswith("/") and "/change/" not in url and "/history/" not in url
    ]
    few = {url: _get(superuser_client, url)[0] for url in lists}
    objects = [url for model in MODELS for url in _pages(model) if url not in few]
    few_objects = max(_get(superuser_client, url)[0] for url in objects)

    build_cohort(490, prefix="more", seed=2, respondents=1)
    for url, count in few.items():
        many, html = _get(superuser_client, url)
        assert many <= count, f"{url}: {count} queries at 10 cities, {many} at 500"
        assert _cities_named(html) <= 100, f"{url} lists every city"
    for model in MODELS:
        for url in _pages(model):
            if url in few:
                continue
            many, html = _get(superuser_client, url)
            assert many <= few_objects, f"{url}: {many} queries at 500 cities, at most {few_objects} at 10"
            assert _cities_named(html) <= 100, f"{url} lists every city"


def test_a_sheets_admin_history_is_flat_in_its_number_of_records(superuser_client, milan, admin_user):
    from assessments.models import Sheet

    sheet = Sheet.objects.filter(city=milan).first()
    url = reverse("admin:assessments_sheet_history", args=[sheet.pk])
    sheet.touch(admin_user)
    few, _ = _get(superuser_client, url)
    for _ in range(30):
        sheet.touch(admin_user)
    many, html = _get(superuser_client, url)
    assert many <= few, f"{few} queries with 2 records, {many} with 32"
    assert html.count(admin_user.username) >= 30
