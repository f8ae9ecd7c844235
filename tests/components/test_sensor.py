"""The phone state sensor and a sensor per line."""

import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.push import Push, PushEvent
from custom_components.ip_phone.restart import UPTIME_EVERY
from simulator import Dialect, SimulatedPhone

from .conftest import ALL_DIALECTS, entity_id, snapshot_entities, tick

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


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the sensor platform only."""
    return [Platform.SENSOR]


@ALL_DIALECTS
@pytest.mark.freeze_time("2026-01-02T03:04:05+00:00")
async def test_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """A phone state sensor and a sensor per line, where the API tells call state (Fanvil's not).

    A Last restart sensor where the API tells the uptime (time frozen: the phone just started).
    """
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


@POLLED
@pytest.mark.parametrize("lenient", [False, True], ids=["guide", "lenient"])
async def test_incoming_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    dialect: Dialect,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    *,
    lenient: bool,
) -> None:
    """The ringing line shows the caller's number and name to automations.

    A Web API phone that follows its guide's authentication table is read on a forms session; a
    lenient one on the token session alone.
    """
    phone.ring(2, "5551234", "Reception")
    await tick(hass, freezer)

    state = hass.states.get(entity_id("sensor", dialect, "line_2"))
    assert state is not None
    assert state.state == "ringing"
    if dialect is Dialect.GRANDSTREAM_GMI:
        # GMI's lineStatus answers a bare state number: who calls is not told.
        assert state.attributes["remote_number"] is None
    else:
        assert state.attributes["remote_number"] == "5551234"
        assert state.attributes["remote_name"] == "Reception"
    assert hass.states.get(entity_id("sensor", dialect, "phone_state")).state == "ringing"
    assert hass.states.get(entity_id("sensor", dialect, "line_1")).state == "idle"

    phone.answer(2)
    await tick(hass, freezer)
    assert hass.states.get(entity_id("sensor", dialect, "line_2")).state == "connected"
    if dialect is Dialect.GRANDSTREAM_WEBAPI:
        forms_logins = [r for r in phone.requests if r.path == "/cgi-bin/dologin"]
        assert len(forms_logins) == (0 if lenient else 1)
    assert hass.states.get(entity_id("sensor", dialect, "phone_state")).state == "busy"


@pytest.mark.parametrize("dialect", [Dialect.FANVIL])
async def test_fanvil_lines_come_back_after_a_reload(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """A Fanvil line known before a restart or reload is back at once, unknown until it is pushed.

    Not its last state from before: the call it showed may be long over.
    """
    line_1 = entity_id("sensor", Dialect.FANVIL, "line_1")
    init_integration.runtime_data.async_handle_push(
        Push(event=PushEvent.INCOMING, remote="5551234", name="Reception")
    )
    await hass.async_block_till_done()
    assert hass.states.get(line_1).state == "ringing"

    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(line_1).state == STATE_UNKNOWN
    assert entity_registry.async_get(line_1).disabled_by is None

    init_integration.runtime_data.async_handle_push(Push(event=PushEvent.OUTGOING, remote="200"))
    await hass.async_block_till_done()
    assert hass.states.get(line_1).state == "calling"
    assert hass.states.get(entity_id("sensor", Dialect.FANVIL, "line_2")) is None


@pytest.fixture
def lenient() -> bool:
    """Serve the Web API by its guide's authentication table, unless a test says otherwise."""
    return False


@pytest.fixture
def phone(phone: SimulatedPhone, lenient: bool) -> SimulatedPhone:  # noqa: FBT001
    """Make the phone lenient firmware where the test asks for it."""
    phone.lenient_auth = lenient
    return phone


UPTIME = pytest.mark.parametrize(
    "dialect",
    [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI, Dialect.FANVIL],
    ids=lambda dialect: dialect.value,
)


@UPTIME
async def test_last_restart_steady_between_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    dialect: Dialect,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """From the uptime; polls do not move it (no state change), a restart does."""
    sensor = entity_id("sensor", dialect, "last_restart")
    first = hass.states.get(sensor)
    assert first is not None
    started = dt_util.parse_datetime(first.state)
    assert started is not None
    assert abs((dt_util.utcnow() - started).total_seconds()) < 2

    changes: list[str] = []
    hass.bus.async_listen(
        EVENT_STATE_CHANGED,
        lambda event: (
            changes.append(event.data["entity_id"]) if event.data["entity_id"] == sensor else None
        ),
    )
    for _ in range(UPTIME_EVERY + 2):  # the uptime is read again in between
        await tick(hass, freezer)
    assert changes == []
    assert hass.states.get(sensor).last_changed == first.last_changed

    # A restart between two polls: seen at the next uptime read.
    phone.boot_time = time.monotonic()
    for _ in range(UPTIME_EVERY + 1):
        await tick(hass, freezer)
    restarted = dt_util.parse_datetime(hass.states.get(sensor).state)
    assert restarted is not None
    assert restarted > started
    assert changes == [sensor]


@pytest.mark.parametrize("dialect", [Dialect.FANVIL], ids=["fanvil"])
async def test_last_restart_survives_an_unreadable_uptime(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """An uptime the phone writes in no known way: the sensor keeps what it knew, polls go on."""
    sensor = entity_id("sensor", Dialect.FANVIL, "last_restart")
    before = hass.states.get(sensor).state
    phone.config["info.sys.UpTime"] = "soon"
    for _ in range(UPTIME_EVERY + 1):
        await tick(hass, freezer)
    assert hass.states.get(sensor).state == before
    assert hass.states.get(entity_id("binary_sensor", Dialect.FANVIL, "account_1")) is None
