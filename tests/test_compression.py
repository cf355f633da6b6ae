"""Pages go out compressed to browsers that accept it: a sheet in the editor is 70 kB of HTML."""

import gzip

from django.urls import reverse


def test_the_editor_page_is_sent_gzipped(officer_client, sheet):
    url = reverse("sheets:edit", args=[sheet.pk])
    plain = officer_client.get(url)
    packed = officer_client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "Mille Soleils" in html
    assert len(packed.content) < len(plain.content) / 5
