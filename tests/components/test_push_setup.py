"""Push set up in one click: Home Assistant writes the phone's Action URLs and reads them back."""

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ip_phone.const import CONF_PUSH_SET_UP
from custom_components.ip_phone.webhook import async_action_urls
from simulator import Dialect, Faults, SimulatedPhone, SimulatorServer

from .conftest import entity_id, pushed

WEBAPI = pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_WEBAPI], ids=["webapi"])


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> FlowResult:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert step in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def local_address(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> None:
    """Make Home Assistant's test server its local address, as the phone can reach it."""
    assert await async_setup_component(hass, "diagnostics", {})
    client = await hass_client_no_auth()
    await hass.config.async_update(internal_url=str(client.make_url("/")).rstrip("/"))


@WEBAPI
async def test_set_up_push_then_calls_show_at_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    phone: SimulatedPhone,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    await local_address(hass, hass_client_no_auth)
    result = await open_step(hass, init_integration, "push_setup")
    assert result["type"] is FlowResultType.FORM
    assert phone.action_urls == {}  # nothing is written until the user submits

    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PUSH_SET_UP] is True
    urls = async_action_urls(hass, init_integration.data[CONF_WEBHOOK_ID])
    assert {event.value: url for event, url in phone.action_urls.items()} == {
        event.value: url for event, url in urls.items()
    }

    # The phone now pushes: a ring shows without a poll.
    phone.ring(1, "5551234", "Alice")
    await pushed(hass, server)
    assert hass.states.get(entity_id("sensor", Dialect.GRANDSTREAM_WEBAPI, "line_1")).state == (
        "ringing"
    )

    # Removing it again: offered once set up, and read back empty.
    result = await open_step(hass, init_integration, "push_clear")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert phone.action_urls == {}
    assert init_integration.options[CONF_PUSH_SET_UP] is False


@WEBAPI
async def test_the_phone_ignores_some(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Success from the phone, but two settings read back unchanged: the page names them."""
    phone.ignored_config.update({"8310", "8312"})
    result = await open_step(hass, init_integration, "push_setup")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "push_not_taken"}
    assert result["description_placeholders"]["events"] == "incoming, missed"
    assert len(phone.action_urls) == 5
    assert init_integration.options[CONF_PUSH_SET_UP] is True


@WEBAPI
async def test_the_phone_fails(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    result = await open_step(hass, init_integration, "push_setup")
    phone.faults = Faults(status=500)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "push_failed"}
    assert "500" in result["description_placeholders"]["error"]
    assert CONF_PUSH_SET_UP not in init_integration.options


@pytest.mark.parametrize(
    "dialect",
    [Dialect.FANVIL, Dialect.GRANDSTREAM_GMI, Dialect.GRANDSTREAM_CTI],
    ids=["fanvil", "gmi", "cti"],
)
async def test_not_offered_where_no_setting_is_known(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """No dialect but the Web API writes Action URL settings whose names vendor material gives."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["menu_options"] == ["contacts", "push_urls"]


@WEBAPI
async def test_not_offered_while_the_phone_is_not_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry not loaded (starting, failed): Configure shows the pages that need no phone."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["menu_options"] == ["contacts", "push_urls"]
