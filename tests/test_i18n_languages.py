"""Choosing the interface language: the switcher remembers it; `?lang=xx` and `render_report --lang`
name one for a report, and an unknown code is refused."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import pdf
from assessments.models import Sheet


def milan_sheet():
    return Sheet.objects.get(city__slug="milan", round__name="2018", checklist__stakeholder_type__slug="municipality")


def test_every_page_has_the_language_switcher_posting_to_set_language(client, officer):
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="next" value="/"' in page
    for code, _ in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page


def test_the_sign_in_page_has_the_switcher_too(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="language"' in page


def test_the_chosen_language_is_remembered_in_a_cookie(client, officer):
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": "it", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="it">' in page
    assert '<option value="it" lang="it" selected>' in page
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert '<html lang="de">' in client.get(reverse("home")).content.decode()


def test_the_switcher_works_before_signing_in(client):
    client.post(reverse("set_language"), {"language": "es", "next": reverse("login")})
    assert '<html lang="es">' in client.get(reverse("login")).content.decode()


def test_lang_parameter_renders_the_report_in_that_language(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reports:city", args=["milan", "2018"]) + "?lang=it").content.decode()
    assert '<html lang="it">' in page
    assert "Il Comune dispone di dati di base sugli imprenditori immigrati." in page
    # the language of the request only: the next page is in the reader's language again
    assert '<html lang="en">' in client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()


@pytest.mark.parametrize(
    "name,args",
    [
        ("reports:city", ["milan", "2018"]),
        ("reports:city_pdf", ["milan", "2018"]),
        ("reports:sheet", None),
        ("reports:sheet_pdf", None),
    ],
)
def test_an_unknown_lang_code_is_a_bad_request(client, coordinator, fake_renders, name, args):
    client.force_login(coordinator)
    url = reverse(name, args=args or [milan_sheet().pk])
    response = client.get(url + "?lang=xx")
    assert response.status_code == 400
    assert not fake_renders


def test_the_pdf_in_another_language_is_another_document(client, coordinator, fake_renders):
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    english = client.get(url).content
    italian = client.get(url + "?lang=it").content
    assert client.get(url + "?lang=it").content == italian  # cached per language
    assert english != italian and len(fake_renders) == 2
    assert '<html lang="en">' in fake_renders[0] and '<html lang="it">' in fake_renders[1]
    assert pdf.cache_key(fake_renders[0]) != pdf.cache_key(fake_renders[1])


def test_the_sheet_pdf_takes_the_readers_language_from_the_cookie(client, coordinator, fake_renders):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    client.get(reverse("reports:sheet_pdf", args=[milan_sheet().pk]))
    assert '<html lang="it">' in fake_renders[0]
    assert "Il Comune dispone di dati di base sugli imprenditori immigrati." in fake_renders[0]


def test_render_report_lang_writes_the_report_in_that_language(milan, tmp_path, fake_renders):
    call_command(
        "render_report",
        "milan",
        "--lang",
        "it",
        "-o",
        str(tmp_path / "milan-it.pdf"),
        stderr=io.StringIO(),
        stdout=io.StringIO(),
    )
    assert (tmp_path / "milan-it.pdf").read_bytes().startswith(b"%PDF-")
    assert '<html lang="it">' in fake_renders[0]
    assert "Il Comune dispone di dati di base sugli imprenditori immigrati." in fake_renders[0]


def test_render_report_refuses_an_unknown_language(milan, tmp_path, fake_renders):
    with pytest.raises(CommandError, match="unknown language 'xx': choose one of en, it, fr, de, es"):
        call_command(
            "render_report",
            "milan",
            "--lang",
            "xx",
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=io.StringIO(),
            stdout=io.StringIO(),
        )
    assert not fake_renders and not (tmp_path / "x.pdf").exists()
