"""Regenerate fixtures/oecd-module6.json from the transcription fixtures/source/oecd-module6.json.

The transcription is what a person reads and corrects against the seed (the OECD guidance note);
the fixture is what `loaddata` and `seed_demo` load, with natural keys and no database ids. Run
this after editing the transcription; a test fails when the two disagree.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SOURCE = FIXTURES / "source" / "oecd-module6.json"
TARGET = FIXTURES / "oecd-module6.json"


def guidance_fixture(source):
    """Fixture rows (natural keys, no pks) for a module transcription."""
    module = source["module"]
    number = module["number"]
    rows = [
        {
            "model": "guidance.guidancemodule",
            "fields": {"number": number, "title": module["title"], "introduction": module["introduction"]},
        }
    ]
    rows += [
        {"model": "guidance.reference", "fields": {"module": [number], "position": position, "text": text}}
        for position, text in enumerate(module["references"], start=1)
    ]
    for position, statement in enumerate(source["statements"], start=1):
        key = [statement["number"]]
        rows.append(
            {
                "model": "guidance.guidancestatement",
                "fields": {
                    "module": [number],
                    "number": statement["number"],
                    "position": position,
                    "text": statement["text"],
                    "summary": statement["summary"],
                    "actions_intro": statement["actions_intro"],
                    "topics": [[slug] for slug in statement["topics"]],
                },
            }
        )
        for block_position, block in enumerate(statement["guidance"], start=1):
            is_list = block["type"] == "list"
            rows.append(
                {
                    "model": "guidance.guidanceblock",
                    "fields": {
                        "statement": key,
                        "position": block_position,
                        "kind": block["type"],
                        "ordered": bool(block.get("ordered")) if is_list else False,
                        "text": "" if is_list else block["text"],
                        "items": block["items"] if is_list else [],
                    },
                }
            )
        rows += [
            {"model": "guidance.recommendedaction", "fields": {"statement": key, "position": p, "text": text}}
            for p, text in enumerate(statement["actions"], start=1)
        ]
    return rows


def render(rows):
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Regenerate fixtures/oecd-module6.json from fixtures/source/oecd-module6.json."

    def handle(self, *args, **options):
        source = json.loads(SOURCE.read_text(encoding="utf-8"))
        TARGET.write_text(render(guidance_fixture(source)), encoding="utf-8")
        self.stdout.write(f"wrote {TARGET}")
