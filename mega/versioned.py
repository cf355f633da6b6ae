"""Values computed once per version of what they read, kept in Django's cache.

Figures that read many rows (the answers of a whole round, every city's conclusions, a city's
whole report) are computed once per *version stamp*: a small value, cheap to read, that changes
whenever what the figures read changes (`Round.sheets_stamp`, the stamps of `reports.stamps`).
`versioned` is the one rule every such cache follows:

- the value kept under `key` for the current stamp is served;
- a value kept for an older stamp is still served while it is younger than `max_age` seconds.
  Figures that read a whole round that officers are editing change stamp several times a second;
  served a little old (`COHORT_FIGURES_MAX_AGE`), they are computed once a minute at most instead
  of on every request. Where a reader would notice that their own edit is missing, the caller
  passes no `max_age` (exact versions), or puts what the reader edits into the key itself;
- otherwise `compute()` runs, and its value is kept with the stamp and the time it was made.

A stamp of None (the cache cannot keep the stamps) means no version to trust: `compute()` runs
and nothing is kept. The cache may drop anything at any time; it only costs a computation.
"""

import hashlib
import time

from django.core.cache import cache

PREFIX = "mega-versioned:"
# Every change makes a new version and the replaced ones stay until they expire: an hour bounds
# the room they take and how long a value could outlive a change that renews no stamp.
SECONDS = 60 * 60


def versioned(key, stamp, compute, *, max_age=0, timeout=SECONDS):
    """The value of `compute()` for version `stamp` of what it reads, kept in the cache under
    `key` (a tuple naming what the value is: its kind first, then reprs of its parameters); one
    computed for an older stamp while it is younger than `max_age` seconds."""
    if stamp is None:
        return compute()
    name, *parts = key
    cache_key = f"{PREFIX}{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    kept = cache.get(cache_key)
    if kept is not None:
        kept_stamp, made, value = kept
        if kept_stamp == stamp or time.time() - made < max_age:
            return value
    value = compute()
    cache.set(cache_key, (stamp, time.time(), value), timeout)
    return value
