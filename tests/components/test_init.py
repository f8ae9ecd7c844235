"""Setting up a phone, polling it, and what happens when it goes away or refuses the login."""

from datetime import timedelta
import logging
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.ip_phone.api import PhoneResponseError, WebApiClient
from custom_components.ip_phone.const import DOMAIN, SCAN_INTERVAL
from simulator import Dialect, Faults, SimulatedPhone, SimulatorServer
from tests.helpers import PASSWORD, login_attempts

from .conftest import ALL_DIALECTS, back_after_reboot, phone_device, tick

LINE_1 = "sensor.grandstream_gxv3380_line_1"


def logs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return the integration's log records, from INFO up."""
    return [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.ip_phone") and record.levelno >= logging.INFO
    ]


@ALL_DIALECTS
async def test_load_unload(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED


def test_poll_interval() -> None:
    """Call state must feel live: at most 15 seconds between polls."""
    assert timedelta(seconds=15) >= SCAN_INTERVAL


@pytest.mark.parametrize("faults", [Faults(drop=True), Faults(malformed=True)])
async def test_setup_retry(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    mock_config_entry: MockConfigEntry,
    faults: Faults,
) -> None:
    """An unreachable phone, or one answering nonsense, is tried again later."""
    phone.faults = faults
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


@ALL_DIALECTS
async def test_setup_refused_login(
    hass: HomeAssistant,
    dialect: Dialect,
    phone: SimulatedPhone,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A refused login at setup asks the user at once, and is not tried again.

    A web-login phone that locked its account says for how long (the reason the entry shows).
    """
    phone.password = "changed"
    if dialect is Dialect.GRANDSTREAM_SESSION:
        phone.lock_out()
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert login_attempts(phone) == 1
    if dialect is Dialect.GRANDSTREAM_SESSION:
        assert mock_config_entry.reason is not None
        assert "for 5 minutes" in mock_config_entry.reason


@ALL_DIALECTS
async def test_changed_password_starts_reauth_without_second_login(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    dialect: Dialect,
    phone: SimulatedPhone,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """Someone changes the phone's password: one refused login, then nothing until reauth."""
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    phone.password = "changed"
    # The phone restarts after the change, so every session is gone.
    phone.reboot(duration=0)
    await server.settled()
    phone.requests.clear()

    await tick(hass, freezer)

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    # CTI sends the passcode with every request: its poll's first read was its one attempt.
    assert login_attempts(phone) == 1
    state = hass.states.get(next(iter(hass.states.async_entity_ids())))
    assert state is not None
    assert state.state == STATE_UNAVAILABLE

    phone.requests.clear()
    for _ in range(3):
        await tick(hass, freezer)
    assert phone.requests == []


async def test_phone_away_and_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One log line when the phone goes away, one when it is back; unavailable in between."""
    assert hass.states.get(LINE_1).state == "idle"

    phone.faults = Faults(drop=True)
    for _ in range(3):
        await tick(hass, freezer)
    assert hass.states.get(LINE_1).state == STATE_UNAVAILABLE
    assert [record.levelname for record in logs(caplog)] == ["ERROR"]
    assert "Could not reach Grandstream GXV3380" in caplog.text

    # What changed while the phone was away is read when it is back, registration included.
    phone.set_registered(1, registered=False)
    phone.faults = Faults()
    for _ in range(2):
        await tick(hass, freezer)
    assert hass.states.get(LINE_1).state == "idle"
    assert hass.states.get("binary_sensor.grandstream_gxv3380_account_1").state == "off"
    assert [record.levelname for record in logs(caplog)] == ["ERROR", "INFO"]
    assert "recovered" in logs(caplog)[-1].getMessage()


async def test_password_quoted_by_the_phone_is_not_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An error quoting the phone's answer, which may echo the password, is shown without it.

    The simulator never echoes a password, so the library's error is made here.
    """
    echo = PhoneResponseError(f"Not JSON: 'bad passcode={PASSWORD}'")
    with patch.object(WebApiClient, "status", side_effect=echo):
        await tick(hass, freezer)
    assert hass.states.get(LINE_1).state == STATE_UNAVAILABLE
    assert "bad passcode=**REDACTED**" in caplog.text
    assert PASSWORD not in caplog.text


async def test_firmware_update_updates_the_device(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """A phone comes back from a firmware update with a new version; the device shows it."""
    before = phone_device(device_registry, init_integration)
    # The simulator's port changes from run to run, and with it the configuration URL.
    assert before == snapshot(name="device", exclude=props("configuration_url"))

    phone.firmware = "1.0.5.1"
    phone.reboot(duration=60)
    await server.settled()
    await tick(hass, freezer)
    assert hass.states.get(LINE_1).state == STATE_UNAVAILABLE

    await back_after_reboot(hass, freezer, server, 60)
    assert hass.states.get(LINE_1).state == "idle"
    # The device as described in one place: the same entry, the new version and nothing else.
    after = phone_device(device_registry, init_integration)
    assert after.sw_version == "1.0.5.1"
    assert after == snapshot(name="device-after-update", exclude=props("configuration_url"))
    assert (after.id, after.model, after.manufacturer, after.connections) == (
        before.id,
        before.model,
        before.manufacturer,
        before.connections,
    )


@ALL_DIALECTS
async def test_one_manufacturer_name_per_vendor(
    hass: HomeAssistant,
    dialect: Dialect,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One name per vendor, whichever name the API tells; a model for CTI too."""
    (device,) = dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)
    assert device.manufacturer == ("Fanvil" if dialect is Dialect.FANVIL else "Grandstream")
    assert device.model


async def test_line_the_phone_stops_reporting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    phone.lines.pop()
    await tick(hass, freezer)
    assert hass.states.get("sensor.grandstream_gxv3380_line_4").state == STATE_UNAVAILABLE
    assert hass.states.get(LINE_1).state == "idle"
