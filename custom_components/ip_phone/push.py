"""What a phone pushes (Action URL): the events the integration takes, and one checked push."""

from dataclasses import dataclass
from enum import StrEnum


class PushEvent(StrEnum):
    """The Action URL events the integration takes, named as the phones name them."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ESTABLISHED = "established"
    TERMINATED = "terminated"
    MISSED = "missed"
    REGISTERED = "registered"
    UNREGISTERED = "unregistered"


CALL_PUSHES: frozenset[PushEvent] = frozenset(PushEvent) - {
    PushEvent.REGISTERED,
    PushEvent.UNREGISTERED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Push:
    """One checked Action URL request: its event and variables.

    `remote` and `name` tell who the call is with ($remote, $display_remote); `local` is the
    phone's own SIP user id ($local).
    """

    event: PushEvent
    local: str = ""
    remote: str = ""
    name: str = ""


@dataclass(slots=True)
class PushStats:
    """What the phone has pushed since setup, for diagnostics."""

    accepted: int = 0
    ignored: int = 0
    last_event: PushEvent | None = None
