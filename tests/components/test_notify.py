"""Text on the phone's screen: a notify entity where the API can show text."""

from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Dialect, Faults, SimulatedPhone

from .conftest import ALL_DIALECTS, entity_id, snapshot_entities

SHOWS_TEXT = pytest.mark.parametrize(
    "dialect", [Dialect.FANVIL, Dialect.GRANDSTREAM_GMI], ids=["fanvil", "grandstream_gmi"]
)


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the notify platform only."""
    return [Platform.NOTIFY]


@ALL_DIALECTS
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """A Screen entity on Fanvil (TextScreen) and GMI (setNewMessage) phones."""
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


async def send(hass: HomeAssistant, dialect: Dialect, message: str, title: str | None) -> None:
    data = {ATTR_ENTITY_ID: entity_id("notify", dialect, "screen"), ATTR_MESSAGE: message}
    if title is not None:
        data[ATTR_TITLE] = title
    await hass.services.async_call(NOTIFY_DOMAIN, SERVICE_SEND_MESSAGE, data, blocking=True)


@SHOWS_TEXT
async def test_doorbell_message(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await send(hass, dialect, "parcel", "Front door")
    shown = (
        "Home Assistant: Front door: parcel" if dialect is Dialect.FANVIL else "Front door: parcel"
    )
    assert phone.screen == [shown]


@SHOWS_TEXT
async def test_bad_message_sends_nothing(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    sent = len(phone.requests)
    with pytest.raises(ServiceValidationError) as err:
        await send(hass, dialect, "x" * 300, None)
    assert err.value.translation_key == "invalid_argument"
    assert len(phone.requests) == sent
    assert phone.screen == []


@SHOWS_TEXT
async def test_phone_fails(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.faults = Faults(status=500, count=1)
    with pytest.raises(HomeAssistantError) as err:
        await send(hass, dialect, "parcel", None)
    assert err.value.translation_key == "invalid_response"
    assert phone.screen == []
