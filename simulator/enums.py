"""The small vocabularies shared by the model and every dialect."""

from enum import StrEnum


class Dialect(StrEnum):
    """Which phone API a simulated phone speaks (one per seed document)."""

    GRANDSTREAM_WEBAPI = "grandstream_webapi"
    GRANDSTREAM_GMI = "grandstream_gmi"
    GRANDSTREAM_CTI = "grandstream_cti"
    FANVIL = "fanvil"
    GRANDSTREAM_SESSION = "grandstream_session"


class LineState(StrEnum):
    """The call state of one line, as the model keeps it; dialects map it to their own codes."""

    IDLE = "idle"
    DIALING = "dialing"
    RINGBACK = "ringback"
    RINGING = "ringing"
    CONNECTED = "connected"
    HOLD = "hold"
    FAILED = "failed"


class PushEvent(StrEnum):
    """Events a phone can report to an Action URL."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ESTABLISHED = "established"
    TERMINATED = "terminated"
    MISSED = "missed"
    REGISTERED = "registered"
    UNREGISTERED = "unregistered"
