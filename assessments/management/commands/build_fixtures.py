"""Regenerate the loaddata fixtures from the hand-made transcriptions in fixtures/source/.

The transcriptions are what a person reads and corrects against the seed; the fixtures are
what `loaddata` and `seed_demo` load. Run this after editing a transcription; a test fails
when the two disagree.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import BaseCommand, call_command
from django.db import transaction

from assessments.exchange import import_city
from assessments.models import Answer, CityReport, Conclusion, Respondent, Sheet
from stakeholders.models import Organisation

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LEVEL_NAMES = {1: "Laying the foundations", 2: "Expanding the work", 3: "Making the work normal practice"}
# Fixture rows carry no `updated_at`, so the round's date is the date of their data (the cover's
# "data as of"). The seed names only its year: the round is published at that year's end.
MILAN_ROUND_DATES = {"publishes_on": date(2018, 12, 31)}


class _Rollback(Exception):
    pass


def checklist_fixture(source):
    """Fixture rows (natural keys, no pks) for the checklists of a checklists.json transcription."""
    rows = []
    for checklist in source["checklists"]:
        key = [checklist["stakeholder_type"], checklist["version"]]
        rows.append(
            {
                "model": "assessments.checklist",
                "fields": {"stakeholder_type": [key[0]], "version": key[1], "outcome": checklist["outcome"]},
            }
        )
        for level in checklist["levels"]:
            rows.append(
                {
                    "model": "assessments.level",
                    "fields": {
                        "checklist": key,
                        "number": level["number"],
                        "name": LEVEL_NAMES[level["number"]],
                        "description": level["description"],
                    },
                }
            )
            for position, statement in enumerate(level["statements"], start=1):
                rows.append(
                    {
                        "model": "assessments.statement",
                        "fields": {
                            "level": key + [level["number"]],
                            "position": position,
                            "text": statement["text"],
                            "topics": [[slug] for slug in statement["topics"]],
                        },
                    }
                )
    return rows


def translation_fixture(source, translation):
    """Fixture rows for a checklists-<lang>.json transcription, checked against the original."""
    language = translation["language"]
    rows = [
        {
            "model": "translations.topictranslation",
            "fields": {"topic": [t["slug"]], "language": language, "name": t["name"], "description": t["description"]},
        }
        for t in translation["topics"]
    ]
    for original, checklist in zip(source["checklists"], translation["checklists"], strict=True):
        key = [checklist["stakeholder_type"], checklist["version"]]
        assert key == [original["stakeholder_type"], original["version"]], key
        assert checklist["outcome"]["en"] == original["outcome"], key
        rows.append(
            {
                "model": "translations.checklisttranslation",
                "fields": {"checklist": key, "language": language, "outcome": checklist["outcome"][language]},
            }
        )
        for level_original, level in zip(original["levels"], checklist["levels"], strict=True):
            number = level["number"]
            assert level["description"]["en"] == level_original["description"], (key, number)
            rows.append(
                {
                    "model": "translations.leveltranslation",
                    "fields": {
                        "level": key + [number],
                        "language": language,
                        "name": translation["level_names"][str(number)],
                        "description": level["description"][language],
                    },
                }
            )
            pairs = zip(level_original["statements"], level["statements"], strict=True)
            for position, (statement_original, statement) in enumerate(pairs, start=1):
                assert statement["en"] == statement_original["text"], (key, number, position)
                rows.append(
                    {
                        "model": "translations.statementtranslation",
                        "fields": {
                            "statement": key + [number, position],
                            "language": language,
                            "text": statement[language],
                        },
                    }
                )
    return rows


def write(name, rows):
    path = FIXTURES / name
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


class Command(BaseCommand):
    help = "Regenerate fixtures/checklists.json and fixtures/milan-2018.json from fixtures/source/."

    def handle(self, *args, **options):
        source = json.loads((FIXTURES / "source" / "checklists.json").read_text(encoding="utf-8"))
        self.stdout.write(f"wrote {write('checklists.json', checklist_fixture(source))}")
        for path in sorted((FIXTURES / "source").glob("checklists-*.json")):
            translation = json.loads(path.read_text(encoding="utf-8"))
            name = f"checklists-{translation['language']}.json"
            self.stdout.write(f"wrote {write(name, translation_fixture(source, translation))}")

        milan = json.loads((FIXTURES / "source" / "milan-2018.json").read_text(encoding="utf-8"))
        try:
            with transaction.atomic():
                call_command("loaddata", "stakeholder_types", "topics", "checklists", verbosity=0)
                city, round = import_city(milan)
                for field, value in MILAN_ROUND_DATES.items():
                    setattr(round, field, value)
                round.save()
                objects = [city, round, *Organisation.objects.filter(city=city)]
                objects += list(CityReport.objects.filter(city=city, round=round))
                objects += list(Conclusion.objects.filter(report__city=city, report__round=round))
                sheets = Sheet.objects.filter(city=city, round=round)
                objects += list(sheets)
                objects += list(Respondent.objects.filter(sheet__in=sheets))
                objects += list(Answer.objects.filter(respondent__sheet__in=sheets))
                text = serializers.serialize(
                    "json",
                    objects,
                    indent=2,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                    fields=None,
                )
                rows = json.loads(text)
                for row in rows:
                    # Audit fields say who did what on this installation; a fixture has no such person.
                    for field in ("updated_at", "updated_by"):
                        row["fields"].pop(field, None)
                self.stdout.write(f"wrote {write('milan-2018.json', rows)}")
                raise _Rollback
        except _Rollback:
            pass
