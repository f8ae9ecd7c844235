"""Parsing shared by the Grandstream dialects: line-state codes and the Web API/CTI JSON envelope.

Pure functions: bytes or decoded JSON in, models out, PhoneError on anything unusable.
"""

from collections.abc import Callable
from dataclasses import dataclass
import re
from typing import Final

from .errors import PhoneCommandError, PhoneResponseError
from .models import Account, Line, LineState
from .parsing import (
    JsonObject,
    JsonValue,
    as_bool,
    as_int,
    as_list,
    as_object,
    as_str,
    get_ci,
    parse_json,
)

# The GMI guide's lineStatus codes (section 38); the Web API guide uses the same numbers for the
# subset it lists (0 idle, 2 ringing, 3 calling, 4 in call, 5 hold, 8 failed).
# The Action URL P-values of Grandstream's administration guides (GXP16xx, GXP21xx, GRP261x:
# "Action URL Parameters P-values"), by the push event each one sends.
ACTION_URL_P_VALUES: Final = {
    "registered": "P8305",
    "unregistered": "P8306",
    "incoming": "P8310",
    "outgoing": "P8311",
    "missed": "P8312",
    "established": "P8313",
    "terminated": "P8314",
}

LINE_STATE_CODES: Final[dict[int, LineState]] = {
    -1: LineState.FAILED,
    0: LineState.IDLE,
    1: LineState.DIALING,
    2: LineState.RINGING,
    3: LineState.CALLING,
    4: LineState.CONNECTED,
    5: LineState.ON_HOLD,
    6: LineState.TRANSFERRED,
    7: LineState.ENDING,
    8: LineState.FAILED,
    9: LineState.TRANSFERRING,
    10: LineState.CONFERENCE,
    11: LineState.PAGING,
    12: LineState.RINGBACK,
    13: LineState.IP_CALL,
}

# The CTI guide names states ("idle"); other firmware spells the rest in various ways.
LINE_STATE_NAMES: Final[dict[str, LineState]] = {
    "idle": LineState.IDLE,
    "free": LineState.IDLE,
    "onhook": LineState.IDLE,
    "dialing": LineState.DIALING,
    "dialling": LineState.DIALING,
    "offhook": LineState.DIALING,
    "ringing": LineState.RINGING,
    "incoming": LineState.RINGING,
    "calling": LineState.CALLING,
    "outgoing": LineState.CALLING,
    "ringback": LineState.RINGBACK,
    "connected": LineState.CONNECTED,
    "incall": LineState.CONNECTED,
    "talking": LineState.CONNECTED,
    "active": LineState.CONNECTED,
    "hold": LineState.ON_HOLD,
    "onhold": LineState.ON_HOLD,
    "held": LineState.ON_HOLD,
    "transferred": LineState.TRANSFERRED,
    "transfer": LineState.TRANSFERRING,
    "transferring": LineState.TRANSFERRING,
    "ending": LineState.ENDING,
    "failed": LineState.FAILED,
    "fail": LineState.FAILED,
    "conference": LineState.CONFERENCE,
    "paging": LineState.PAGING,
    "ipcall": LineState.IP_CALL,
}

_FAILURE_WORDS: Final = frozenset({"false", "failed", "fail", "error", "unknown"})
_UNAUTHORIZED: Final = re.compile(
    r"unauthori[sz]ed|authentication|not logged|login required|passcode|password|forbidden|denied",
    re.IGNORECASE,
)


