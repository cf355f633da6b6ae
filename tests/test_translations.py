"""Checklist texts carry translations; the original shows wherever one is missing."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils import translation

from assessments.models import Checklist, Level, Statement, Topic
from translations.lookup import translated
from translations.models import StatementTranslation


def statements():
    return Statement.objects.prefetch_related("translations").order_by("id")


def test_every_milan_checklist_statement_has_an_italian_translation(milan):
    assert StatementTranslation.objects.filter(language="it").count() == Statement.objects.count() == 76
    first = statements().get(level__checklist__stakeholder_type__slug="municipality", level__number=1, position=1)
    assert translated(first, "text", "it") == "Il Comune dispone di dati di base sugli imprenditori immigrati."


def test_levels_outcomes_and_topics_are_translated_into_italian(milan):
    level = Level.objects.prefetch_related("translations").get(checklist__stakeholder_type__slug="chamber", number=1)
    assert translated(level, "name", "it") == "Gettare le basi"
    checklist = Checklist.objects.prefetch_related("translations").get(stakeholder_type__slug="chamber")
    assert translated(checklist, "outcome", "it").startswith("L")
    assert translated(checklist, "outcome", "it") != checklist.outcome
    topic = Topic.objects.prefetch_related("translations").get(slug="access-to-finance")
    assert translated(topic, "name", "it") != topic.name


def test_a_missing_translation_shows_the_original(milan):
    statement = statements().first()
    StatementTranslation.objects.filter(statement=statement, language="de").delete()
    statement = statements().first()
    assert translated(statement, "text", "de") == statement.text
    assert translated(statement, "text", "en") == statement.text


def test_the_active_language_is_used_by_default(milan):
    statement = statements().first()
    with translation.override("it"):
        assert translated(statement, "text") == "Il Comune dispone di dati di base sugli imprenditori immigrati."
    with translation.override("fr"):
        assert translated(statement, "text") == "La commune dispose de données de base sur les entrepreneurs immigrés."


def test_the_template_filter_reads_the_readers_language(milan):
    from django.template import Context, Template

    statement = statements().first()
    template = Template('{% load translated %}{{ s|translated:"text" }}')
    with translation.override("it"):
        assert (
            template.render(Context({"s": statement}))
            == "Il Comune dispone di dati di base sugli imprenditori immigrati."
        )


def test_reading_translations_of_many_statements_takes_two_queries(milan, django_assert_num_queries):
    with django_assert_num_queries(2):
        texts = [translated(s, "text", "it") for s in statements()]
    assert len(texts) == 76


def test_translations_are_edited_inline_in_the_admin(client, admin_user, milan):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    statement = Statement.objects.order_by("id").first()
    html = client.get(reverse("admin:assessments_statement_change", args=[statement.pk])).content.decode()
    assert "Il Comune dispone di dati di base sugli imprenditori immigrati." in html


@pytest.mark.parametrize("language", ["it", "fr", "de", "es"])
def test_the_language_switcher_remembers_the_choice(client, officer, language):
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == language


GUIDANCE_LANGUAGES = ["it", "fr", "de", "es"]


@pytest.mark.parametrize("language", GUIDANCE_LANGUAGES)
def test_every_guidance_text_is_translated_as_a_draft(milan, language):
    """Each interface language has the whole OECD module: statements, paragraphs, lists, actions."""
    from guidance.models import GuidanceBlock, GuidanceStatement, RecommendedAction

    for model in (GuidanceStatement, GuidanceBlock, RecommendedAction):
        translations = model.translations.rel.related_model.objects.filter(language=language)
        assert translations.count() == model.objects.count() > 0, model.__name__
        assert not translations.filter(reviewed=True).exists(), "machine drafts wait for a reader's review"
    for block in GuidanceBlock.objects.filter(kind=GuidanceBlock.Kind.LIST).prefetch_related("translations"):
        assert len(translated(block, "items", language)) == len(block.items), f"list {block} lost an item"


@pytest.mark.parametrize("language", GUIDANCE_LANGUAGES)
def test_a_guidance_page_reads_in_the_readers_language(client, officer, language):
    from guidance.models import GuidanceStatement

    statement = GuidanceStatement.objects.prefetch_related(
        "translations", "blocks__translations", "actions__translations"
    ).get(number="6.1")
    block = statement.blocks.filter(kind="paragraph").first()
    action = statement.actions.first()
    client.force_login(officer)
    page = client.get(statement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for original, text in [
        (statement.text, translated(statement, "text", language)),
        (block.text, translated(block, "text", language)),
        (action.text, translated(action, "text", language)),
    ]:
        assert text != original
        assert escape(text) in page
        assert escape(original) not in page


def test_a_missing_guidance_translation_shows_the_original(client, officer):
    from guidance.models import GuidanceStatement

    statement = GuidanceStatement.objects.get(number="6.4")
    action = statement.actions.order_by("position").first()
    action.translations.filter(language="it").delete()
    client.force_login(officer)
    url = statement.get_absolute_url()
    italian = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert escape(translated(statement, "text", "it")) in italian
    assert escape(action.text) in italian, "an untranslated text shows the original"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape(statement.text) in english


def test_guidance_translations_are_edited_inline_in_the_admin(client, admin_user, milan):
    from guidance.models import GuidanceStatement

    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    statement = GuidanceStatement.objects.get(number="6.1")
    html = client.get(reverse("admin:guidance_guidancestatement_change", args=[statement.pk])).content.decode()
    assert "guidance statement translation" in html.lower()


@pytest.mark.parametrize(
    "language, statement, level",
    [
        ("fr", "La commune dispose de données de base sur les entrepreneurs immigrés.", "Poser les bases"),
        (
            "de",
            "Die Kommune verfügt über Basisdaten zu Unternehmerinnen und Unternehmern mit Migrationshintergrund.",
            "Grundlagen schaffen",
        ),
        ("es", "El Ayuntamiento dispone de datos básicos sobre los emprendedores inmigrantes.", "Sentar las bases"),
    ],
)
def test_the_checklists_read_in_french_german_and_spanish(client, officer, language, statement, level):
    """Every interface language has the checklists' texts, as drafts until a person reviews them."""
    assert StatementTranslation.objects.filter(language=language, reviewed=False).count() == 76
    sheet = officer.assignments.get().city.sheets.get(checklist__stakeholder_type__slug="municipality")
    client.force_login(officer)
    page = client.get(reverse("sheets:edit", args=[sheet.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert statement in page
    assert level in page
    assert "The municipality has baseline data" not in page
