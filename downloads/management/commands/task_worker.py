"""`python manage.py task_worker`: the task worker (django-tasks-db's `db_worker`, with the same
options) at a lower CPU priority, so that on a machine it shares with the app servers a PDF
render, seconds of CPU, waits for the web requests rather than the other way round. On a machine
of its own the lower priority costs nothing: no one else asks for the CPU.

The priority is lowered inside the process rather than by `nice -n 10` before the command,
because Linux schedules processes in groups, one per session (autogroup, on in most kernels:
/proc/sys/kernel/sched_autogroup_enabled), and a nice value counts only against the processes
of the same group. A worker started in a session of its own, as a service manager or
`subprocess.Popen(start_new_session=True)` starts it, would get as much CPU as all the gunicorn
workers together whatever its nice value; so when the worker leads its session it lowers the
group's priority too. Under systemd with the CPU controller, a unit's `CPUWeight=` does that.
"""

import os
from pathlib import Path

from django_tasks_db.management.commands.db_worker import Command as DbWorker

NICENESS = 10
AUTOGROUP = Path("/proc/self/autogroup")


def lower_priority():
    """Give this process (and the threads and processes it starts) the CPU priority `NICENESS`,
    and its session's scheduling group too when it leads that session; a lower priority only,
    never a higher one, which would need privileges."""
    if os.getpriority(os.PRIO_PROCESS, 0) < NICENESS:
        os.setpriority(os.PRIO_PROCESS, 0, NICENESS)
    if os.getsid(0) == os.getpid():
        try:
            AUTOGROUP.write_text(str(NICENESS))
        except OSError:  # no autogroup on this system, or not ours to change
            pass


class Command(DbWorker):
    help = "Run the task worker (db_worker) at a lower CPU priority than the web servers."

    def handle(self, *args, **options):
        lower_priority()
        return super().handle(*args, **options)
