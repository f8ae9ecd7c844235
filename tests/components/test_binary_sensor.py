"""The ringing binary sensor and one per configured SIP account."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.api.client import ACCOUNTS_MAX_AGE
from simulator import SimulatedPhone

from .conftest import ALL_DIALECTS, snapshot_entities, tick

RINGING = "binary_sensor.grandstream_gxv3380_ringing"
ACCOUNT_1 = "binary_sensor.grandstream_gxv3380_account_1"


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the binary sensor platform only."""
    return [Platform.BINARY_SENSOR]


@ALL_DIALECTS
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """Ringing where the API tells call state, and one per configured account (2 of the slots)."""
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


async def test_ringing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    assert hass.states.get(RINGING).state == STATE_OFF
    phone.ring(1, "5551234")
    await tick(hass, freezer)
    assert hass.states.get(RINGING).state == STATE_ON
    phone.reject(1)
    await tick(hass, freezer)
    assert hass.states.get(RINGING).state == STATE_OFF


async def test_registration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """Without a push, registration is read every few minutes, not at every poll."""
    assert hass.states.get(ACCOUNT_1).state == STATE_ON
    phone.set_registered(1, registered=False)
    phone.requests.clear()
    await tick(hass, freezer)
    assert [request.path for request in phone.requests] == ["/cgi-bin/api-get_line_status"]
    assert hass.states.get(ACCOUNT_1).state == STATE_ON
    await tick(hass, freezer, ACCOUNTS_MAX_AGE)
    assert hass.states.get(ACCOUNT_1).state == STATE_OFF


async def test_account_the_phone_stops_reporting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    phone.accounts = phone.accounts[:1]
    await tick(hass, freezer, ACCOUNTS_MAX_AGE)
    assert hass.states.get("binary_sensor.grandstream_gxv3380_account_2").state == "unavailable"
    assert hass.states.get(ACCOUNT_1).state == STATE_ON


async def test_raw_status_code_is_not_recorded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The phone's raw code stays visible, but out of the history: it moves on every call (GMI)."""
    state = hass.states.get(ACCOUNT_1)
    assert state.attributes["status_code"]
    assert state.state_info is not None
    assert "status_code" in state.state_info["unrecorded_attributes"]
    assert "sip_id" not in state.state_info["unrecorded_attributes"]
