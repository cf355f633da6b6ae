"""The review workflow of a sheet: draft → submitted → validated, or returned to draft.

    draft ──submit──▶ submitted ──validate──▶ validated
      ▲                  │                       │
      └─────return───────┘◀──────────────────────┘ reopen (back to draft)

Officers of the city (and staff) submit, only a sheet whose every cell is answered (“no
data” counts). Staff validate, return (with a comment saying what to change) and reopen a
validated sheet. Only a draft can be edited. Every transition is a `SheetTransition` row
(who, when, from → to, comment) and a new sheet version, so pages opened before it are stale.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from assessments.models import MAX_NOTE_LENGTH, RoundClosed, Sheet, SheetTransition
from assessments.permissions import can_edit
from assessments.progress import progress_for_sheets
from people import tasks as mail_tasks

Status = Sheet.Status
Action = SheetTransition.Action


class TransitionError(Exception):
    """A transition that is not possible now (wrong status, incomplete sheet, stale page)."""


class IncompleteSheet(TransitionError):
    """Submit refused: `open` of `total` answers are still open."""

    def __init__(self, message, *, open, total):
        super().__init__(message)
        self.open, self.total = open, total


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str
    staff_only: bool
    needs_comment: bool


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, gettext_lazy("Submit for validation"), False, False),
        Transition(Action.VALIDATE, Status.SUBMITTED, Status.VALIDATED, gettext_lazy("Validate"), True, False),
        Transition(Action.RETURN, Status.SUBMITTED, Status.DRAFT, gettext_lazy("Return to the officer"), True, True),
        Transition(Action.REOPEN, Status.VALIDATED, Status.DRAFT, gettext_lazy("Reopen for editing"), True, False),
    ]
}


def may(user, sheet, action):
    """Whether `user`'s role allows `action` on `sheet` at all (whatever its status)."""
    transition = TRANSITIONS[action]
    if transition.staff_only:
        return user.is_authenticated and user.is_staff
    return can_edit(user, sheet.city)


def available(user, sheet):
    """The transitions `user` can take on `sheet` now, for the buttons of the sheet page."""
    return [t for t in TRANSITIONS.values() if t.source == sheet.status and may(user, sheet, t.action)]


OPEN_ADVICE = gettext_lazy("Answer every statement for every respondent, or mark it “No data”, then submit.")


def open_count_text(still_open, total):
    return ngettext(
        "%(open)s of %(total)s answer is still open.", "%(open)s of %(total)s answers are still open.", total
    ) % {"open": still_open, "total": total}


def open_cells(sheet):
    progress = progress_for_sheets([sheet])[sheet.pk]
    return progress.open, progress.total


def transition(sheet, user, action, *, comment="", version=None):
    """Move `sheet` along `action` as `user`; returns the recorded `SheetTransition`.

    Raises PermissionDenied when the role does not allow it, TransitionError when the sheet
    is not in the right status, not complete (submit), the comment is missing (return), or
    the page the person acted from shows an older version of the sheet.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(f"“{action}” is not a step of the review workflow.")
    if not may(user, sheet, action):
        raise PermissionDenied
    comment = comment.strip()
    if len(comment) > MAX_NOTE_LENGTH:
        raise TransitionError(_("The comment may have at most %(max)s characters.") % {"max": MAX_NOTE_LENGTH})
    if transition.needs_comment and not comment:
        raise TransitionError(_("Say what needs to change: a returned sheet needs a comment."))
    with transaction.atomic():
        sheet.lock()
        if sheet.round.closed:
            raise TransitionError(str(RoundClosed(sheet.round)))
        if sheet.status != transition.source:
            raise TransitionError(
                _("The sheet is %(status)s; only a %(source)s sheet can be %(action)s.")
                % {
                    "status": sheet.get_status_display().lower(),
                    "source": str(Status(transition.source).label).lower(),
                    "action": str(Action(action).label).lower(),
                }
            )
        if version is not None and version != sheet.version:
            raise TransitionError(_("The sheet changed after you opened it. Check it, then try again."))
        if action == Action.SUBMIT:
            still_open, total = open_cells(sheet)
            if total == 0:
                raise TransitionError(_("The sheet has no respondent column yet: add one and answer it first."))
            if still_open:
                raise IncompleteSheet(
                    f"{open_count_text(still_open, total)} {OPEN_ADVICE}", open=still_open, total=total
                )
        record = SheetTransition.objects.create(
            sheet=sheet,
            action=action,
            from_status=sheet.status,
            to_status=transition.target,
            by=user,
            comment=comment,
        )
        sheet.status = transition.target
        sheet.touch(user, fields=["status"])
        if sheet.status == Status.VALIDATED:
            from downloads.tasks import prerender_validated

            # Its coordinators download the PDFs next: render them now, on a task worker.
            transaction.on_commit(lambda: prerender_validated(sheet))
        # The reviewers or the city's officers hear of it once it is committed, never of a rolled-back
        # step; a task worker sends the e-mails, so the mail server never holds the request.
        transaction.on_commit(partial(mail_tasks.sheet_transition.enqueue, record.pk))
    return record


def latest_transitions(sheets):
    """{sheet id: its latest SheetTransition} in one query."""
    latest = {}
    for record in SheetTransition.objects.filter(sheet__in=list(sheets)).select_related("by").order_by("at", "id"):
        latest[record.sheet_id] = record
    return latest
