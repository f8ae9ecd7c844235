"""What an action costs: one timeout at most, and no poll of its own.

Against a phone that never answers an action fails after one timeout; the refresh after an action
is the debounced one pushes use.
"""

import asyncio
from collections.abc import Generator
from unittest.mock import patch

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ip_phone.const import DOMAIN
from simulator import Dialect, Faults, SimulatedPhone

from .conftest import ALL_DIALECTS, ENTRY_ID, entity_id, settle

# The phone is slower than this only when it does not answer at all.
TIMEOUT = 0.3


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the sensors: the refresh after an action is what they show."""
    return [Platform.SENSOR]


@pytest.fixture
def short_timeout() -> Generator[None]:
    """Let a phone that never answers time out quickly (set before the client is made)."""
    with patch("custom_components.ip_phone.factory.REQUEST_TIMEOUT", TIMEOUT):
        yield


def polls(phone: SimulatedPhone) -> int:
    """Count the polls the phone has answered: each reads the lines."""
    return sum(request.path == "/cgi-bin/api-get_line_status" for request in phone.requests)


async def action(hass: HomeAssistant, service: str, **data: object) -> None:
    await hass.services.async_call(
        DOMAIN, service, {ATTR_CONFIG_ENTRY_ID: ENTRY_ID, **data}, blocking=True
    )


@ALL_DIALECTS
async def test_a_phone_that_never_answers(
    hass: HomeAssistant,
    short_timeout: None,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """The action fails after one timeout, with nothing chained behind it.

    No refresh and no device information read again: the phone gets the command, nothing else.
    """
    phone.faults = Faults(delay=TIMEOUT * 20)
    phone.requests.clear()
    with pytest.raises(HomeAssistantError) as err:
        await action(hass, "make_call", number="5550100")
    assert err.value.translation_key == "cannot_connect"
    await settle(hass)
    assert len(phone.requests) == 1


@pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_CTI], ids=lambda d: d.value
)
async def test_a_command_answered_by_a_dropped_connection(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """The phone dialled, then closed the connection without answering.

    The action fails and is not sent again; the phone is read, so the call it placed shows.
    """
    phone.faults = Faults(drop_after=True, count=1)
    with pytest.raises(HomeAssistantError) as err:
        await action(hass, "make_call", number="5550100")
    assert err.value.translation_key == "cannot_connect"
    await settle(hass)
    assert phone.calls == ["5550100"]
    assert hass.states.get(entity_id("sensor", dialect, "line_1")).state == "connected"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
async def test_a_burst_of_actions_shares_refreshes(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Five actions at once cost the phone one or two polls, not five.

    Keys: a command that reads no line back, so every line read is a poll.
    """
    phone.requests.clear()
    await asyncio.gather(*(action(hass, "send_keys", keys="1") for _ in range(5)))
    await settle(hass)
    assert phone.keys[-5:] == ["1"] * 5
    assert 1 <= polls(phone) <= 2


@pytest.mark.parametrize("dialect", [Dialect.FANVIL])
async def test_refused_before_sending_costs_no_poll(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Fanvil's Dial has no account choice: refused by the library, so there is nothing to read."""
    phone.requests.clear()
    with pytest.raises(ServiceValidationError):
        await action(hass, "make_call", number="5550100", account=2)
    await settle(hass)
    assert phone.requests == []
