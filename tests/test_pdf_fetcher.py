"""WeasyPrint may load the app's own static files and nothing else: text in a report can never make
the server fetch a URL or read a file, and hostile texts print as text."""

import re
import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import pdf
from assessments.models import Answer, CityReport, Conclusion, Sheet

STATIC = pdf.BASE_URL + "static/"
HOSTILE = [
    '<img src="http://attacker.example/pixel.png">',
    '<link rel="stylesheet" href="http://attacker.example/evil.css">',
    "<style>@import url(http://attacker.example/import.css);</style>",
    "file:///etc/passwd",
    '<object data="file:///etc/passwd"></object>',
    "body { background: url(http://attacker.example/bg.png) }",
    '<svg><image href="http://attacker.example/svg.png"/></svg>',
    "<script>alert('x')</script> & <b>bold</b>",
]
HOSTILE_TEXT = "\n\n".join(HOSTILE)


def squash(text):
    return re.sub(r"[\s\-\u00ad]+", "", text)


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")


@pytest.fixture
def recorded_fetchers(monkeypatch):
    """Every StaticFetcher the PDF code creates, to look at what WeasyPrint asked for."""
    fetchers = []

    class Recording(pdf.StaticFetcher):
        def __init__(self):
            super().__init__()
            fetchers.append(self)

    monkeypatch.setattr(pdf, "StaticFetcher", Recording)
    cache.clear()
    return fetchers


@pytest.mark.parametrize("path", ["css/print.css", "fonts/DejaVuSans.ttf", "fonts/DejaVuSerif-Italic.ttf"])
def test_the_fetcher_serves_the_apps_static_files(path):
    fetcher = pdf.StaticFetcher()
    response = fetcher.fetch(STATIC + path)
    assert response.read()[:4] in (b"/* T", b"\x00\x01\x00\x00")
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.example/pixel.png",
        "https://attacker.example/font.ttf",
        "file:///etc/passwd",
        "file:///work/main/static/css/print.css",
        "data:text/css,body{}",
        "ftp://attacker.example/x.css",
        STATIC + "../../etc/passwd",
        STATIC + "%2e%2e/%2e%2e/etc/passwd",
        STATIC + "css/../../mega/settings.py",
        STATIC + "/etc/passwd",
        STATIC + "vendor/bootstrap/../../../manage.py",
        STATIC + "css/missing.css",
        STATIC + "js/app.js",
        pdf.BASE_URL + "admin/",
        "http://mega-benchmark.invalid.attacker.example/static/css/print.css",
    ],
)
def test_the_fetcher_refuses_and_records_everything_else(url):
    fetcher = pdf.StaticFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_html_that_asks_for_other_urls_renders_without_them():
    html = (
        '<html><head><link rel="stylesheet" href="http://attacker.example/a.css">'
        "<style>@import url(file:///etc/passwd); p { background: url(http://attacker.example/b.png) }</style>"
        '</head><body><p>Hello</p><img src="http://attacker.example/c.png"><img src="file:///etc/passwd">'
        "</body></html>"
    )
    fetcher = pdf.StaticFetcher()
    content = pdf.render_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF-") and "Hello" in pdf_text(content)
    assert set(fetcher.refused) == {
        "http://attacker.example/a.css",
        "file:///etc/passwd",
        "http://attacker.example/b.png",
        "http://attacker.example/c.png",
    }


def hostile_milan(milan):
    report = CityReport.objects.get(city=milan, round__name="2018")
    report.national_context = HOSTILE_TEXT
    report.city_observations = HOSTILE_TEXT
    report.save()
    Conclusion.objects.filter(report=report, kind=Conclusion.Kind.SHARE, position=1).update(text=HOSTILE[0])
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    respondent = sheet.respondents.get()
    respondent.note = HOSTILE[2]
    respondent.save()
    respondent.organisation.name = HOSTILE[3]
    respondent.organisation.save()
    Answer.objects.filter(respondent=respondent, statement__level__number=1, statement__position=1).update(
        note=HOSTILE[1]
    )
    return report, sheet


def test_hostile_report_texts_print_as_text_and_fetch_nothing(milan, coordinator, client, recorded_fetchers):
    hostile_milan(milan)
    client.force_login(coordinator)
    response = client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    text = squash(pdf_text(response.content))
    for snippet in HOSTILE:
        assert squash(snippet) in text, snippet
    (fetcher,) = recorded_fetchers
    assert fetcher.refused == []
    assert fetcher.requested and all(url.startswith(STATIC) for url in fetcher.requested)
    assert not [url for url in fetcher.requested if "attacker" in url or "passwd" in url]


def test_hostile_texts_are_escaped_in_the_pdfs_html(milan):
    report, sheet = hostile_milan(milan)
    html = pdf.report_html(report.city, report.round, report) + pdf.sheet_html(sheet)
    assert "attacker.example" in html
    assert "<img src=" not in html and '<link rel="stylesheet" href="http' not in html
    assert "<script>" not in html and "<object" not in html and "<style>@import" not in html
    assert "&lt;img src=&quot;http://attacker.example/pixel.png&quot;&gt;" in html


def test_a_hostile_sheet_pdf_fetches_nothing_either(milan, coordinator, client, recorded_fetchers):
    _, sheet = hostile_milan(milan)
    client.force_login(coordinator)
    response = client.get(reverse("reports:sheet_pdf", args=[sheet.pk]))
    assert response.status_code == 200
    assert squash(HOSTILE[2]) in squash(pdf_text(response.content))
    (fetcher,) = recorded_fetchers
    assert fetcher.refused == [] and all(url.startswith(STATIC) for url in fetcher.requested)
