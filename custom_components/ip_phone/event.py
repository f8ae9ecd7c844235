"""The Call event of an IP phone: incoming, outgoing, answered, ended and missed.

Every event is derived from how the phone's lines change between two updates of the coordinator,
whether the update came from a poll, from a refresh a push asked for, or (Fanvil) from the push
itself. So every phone fires the same events, pushing or not, and a push never fires twice.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from typing import Any, Final, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Line, LineState
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .directory import async_get_directory
from .entity import IpPhoneEntity
from .push import PushEvent

PARALLEL_UPDATES = 0


class CallEventType(StrEnum):
    """What happened to a call."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ANSWERED = "answered"
    ENDED = "ended"
    MISSED = "missed"


class Phase(Enum):
    """Where a line is in a call."""

    IDLE = auto()
    RINGING = auto()
    OUTGOING = auto()
    TALKING = auto()


# A state missing here (unknown) says nothing: the line keeps the phase it had.
PHASES: Final[Mapping[LineState, Phase]] = {
    LineState.IDLE: Phase.IDLE,
    LineState.ENDING: Phase.IDLE,
    LineState.FAILED: Phase.IDLE,
    LineState.RINGING: Phase.RINGING,
    LineState.DIALING: Phase.OUTGOING,
    LineState.CALLING: Phase.OUTGOING,
    LineState.RINGBACK: Phase.OUTGOING,
    LineState.CONNECTED: Phase.TALKING,
    LineState.ON_HOLD: Phase.TALKING,
    LineState.TRANSFERRED: Phase.TALKING,
    LineState.TRANSFERRING: Phase.TALKING,
    LineState.CONFERENCE: Phase.TALKING,
    LineState.PAGING: Phase.TALKING,
    LineState.IP_CALL: Phase.TALKING,
}

_ENDS: Final = {Phase.RINGING: CallEventType.MISSED}
_STARTS: Final = {
    Phase.RINGING: CallEventType.INCOMING,
    Phase.OUTGOING: CallEventType.OUTGOING,
    Phase.TALKING: CallEventType.ANSWERED,
}
# The push that tells who a call is with, for each event (GMI's lines do not say).
PUSHES: Final = {
    CallEventType.INCOMING: PushEvent.INCOMING,
    CallEventType.OUTGOING: PushEvent.OUTGOING,
    CallEventType.ANSWERED: PushEvent.ESTABLISHED,
    CallEventType.ENDED: PushEvent.TERMINATED,
    CallEventType.MISSED: PushEvent.MISSED,
}


@dataclass(frozen=True, slots=True)
class Call:
    """A line's phase, and who its call is with as far as known."""

    phase: Phase
    number: str = ""
    name: str = ""


IDLE: Final = Call(Phase.IDLE)


@dataclass(frozen=True, slots=True)
class LineEvent:
    """One event, on one line, with the other party."""

    type: CallEventType
    line: int
    number: str = ""
    name: str = ""

    @property
    def attributes(self) -> dict[str, Any]:
        """Return the event's attributes; unknown ones as None, as the line sensors show them."""
        return {
            "line": self.line,
            "remote_number": self.number or None,
            "remote_name": self.name or None,
        }


# Who the last push of an event's kind said the call is with, taken by the event: number, name.
type PushedParty = Callable[[CallEventType], tuple[str, str]]


def transition(before: Phase, after: Phase) -> list[CallEventType]:
    """Return the events of a line going from one phase to the other, ends before starts.

    Ringing or dialling, then talking, is the call answered; anything else that leaves a call ends
    it (a call that was only ringing is missed), and anything else that enters one starts a call.
    """
    if before is after:
        return []
    if after is Phase.TALKING and before is not Phase.TALKING:
        return [CallEventType.ANSWERED]
    events = [] if before is Phase.IDLE else [_ENDS.get(before, CallEventType.ENDED)]
    if after is not Phase.IDLE:
        events.append(_STARTS[after])
    return events


def derive_events(
    calls: Mapping[int, Call], lines: Iterable[Line], pushed: PushedParty
) -> tuple[list[LineEvent], dict[int, Call]]:
    """Return the events between the calls known and the lines now, and the calls now known.

    The other party is the line's, else the one remembered for the call, else the one `pushed`
    (what the matching push carried, taken by each event of its kind), else unknown.
    """
    events: list[LineEvent] = []
    known = dict(calls)
    for line in lines:
        if (phase := PHASES.get(line.state)) is None:
            continue
        call = calls.get(line.index, IDLE)
        current = (line.remote_number, line.remote_name) if line.remote_number else None
        for event_type in transition(call.phase, phase):
            hint = pushed(event_type)
            remembered = (call.number, call.name) if call.number else None
            if event_type in {CallEventType.ENDED, CallEventType.MISSED}:
                party = remembered or hint
                call = IDLE
            else:
                answered = event_type is CallEventType.ANSWERED
                party = current or (remembered if answered else None) or hint
                call = Call(phase, *party)
            events.append(LineEvent(event_type, line.index, *party))
        known[line.index] = (
            IDLE if phase is Phase.IDLE else Call(phase, *(current or (call.number, call.name)))
        )
    return events, known


CALL = EventEntityDescription(
    key="call",
    translation_key="call",
    event_types=[event_type.value for event_type in CallEventType],
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the Call event of a phone: every dialect has one, from polls or pushes."""
    async_add_entities([IpPhoneCallEventEntity(entry.runtime_data)])


class IpPhoneCallEventEntity(IpPhoneEntity, EventEntity):
    """Fires when a call on any of the phone's lines comes in, goes out, is answered or ends."""

    def __init__(self, coordinator: IpPhoneCoordinator) -> None:
        """Initialize the entity; it knows of no call until it is added."""
        super().__init__(coordinator, CALL)
        self._calls: dict[int, Call] = {}

    @override
    async def async_added_to_hass(self) -> None:
        """Take the lines as they are now as the start: a call under way is not an event."""
        await super().async_added_to_hass()
        _, self._calls = derive_events({}, self.coordinator.data.lines, _nobody)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Fire an event for every change of a call since the last update."""
        events, self._calls = derive_events(
            self._calls, self.coordinator.data.lines, self._pushed_party
        )
        name_for = async_get_directory(self.hass).async_name_for
        for event in events:
            # The contact's name, when someone known has the number (for "Anna is calling").
            contact = name_for(event.number) if event.number else None
            self._trigger_event(event.type, {**event.attributes, "remote_contact": contact})
            self.async_write_ha_state()
        if not events:
            super()._handle_coordinator_update()

    def _pushed_party(self, event_type: CallEventType) -> tuple[str, str]:
        push = self.coordinator.take_pushed(PUSHES[event_type])
        return ("", "") if push is None else (push.remote, push.name)


def _nobody(_: CallEventType) -> tuple[str, str]:
    return ("", "")
