"""Push set up in one click: Home Assistant writes the phone's Action URLs and reads them back."""

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ip_phone.const import CONF_PUSH_SET_UP
from custom_components.ip_phone.webhook import async_action_urls
from simulator import Dialect, Faults, PushEvent as SimPushEvent, SimulatedPhone, SimulatorServer
from tests.helpers import PASSWORD, login_attempts

from .conftest import entity_id, pushed, tick

WEBAPI = pytest.mark.parametrize(
    "dialect",
    [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_SESSION],
    ids=["webapi", "web_login"],
)


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
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    assert hass.states.get(entity_id("sensor", phone.dialect, "line_1")).state == ("ringing")

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
    """Only Grandstream's Web API and web login write Action URL settings named by vendors."""
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


@pytest.fixture
async def pushed_entry(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_platforms: None
) -> MockConfigEntry:
    """Add the phone, then set up push on it as the user would; the test removes the entry."""
    del mock_platforms
    entry = mock_config_entry
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await open_step(hass, entry, "push_setup")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_PUSH_SET_UP] is True
    return entry


@WEBAPI
@pytest.mark.parametrize(
    ("ignored", "left"), [(set(), set()), ({"8312"}, {SimPushEvent.MISSED})], ids=["taken", "kept"]
)
async def test_removal_clears_the_push_it_set_up(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    pushed_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    *,
    ignored: set[str],
    left: set[SimPushEvent],
) -> None:
    """The Action URLs are emptied; one the phone keeps is named in a warning, alone."""
    assert len(phone.action_urls) == 7
    phone.config["1561"] = "1"  # a setting of the user's own: left alone
    phone.ignored_config.update(ignored)

    await hass.config_entries.async_remove(pushed_entry.entry_id)

    assert set(phone.action_urls) == left
    assert phone.config["1561"] == "1"
    if left:
        assert "the phone kept them" in caplog.text
        assert "P8312 (missed)" in caplog.text
        assert "P8310" not in caplog.text
    else:
        assert "not cleared" not in caplog.text


@WEBAPI
async def test_removal_without_push_set_up_sends_nothing(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    mock_config_entry: MockConfigEntry,
    mock_platforms: None,
) -> None:
    """URLs pasted by hand are the user's: removal leaves them, and asks the phone nothing."""
    del mock_platforms
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    phone.set_action_url(SimPushEvent.INCOMING, "http://127.0.0.1:8123/by-hand")
    phone.requests.clear()

    await hass.config_entries.async_remove(mock_config_entry.entry_id)

    assert phone.requests == []
    assert phone.action_urls == {SimPushEvent.INCOMING: "http://127.0.0.1:8123/by-hand"}


@WEBAPI
async def test_removal_of_a_phone_that_is_off_warns(
    hass: HomeAssistant,
    server: SimulatorServer,
    pushed_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.phone.reboot(duration=3600)  # off: it answers nothing
    await server.settled()

    assert await hass.config_entries.async_remove(pushed_entry.entry_id) == {
        "require_restart": False
    }

    assert hass.config_entries.async_get_entry(pushed_entry.entry_id) is None
    (warning,) = [
        record.getMessage()
        for record in caplog.records
        if record.name == "custom_components.ip_phone" and record.levelno == logging.WARNING
    ]
    assert "were not cleared" in warning
    assert "P8310 (incoming)" in warning
    assert PASSWORD not in caplog.text


@WEBAPI
async def test_removal_after_a_refused_password_sends_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    server: SimulatorServer,
    pushed_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The phone refused the password (reauthentication asked): the removal tries no login."""
    phone = server.phone
    phone.password = "changed"
    phone.reboot(duration=0)  # every session gone
    await server.settled()
    await tick(hass, freezer)
    assert login_attempts(phone) == 2  # the first login, then the refused one

    await hass.config_entries.async_remove(pushed_entry.entry_id)

    assert login_attempts(phone) == 2
    assert len(phone.action_urls) == 7
    assert "refused the password" in caplog.text
    assert "P8314 (terminated)" in caplog.text