def line_state(value: JsonValue) -> LineState:
    """Map a code (4, "4") or a name ("connected", "In Call") to a LineState; else UNKNOWN."""
    code = as_int(value)
    if code is not None:
        return LINE_STATE_CODES.get(code, LineState.UNKNOWN)
    name = re.sub(r"[\s_\-]", "", as_str(value).lower())
    return LINE_STATE_NAMES.get(name, LineState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Envelope:
    """The `{"response": ..., "body": ...}` wrapper of Web API and CTI answers."""

    success: bool
    body: JsonValue


def parse_envelope(body: bytes | str) -> Envelope:
    """Decode and unwrap an answer; PhoneResponseError if it is not the envelope."""
    obj = as_object(parse_json(body))
    response = as_str(get_ci(obj, "response", "res")).lower()
    if not response:
        raise PhoneResponseError("Answer has no 'response' field")
    return Envelope(success=response == "success", body=get_ci(obj, "body", "msg"))


def is_unauthorized(envelope: Envelope) -> bool:
    """Tell whether the phone says the session or credential is not (or no longer) valid."""
    return isinstance(envelope.body, str) and bool(_UNAUTHORIZED.search(envelope.body))


def check_command(envelope: Envelope, what: str) -> None:
    """Raise PhoneCommandError unless the answer reports success.

    A success may carry `true`, `"true"`, `"complete"`, `""` or an operation name in its body;
    `false`, `"false"` or `"failed"` count as refusals even when `response` says success.
    """
    body = envelope.body
    refused = body is False or (isinstance(body, str) and body.strip().lower() in _FAILURE_WORDS)
    if not envelope.success or refused:
        detail = as_str(body) if not isinstance(body, (dict, list)) else "refused"
        raise PhoneCommandError(f"The phone refused {what}: {detail or 'no reason given'}")


def check_values_written(envelope: Envelope) -> None:
    """Raise PhoneCommandError unless a values write answered `{"status": "right"}` (or nothing)."""
    body = envelope.body
    status = as_str(get_ci(body, "status")) if isinstance(body, dict) else ""
    if not envelope.success or status.lower() not in ("right", ""):
        detail = status or (as_str(body) if not isinstance(body, (dict, list)) else "")
        raise PhoneCommandError(f"The phone refused the values: {detail or 'refused'}")


def _indexes(items: list[JsonObject], key: str) -> list[int]:
    """1-based indexes: the phone's own numbers when usable (shifted if it counts from 0)."""
    if not items:
        return []
    raw = [as_int(get_ci(item, key)) for item in items]
    numbers = [n for n in raw if n is not None]
    if len(numbers) != len(items) or len(set(numbers)) != len(numbers) or min(numbers) < 0:
        return list(range(1, len(items) + 1))
    shift = 1 if min(numbers) == 0 else 0
    return [n + shift for n in numbers]


def _objects(value: JsonValue, what: str) -> list[JsonObject]:
    return [item for item in as_list(value, what) if isinstance(item, dict)]


def parse_lines(value: JsonValue, *, account_from_wire: Callable[[int], int]) -> tuple[Line, ...]:
    """Lines from a Web API/CTI line-status body (a list of line objects)."""
    items = _objects(value, "line status")
    lines = []
    for index, item in zip(_indexes(items, "line"), items, strict=True):
        raw_state = as_str(get_ci(item, "state", "status"))
        state = line_state(raw_state)
        account = as_int(get_ci(item, "acct", "account"))
        # An idle line has no account, whatever it shows ("" in the guides, 0 on a WP826).
        if state is LineState.IDLE:
            account = None
        lines.append(
            Line(
                index=index,
                state=state,
                account=account_from_wire(account) if account is not None else None,
                remote_number=as_str(get_ci(item, "remotenumber", "number", "remote_number")),
                remote_name=as_str(get_ci(item, "remotename", "name", "remote_name")),
                active=as_bool(get_ci(item, "active")) or False,
                raw_state=raw_state,
            )
        )
    return tuple(sorted(lines, key=lambda line: line.index))


def parse_accounts(value: JsonValue) -> tuple[Account, ...]:
    """Accounts from a Web API/CTI `api-get_accounts` body."""
    items = _objects(value, "accounts")
    accounts = []
    for index, item in zip(_indexes(items, "id"), items, strict=True):
        reg = get_ci(item, "reg", "registered", "status")
        active = get_ci(item, "active", "activate", "enabled")
        accounts.append(
            Account(
                index=index,
                sip_id=as_str(get_ci(item, "sip_id", "sipid", "userid", "number")),
                server=as_str(get_ci(item, "sip_server", "server")),
                name=as_str(get_ci(item, "name")),
                registered=as_bool(reg),
                enabled=as_bool(active) if active is not None else None,
                raw_status=as_str(reg),
            )
        )
    return tuple(sorted(accounts, key=lambda account: account.index))
