"""Run ids: the run's UTC start to the microsecond, ``20261125T010203.123456Z``.

They name a run's files and order runs, so they must be unique and sort as their starts do.
Seconds were not enough: two runs started in the same second got the same file names. Under
the run lock, :func:`next_run_id` makes an id that the state or the folder already knows unique.
Ids of the old form (``20261125T010203Z``) still sort among these by their second.
"""

from __future__ import annotations

import datetime as dt

RUN_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"


def new_run_id(moment: dt.datetime) -> str:
    return moment.strftime(RUN_ID_FORMAT)


def next_run_id(run_id: str) -> str:
    """The id one microsecond later (any other form: a suffix), for a run whose id was taken."""
    try:
        moment = dt.datetime.strptime(run_id, RUN_ID_FORMAT)
    except ValueError:
        return f"{run_id}-2"
    return new_run_id(moment + dt.timedelta(microseconds=1))
