"""`export_city --all -o DIR` and `import_city DIR` reproduce every city of an installation."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.exchange import export_city, import_city
from assessments.management.commands.export_city import rounds_of
from assessments.models import Answer, CityReport, Round, Sheet
from stakeholders.models import City, Organisation


def backup(tmp_path):
    directory = tmp_path / "backup"
    call_command("export_city", "--all", "-o", str(directory), stderr=io.StringIO())
    return directory


def snapshot():
    """Every city's every round, as exchange documents: what a restore must give back."""
    documents = {}
    for city in City.objects.order_by("slug"):
        for round in list(rounds_of(city)) or [None]:
            documents[(city.slug, round.name if round else None)] = export_city(city, round)
    return documents


def empty_the_database():
    Answer.objects.all().delete()
    Sheet.objects.all().delete()
    CityReport.objects.all().delete()
    City.objects.all().delete()
    Organisation.objects.all().delete()
    Round.objects.all().delete()


def test_backup_and_restore_into_an_empty_database_reproduce_every_city(milan, tmp_path):
    second = copy.deepcopy(export_city(milan))
    second["city"] = {"slug": "lyon", "name": "Lyon", "country": "France"}
    second["round"] = "2019"
    second["sheets"][0]["levels"][0]["items"][0]["answers"][0] = {
        "value": "nd",
        "note": "Données manquantes « à vérifier »",
    }
    import_city(second)
    older = copy.deepcopy(second)
    older["round"] = "2017"
    import_city(older)
    City.objects.create(slug="graz", name="Graz", country="Austria")
    before = snapshot()
    assert len(before) == 4

    directory = backup(tmp_path)
    assert sorted(p.name for p in directory.iterdir()) == [
        "graz.json",
        "lyon--2017.json",
        "lyon--2019.json",
        "milan--2018.json",
    ]
    empty_the_database()
    assert not City.objects.exists()

    out = io.StringIO()
    call_command("import_city", str(directory), stdout=out)
    assert snapshot() == before
    assert "imported Graz (graz), no round yet" in out.getvalue()


def test_a_restore_with_one_bad_file_restores_nothing(milan, tmp_path):
    directory = backup(tmp_path)
    bad = json.loads((directory / "milan--2018.json").read_text(encoding="utf-8"))
    bad["city"]["slug"] = "zurich"
    bad["sheets"][1]["stakeholder_type"] = "guild"
    (directory / "zurich--2018.json").write_text(json.dumps(bad), encoding="utf-8")
    empty_the_database()
    with pytest.raises(CommandError, match=r"zurich--2018.json: refused, nothing was changed"):
        call_command("import_city", str(directory), stdout=io.StringIO())
    assert not City.objects.exists(), "the good file before the bad one was not applied either"


def test_export_all_needs_a_directory(db):
    with pytest.raises(CommandError, match="--all needs -o DIR"):
        call_command("export_city", "--all")


def test_import_of_an_empty_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no .json files"):
        call_command("import_city", str(tmp_path))
