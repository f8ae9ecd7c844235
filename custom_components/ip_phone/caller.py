"""Who a phone's call is with, as a person would say it: one small function for every use."""

from collections.abc import Callable, Sequence

from .api import Line, LineState
from .api.models import CALL_STATES


def current_line(lines: Sequence[Line]) -> Line | None:
    """Return the line that matters now: the first ringing one, else the first with a call."""
    ringing = (line for line in lines if line.state is LineState.RINGING)
    calls = (line for line in lines if line.state in CALL_STATES)
    return next(ringing, None) or next(calls, None)


def caller_of(line: Line | None, name_for: Callable[[str], str | None]) -> str | None:
    """Return the contact's name ("Anna"), else the name the phone shows, else the number."""
    if line is None:
        return None
    return name_for(line.remote_number) or line.remote_name or line.remote_number or None
