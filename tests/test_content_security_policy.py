"""A strict Content-Security-Policy, and no template that would need it loosened."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE = Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def our_templates():
    roots = [BASE / "templates", *BASE.glob("*/templates")]
    # E-mails are read in mail clients, not served under this policy; mail clients drop style
    # sheets, so e-mails carry their styles inline. The PDFs' documents are read by WeasyPrint only
    # (the running footer's words, in the reader's language, are a style of the document).
    return sorted(
        p
        for root in roots
        for p in root.rglob("*.html")
        if "email" not in p.parent.parts and not p.name.endswith(("_pdf.html", "pdf_base.html"))
    )


def test_every_page_sends_a_strict_policy(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("template", our_templates(), ids=lambda p: str(p.relative_to(BASE)))
def test_no_template_has_inline_script_style_or_event_handlers(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to static/js and pass data in data-* attributes"
    assert not INLINE_STYLE.search(text), "move the style to a stylesheet in static/css"
