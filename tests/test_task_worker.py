"""The task worker yields the CPU to the web servers on a machine it shares with them: it runs at
a lower priority, and so does its session's scheduling group when it was started in a session of
its own (as a service manager starts it), where a nice value alone would not count against
gunicorn's processes."""

import os
import subprocess
import sys
from pathlib import Path

from downloads.management.commands.task_worker import NICENESS

BASE = Path(__file__).resolve().parent.parent
PRIORITY = """
import os, django
django.setup()
from downloads.management.commands.task_worker import lower_priority
lower_priority()
lower_priority()  # again, as the reloader's child process does: no lower than asked
group = open("/proc/self/autogroup").read().split() if os.path.exists("/proc/self/autogroup") else []
print(os.getpriority(os.PRIO_PROCESS, 0), group[-1] if group else "none")
"""


def own_group_nice():
    """This process's autogroup nice value, or 'none' where the kernel shows no autogroup (the
    file is absent, or empty as in some sandboxed kernels)."""
    path = Path("/proc/self/autogroup")
    words = path.read_text().split() if path.exists() else []
    return words[-1] if words else "none"


def worker_priority(own_session):
    """(nice value, autogroup nice value or 'none') of a process that lowered its priority as the
    task worker does, started in a session of its own or in this one's."""
    output = subprocess.run(
        [sys.executable, "-c", PRIORITY],
        cwd=BASE,
        env={**os.environ, "PYTHONPATH": str(BASE)},
        start_new_session=own_session,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(output[0]), output[1]


def test_the_task_worker_runs_at_a_lower_priority_in_its_own_session_too():
    nice, group = worker_priority(own_session=True)
    assert nice == NICENESS
    assert group in (str(NICENESS), "none")


def test_a_worker_sharing_a_session_lowers_only_itself():
    """Beside `runserver` or gunicorn in `make run` / `make serve`: the group is theirs too."""
    before = own_group_nice()
    nice, group = worker_priority(own_session=False)
    assert nice == NICENESS and group == before
