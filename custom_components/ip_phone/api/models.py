"""Models shared by every dialect: frozen dataclasses and string enums."""

from dataclasses import dataclass
from enum import StrEnum


class Dialect(StrEnum):
    """The HTTP API a phone speaks."""

    GRANDSTREAM_WEBAPI = "grandstream_webapi"
    GRANDSTREAM_GMI = "grandstream_gmi"
    GRANDSTREAM_CTI = "grandstream_cti"
    FANVIL = "fanvil"
    GRANDSTREAM_SESSION = "grandstream_session"


class LineState(StrEnum):
    """The state of one line, normalised across dialects (GMI has the richest set)."""

    IDLE = "idle"
    DIALING = "dialing"
    RINGING = "ringing"
    CALLING = "calling"
    RINGBACK = "ringback"
    CONNECTED = "connected"
    ON_HOLD = "on_hold"
    TRANSFERRED = "transferred"
    TRANSFERRING = "transferring"
    CONFERENCE = "conference"
    PAGING = "paging"
    IP_CALL = "ip_call"
    ENDING = "ending"
    FAILED = "failed"
    UNKNOWN = "unknown"


# A line in one of these states holds a call that end_call can end.
CALL_STATES: frozenset[LineState] = frozenset(
    {
        LineState.DIALING,
        LineState.CALLING,
        LineState.RINGBACK,
        LineState.CONNECTED,
        LineState.ON_HOLD,
        LineState.TRANSFERRED,
        LineState.TRANSFERRING,
        LineState.CONFERENCE,
        LineState.PAGING,
        LineState.IP_CALL,
    }
)


class PhoneState(StrEnum):
    """The state of the whole phone."""

    AVAILABLE = "available"
    RINGING = "ringing"
    BUSY = "busy"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One call line (index from 1). `raw_state` is what the phone sent."""

    index: int
    state: LineState
    account: int | None = None
    remote_number: str = ""
    remote_name: str = ""
    active: bool = False
    raw_state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """One SIP account (index from 1). `registered` is None where the code has no known meaning."""

    index: int
    sip_id: str = ""
    server: str = ""
    name: str = ""
    registered: bool | None = None
    enabled: bool | None = None
    raw_status: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    """What the phone tells about itself; None where the dialect does not say."""

    vendor: str | None = None
    model: str | None = None
    mac: str | None = None
    firmware: str | None = None
    hardware: str | None = None
    serial: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneStatus:
    """One poll's worth of state."""

    state: PhoneState
    lines: tuple[Line, ...] = ()
    accounts: tuple[Account, ...] = ()
    dnd: bool | None = None  # do-not-disturb, where the poll reads it at no extra cost


class NumberKind(StrEnum):
    """The kinds of number a phonebook contact holds (the guides' work, home, mobile and fax)."""

    WORK = "work"
    MOBILE = "mobile"
    HOME = "home"
    FAX = "fax"


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A phonebook contact; `id` is the phone's (a string, "" for one not saved yet)."""

    id: str = ""
    name: str
    group: str | None = None
    work: str = ""
    home: str = ""
    mobile: str = ""
    fax: str = ""
    email: str = ""

    @property
    def numbers(self) -> dict[NumberKind, str]:
        """Return the numbers it has, by kind: work, then mobile, home and fax (dialling order)."""
        return {kind: number for kind in NumberKind if (number := getattr(self, kind.value))}


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactGroup:
    """A phonebook group; `id` is the phone's (the guides show "0" default, "100" blacklist)."""

    id: str = ""
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectedPhone:
    """The result of `detect`: the dialect, and vendor/model where the phone tells without login.

    `assumed` is True when the dialect was not seen but inferred (CTI cannot be probed without
    sending a passcode): confirm it with the credentials.
    """

    dialect: Dialect
    vendor: str | None = None
    model: str | None = None
    assumed: bool = False


def phone_state_from_lines(lines: tuple[Line, ...]) -> PhoneState:
    """Derive the phone's state from its lines: ringing, then busy, then unknown, then available."""
    if not lines:
        return PhoneState.UNKNOWN
    if any(line.state is LineState.RINGING for line in lines):
        return PhoneState.RINGING
    if any(line.state in CALL_STATES for line in lines):
        return PhoneState.BUSY
    if any(line.state is LineState.UNKNOWN for line in lines):
        return PhoneState.UNKNOWN
    return PhoneState.AVAILABLE
