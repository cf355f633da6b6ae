"""Small builders for test data that the seed does not have."""

from django.contrib.auth import get_user_model

from assessments.models import Answer, Checklist, Level, Respondent, Round, Sheet, Statement
from stakeholders.models import Assignment, City, Organisation, StakeholderType


def make_user(username, *, staff=False, city=None, role=None):
    user = get_user_model().objects.create_user(username, password="pw-" + username, is_staff=staff)
    if city is not None:
        Assignment.objects.create(user=user, city=city, role=role)
    return user


def make_city(slug, name=None, country="Italy"):
    return City.objects.create(slug=slug, name=name or slug.title(), country=country)


def make_checklist(stakeholder_type="municipality", version="test", statements_per_level=(2, 2, 2)):
    checklist = Checklist.objects.create(
        stakeholder_type=StakeholderType.objects.get(slug=stakeholder_type), version=version, outcome="Outcome."
    )
    for number, count in enumerate(statements_per_level, start=1):
        level = Level.objects.create(
            checklist=checklist, number=number, name=Level.Number(number).label, description=f"Level {number}."
        )
        Statement.objects.bulk_create(
            Statement(level=level, position=i, text=f"Statement {number}.{i}") for i in range(1, count + 1)
        )
    return checklist


def make_sheet(city, checklist, respondents=("Org A",), round="2030"):
    round, _ = Round.objects.get_or_create(name=round)
    sheet = Sheet.objects.create(city=city, round=round, checklist=checklist)
    for position, item in enumerate(respondents, start=1):
        name, note = item if isinstance(item, tuple) else (item, "")
        organisation, _ = Organisation.objects.get_or_create(
            city=city, name=name, defaults={"stakeholder_type": checklist.stakeholder_type}
        )
        Respondent.objects.create(sheet=sheet, organisation=organisation, position=position, note=note)
    return sheet


def answer(sheet, level, position, column, value, note=""):
    respondent = sheet.respondents.order_by("position")[column]
    statement = Statement.objects.get(level__checklist=sheet.checklist, level__number=level, position=position)
    return Answer.objects.create(respondent=respondent, statement=statement, value=value, note=note)
