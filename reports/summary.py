"""The executive summary of a city report, computed from the report's own data: nothing typed.

- **Scorecard**: per sheet (stakeholder type) and level, the share of statements whose
  consolidated answer is yes, out of those answered (the rule of `comparison`); a level with
  nothing answered has no share. Each share falls in one of four bands, printed as a shade and a
  pattern-free percentage so that the heat map reads in black and white.
- **Strongest and weakest areas**: the (stakeholder type, level) cells with the highest and the
  lowest shares.
- **Key actions**: the recommended actions of the guidance statements that most of the weakest
  areas' "no" statements lead to (from the appendix), one per guidance statement, three at most.
"""

from assessments import consolidation

# Upper bounds (exclusive) of the heat map's bands; the last band runs to 100 %.
BANDS = (0.25, 0.5, 0.75)
AREAS = 3
KEY_ACTIONS = 3


def band(share):
    """0 (under 25 %) to 3 (75 % and more); None without a share."""
    if share is None:
        return None
    return sum(share >= bound for bound in BANDS)


def scorecard(sheets):
    """One row per sheet: its stakeholder type and, per level, the share of yes."""
    rows = []
    for sheet in sheets:
        cells = []
        for level in sheet["levels"]:
            answered = [row for row in level["rows"] if row["consolidated"] != consolidation.NOT_ANSWERED]
            yes = sum(row["consolidated"] == consolidation.YES for row in answered)
            share = yes / len(answered) if answered else None
            cells.append(
                {
                    "level": level["number"],
                    "level_name": level["name"],
                    "yes": yes,
                    "answered": len(answered),
                    "share": share,
                    "percent": None if share is None else round(share * 100),
                    "band": band(share),
                    "stakeholder_type": sheet["stakeholder_type"],
                    "anchor": f"{sheet['anchor']}-level-{level['number']}",
                }
            )
        rows.append({"stakeholder_type": sheet["stakeholder_type"], "anchor": sheet["anchor"], "cells": cells})
    return rows


def areas(card):
    """(strongest, weakest): up to AREAS cells each, best first and worst first; a cell is in one
    list only, and a tie keeps the order of the scorecard."""
    cells = [cell for row in card for cell in row["cells"] if cell["share"] is not None]
    strongest = sorted(cells, key=lambda c: -c["share"])[:AREAS]
    weakest = [c for c in sorted(cells, key=lambda c: c["share"]) if c not in strongest][:AREAS]
    return strongest, weakest


def key_actions(appendix, weakest):
    """The guidance most relevant to the weakest areas: guidance statements ranked by how many
    of those areas' statements answered no lead to them, each with its first recommended action."""
    weak = {(cell["stakeholder_type"], cell["level"]) for cell in weakest}
    ranked = []
    for position, entry in enumerate(appendix):
        sheets = [
            {
                "stakeholder_type": sheet["stakeholder_type"],
                "statements": [s for s in sheet["statements"] if (sheet["stakeholder_type"], s["level"]) in weak],
            }
            for sheet in entry["sheets"]
        ]
        sheets = [sheet for sheet in sheets if sheet["statements"]]
        count = sum(len(sheet["statements"]) for sheet in sheets)
        if count and entry["actions"]:
            ranked.append((-count, position, entry, sheets))
    ranked.sort(key=lambda item: item[:2])
    return [
        {"action": entry["actions"][0], "guidance": entry, "sheets": sheets}
        for _, _, entry, sheets in ranked[:KEY_ACTIONS]
    ]


def summary(sheets, appendix):
    card = scorecard(sheets)
    strongest, weakest = areas(card)
    return {
        "scorecard": card,
        "levels": [(level["number"], level["name"]) for level in (sheets[0]["levels"] if sheets else [])],
        "strongest": strongest,
        "weakest": weakest,
        "key_actions": key_actions(appendix, weakest),
    }
