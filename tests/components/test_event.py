"""The Call event: the same events on every phone, from polls or from pushes, never twice."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.api import Line, LineState
from custom_components.ip_phone.event import (
    Call,
    CallEventType,
    LineEvent,
    Phase,
    derive_events,
    transition,
)
from simulator import Dialect, SimulatedPhone, SimulatorServer
from simulator.state import Contact

from .conftest import (
    ALL_DIALECTS,
    capture_calls,
    entity_id,
    pushed,
    settle,
    snapshot_entities,
    tick,
)

POLLED = pytest.mark.parametrize(
    "dialect",
    [
        Dialect.GRANDSTREAM_WEBAPI,
        Dialect.GRANDSTREAM_SESSION,
        Dialect.GRANDSTREAM_GMI,
        Dialect.GRANDSTREAM_CTI,
    ],
    ids=lambda dialect: dialect.value,
)
RECEPTION = {"line": 1, "remote_number": "5551234", "remote_name": "Reception"}
WORKSHOP = {"line": 1, "remote_number": "8001", "remote_name": "Workshop"}
NOBODY = {"line": 1, "remote_number": None, "remote_name": None}


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the event platform only."""
    return [Platform.EVENT]


@pytest.fixture(autouse=True)
def far_end_waits(phone: SimulatedPhone) -> None:
    """Let an outgoing call ring back until the test has the far end answer."""
    phone.timings.answer = None
    phone.phonebook.save(Contact(-1, "Workshop", work="8001"))


def a_day(phone: SimulatedPhone) -> list[tuple[str, Any]]:
    """List the calls of a day at the phone, as steps: who does what."""
    return [
        ("ring", lambda: phone.ring(1, "5551234", "Reception")),
        ("answer", lambda: phone.answer(1)),
        ("hang up", lambda: phone.hang_up(1)),
        ("ring", lambda: phone.ring(1, "5551234", "Reception")),
        ("caller gives up", lambda: phone.remote_hang_up(1)),
        ("dial", lambda: phone.dial("8001")),
        ("far end answers", lambda: phone.remote_answer(1)),
        ("far end hangs up", lambda: phone.remote_hang_up(1)),
    ]


EXPECTED = [
    {"event_type": "incoming", **RECEPTION},
    {"event_type": "answered", **RECEPTION},
    {"event_type": "ended", **RECEPTION},
    {"event_type": "incoming", **RECEPTION},
    {"event_type": "missed", **RECEPTION},
    {"event_type": "outgoing", **WORKSHOP},
    {"event_type": "answered", **WORKSHOP},
    {"event_type": "ended", **WORKSHOP},
]


@ALL_DIALECTS
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """Every phone has a Call event, nothing fired yet."""
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


@POLLED
async def test_calls_from_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    dialect: Dialect,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """A phone that does not push fires the same events, each at the poll that sees it."""
    calls = capture_calls(hass, entity_id("event", dialect, "call"))
    for _, step in a_day(phone):
        step()
        await tick(hass, freezer)

    if dialect is Dialect.GRANDSTREAM_GMI:
        # GMI's line status tells no numbers: without pushes, nobody is known.
        assert calls == [{**event, **NOBODY} for event in EXPECTED]
    else:
        assert calls == EXPECTED


@ALL_DIALECTS
async def test_calls_from_pushes(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    dialect: Dialect,
    push_urls: dict[str, str],
) -> None:
    """A pushing phone fires them at once; GMI's numbers and Fanvil's calls come from the pushes."""
    calls = capture_calls(hass, entity_id("event", dialect, "call"))
    for _, step in a_day(phone):
        step()
        await pushed(hass, server)
        await settle(hass)
    assert calls == EXPECTED


async def test_push_and_poll_fire_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """The poll after a push sees the same lines: nothing fires twice."""
    calls = capture_calls(hass, entity_id("event", Dialect.GRANDSTREAM_WEBAPI, "call"))
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    assert len(calls) == 1
    await tick(hass, freezer)
    await tick(hass, freezer)
    assert len(calls) == 1


async def test_call_under_way_at_start(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    mock_config_entry: MockConfigEntry,
    mock_platforms: None,
) -> None:
    """A call going on when Home Assistant starts fires nothing until it changes."""
    phone.ring(1, "5551234", "Reception")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    calls = capture_calls(hass, "event.grandstream_gxv3380_call")
    await tick(hass, freezer)
    assert calls == []

    phone.answer(1)
    await tick(hass, freezer)
    assert calls == [{"event_type": "answered", **RECEPTION}]
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


# How line changes become events ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after", "events"),
    [
        (Phase.IDLE, Phase.IDLE, []),
        (Phase.IDLE, Phase.RINGING, ["incoming"]),
        (Phase.IDLE, Phase.OUTGOING, ["outgoing"]),
        (Phase.IDLE, Phase.TALKING, ["answered"]),
        (Phase.RINGING, Phase.IDLE, ["missed"]),
        (Phase.RINGING, Phase.OUTGOING, ["missed", "outgoing"]),
        (Phase.RINGING, Phase.TALKING, ["answered"]),
        (Phase.OUTGOING, Phase.IDLE, ["ended"]),
        (Phase.OUTGOING, Phase.RINGING, ["ended", "incoming"]),
        (Phase.OUTGOING, Phase.TALKING, ["answered"]),
        (Phase.TALKING, Phase.IDLE, ["ended"]),
        (Phase.TALKING, Phase.RINGING, ["ended", "incoming"]),
        (Phase.TALKING, Phase.OUTGOING, ["ended", "outgoing"]),
        (Phase.TALKING, Phase.TALKING, []),
    ],
)
def test_transition(before: Phase, after: Phase, events: list[str]) -> None:
    assert transition(before, after) == events


def nobody_pushed(_: CallEventType) -> tuple[str, str]:
    return ("", "")


def test_unknown_state_says_nothing() -> None:
    """A line the phone reports as unknown keeps its call: no end, no new start."""
    calls = {1: Call(Phase.TALKING, "5551234", "Reception")}
    events, calls = derive_events(calls, [Line(index=1, state=LineState.UNKNOWN)], nobody_pushed)
    assert events == []
    events, _ = derive_events(calls, [Line(index=1, state=LineState.IDLE)], nobody_pushed)
    assert events == [LineEvent(CallEventType.ENDED, 1, "5551234", "Reception")]


def test_pushed_party_is_taken_by_each_event() -> None:
    """The party a push told is used where the line tells none, and taken either way."""
    taken: list[CallEventType] = []

    def pushed_party(event_type: CallEventType) -> tuple[str, str]:
        taken.append(event_type)
        return ("5559876", "Garage")

    ringing = [Line(index=1, state=LineState.RINGING, remote_number="5551234")]
    events, calls = derive_events({}, ringing, pushed_party)
    assert events == [LineEvent(CallEventType.INCOMING, 1, "5551234", "")]
    events, _ = derive_events(calls, [Line(index=1, state=LineState.IDLE)], pushed_party)
    assert events == [LineEvent(CallEventType.MISSED, 1, "5551234", "")]
    assert taken == [CallEventType.INCOMING, CallEventType.MISSED]

    events, _ = derive_events({}, [Line(index=2, state=LineState.CONNECTED)], pushed_party)
    assert events == [LineEvent(CallEventType.ANSWERED, 2, "5559876", "Garage")]
