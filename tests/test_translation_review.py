"""Draft translations of the checklists come unreviewed, and a person confirms them in the admin."""

from django.urls import reverse

from translations.models import StatementTranslation


def test_draft_translations_are_listed_and_confirmed_in_the_admin(superuser_client, reference_data):
    drafts = StatementTranslation.objects.filter(language="fr")[:3]
    StatementTranslation.objects.filter(reviewed=False).exclude(pk__in=[d.pk for d in drafts]).update(reviewed=True)
    url = reverse("admin:translations_statementtranslation_changelist")

    listed = superuser_client.get(url, {"reviewed__exact": "0"}).content.decode()
    assert "3 statement translations" in listed

    response = superuser_client.post(
        url,
        {
            "action": "mark_reviewed",
            "_selected_action": [d.pk for d in drafts],
        },
        follow=True,
    )
    assert "3 translation(s) marked as reviewed." in response.content.decode()
    assert not StatementTranslation.objects.filter(reviewed=False).exists()


def test_a_translation_typed_by_a_person_counts_as_reviewed(reference_data):
    translation = StatementTranslation.objects.filter(language="it").first()
    StatementTranslation.objects.filter(statement=translation.statement, language="fr").delete()
    translation.pk = None
    translation.language = "fr"
    translation.save()
    assert translation.reviewed
