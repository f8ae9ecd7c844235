"""Fixtures for the Home Assistant tests: a simulated phone per dialect, served on 127.0.0.1."""

from collections.abc import AsyncIterator, Generator
from datetime import timedelta
import hashlib
import json
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.const import CONF_DIALECT, DOMAIN, PUSH_COOLDOWN, SCAN_INTERVAL
from custom_components.ip_phone.webhook import async_action_urls
from simulator import Dialect, SimulatedPhone, SimulatorServer, Timings, serve
from tests.helpers import PASSWORD

ENTRY_ID = "01JIPPHONE0000000000000000"


def webhook_id_for(entry_id: str) -> str:
    """Return the webhook id of a test entry: 64 hex digits, as the config flow makes them."""
    return hashlib.sha256(entry_id.encode()).hexdigest()


WEBHOOK_ID = webhook_id_for(ENTRY_ID)
# What the config flow stores for each dialect's login (CTI has a passcode only).
USERNAMES: dict[Dialect, str] = {
    Dialect.GRANDSTREAM_WEBAPI: "gmiadmin",
    Dialect.GRANDSTREAM_GMI: "gmiadmin",
    Dialect.GRANDSTREAM_CTI: "",
    Dialect.FANVIL: "admin",
    Dialect.GRANDSTREAM_SESSION: "admin",
}
# The unique id the config flow gives each dialect's simulated phone: its MAC (CTI tells none).
UNIQUE_IDS: dict[Dialect, str | None] = {
    Dialect.GRANDSTREAM_WEBAPI: "00:0b:82:12:34:56",
    Dialect.GRANDSTREAM_GMI: "00:0b:82:12:34:56",
    Dialect.GRANDSTREAM_CTI: None,
    Dialect.FANVIL: "0c:38:3e:12:34:56",
    Dialect.GRANDSTREAM_SESSION: "00:0b:82:12:34:56",
}
TITLES: dict[Dialect, str] = {
    Dialect.GRANDSTREAM_WEBAPI: "Grandstream GXV3380",
    Dialect.GRANDSTREAM_GMI: "Grandstream GXP2200",
    Dialect.GRANDSTREAM_CTI: "Grandstream 127.0.0.1",
    Dialect.FANVIL: "Fanvil X6",
    Dialect.GRANDSTREAM_SESSION: "Grandstream WP826",
}


def entity_id(platform: str, dialect: Dialect, key: str) -> str:
    """Return the entity id of a phone's entity: the phone is named as the config flow names it."""
    return f"{platform}.{TITLES[dialect].lower().replace(' ', '_').replace('.', '_')}_{key}"


ALL_DIALECTS = pytest.mark.parametrize(
    "dialect", list(Dialect), ids=[dialect.value for dialect in Dialect]
)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize Home Assistant's objects as its own tests do: without volatile ids and times."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def sockets(socket_enabled: None) -> None:
    """Let the tests talk TCP to simulated phones on 127.0.0.1."""


@pytest.fixture
def dialect() -> Dialect:
    """Test a Web API phone, unless the test parametrizes the dialect (ALL_DIALECTS)."""
    return Dialect.GRANDSTREAM_WEBAPI


@pytest.fixture
def phone(dialect: Dialect) -> SimulatedPhone:
    """Simulate a phone of the dialect: instant timings, a password that needs encoding."""
    return SimulatedPhone(
        dialect,
        password=PASSWORD,
        timings=Timings.instant(),
        fanvil_auth=dialect is Dialect.FANVIL,
    )


@pytest.fixture
async def server(phone: SimulatedPhone) -> AsyncIterator[SimulatorServer]:
    """Serve the phone on a free port of 127.0.0.1."""
    async with serve(phone) as running:
        yield running


def entry_for(
    dialect: Dialect, server: SimulatorServer, entry_id: str = ENTRY_ID
) -> MockConfigEntry:
    """Make a config entry for a served phone, as the config flow creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLES[dialect],
        unique_id=UNIQUE_IDS[dialect],
        entry_id=entry_id,
        data={
            CONF_HOST: server.host,
            CONF_PORT: server.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_DIALECT: dialect.value,
            CONF_USERNAME: USERNAMES[dialect],
            CONF_PASSWORD: PASSWORD,
            CONF_WEBHOOK_ID: webhook_id_for(entry_id),
        },
    )


@pytest.fixture
def mock_config_entry(dialect: Dialect, server: SimulatorServer) -> MockConfigEntry:
    """Make the config entry of the phone under test."""
    return entry_for(dialect, server)


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up every platform; platform tests narrow it to their own."""
    return [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.EVENT,
        Platform.NOTIFY,
        Platform.SENSOR,
        Platform.SWITCH,
    ]


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are disabled by default (as Home Assistant's own tests do)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
def mock_platforms(platforms: list[Platform]) -> Generator[None]:
    """Set up only the platforms under test."""
    with patch("custom_components.ip_phone.PLATFORMS", platforms):
        yield


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_platforms: None
) -> AsyncIterator[MockConfigEntry]:
    """Set up the integration for the served phone; unload it while the phone is still served."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    yield mock_config_entry
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def push_urls(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> dict[str, str]:
    """Paste the URLs the integration shows into the phone's Action URL settings.

    Home Assistant's HTTP server listens on a free port of 127.0.0.1, which is made its local
    network address, so that the URLs shown are the ones the simulated phone can reach.
    Diagnostics is set up first: its view cannot be added once the server runs.
    """
    assert await async_setup_component(hass, "diagnostics", {})
    client = await hass_client_no_auth()
    await hass.config.async_update(internal_url=str(client.make_url("/")).rstrip("/"))
    urls = async_action_urls(hass, init_integration.data[CONF_WEBHOOK_ID])
    for event, url in urls.items():
        phone.set_action_url(event.value, url)
    return {event.value: url for event, url in urls.items()}


async def settle(hass: HomeAssistant) -> None:
    """Let a refresh kept back by the cooldown run now, and finish."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PUSH_COOLDOWN))
    await hass.async_block_till_done()


async def pushed(hass: HomeAssistant, server: SimulatorServer) -> None:
    """Wait until the phone has sent every push and Home Assistant has acted on them."""
    await server.pushes_sent()
    await hass.async_block_till_done()


def capture_calls(hass: HomeAssistant, entity: str) -> list[dict[str, Any]]:
    """Collect the events the Call entity fires from now on: type, line and other party."""
    fired: list[dict[str, Any]] = []

    @callback
    def keep(event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        if event.data["entity_id"] != entity or new is None:
            return
        if new.state in {STATE_UNKNOWN, STATE_UNAVAILABLE} or (old and old.state == new.state):
            return
        keys = ("event_type", "line", "remote_number", "remote_name")
        fired.append({key: new.attributes[key] for key in keys})

    hass.bus.async_listen(EVENT_STATE_CHANGED, keep)
    return fired


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 0) -> None:
    """Let the poll interval (or more) pass, and the poll finish."""
    freezer.tick(SCAN_INTERVAL + timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def back_after_reboot(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, server: SimulatorServer, seconds: float
) -> None:
    """Let a reboot of `seconds` end, then a poll pass: the phone is back by then."""
    await tick(hass, freezer, seconds)
    await server.settled()
    await tick(hass, freezer)


async def snapshot_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    entry: MockConfigEntry,
) -> None:
    """Snapshot a platform's entities; where the phone's API offers nothing, the snapshot is []."""
    if er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    else:
        assert snapshot(name="no-entities") == []


def phone_device(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> dr.DeviceEntry:
    """Return the device of a Grandstream phone's entry."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "00:0b:82:12:34:56"), entry.entry_id
    )
    assert device is not None
    return device


async def push_stats(hass: HomeAssistant, hass_client: ClientSessionGenerator) -> dict[str, Any]:
    """Return what the phone's diagnostics tell of its pushes: their public surface."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    return dict(diagnostics["push"])


def assert_error(err: HomeAssistantError, key: str, **placeholders: str) -> None:
    """Assert a translated error fully: its key, its placeholders, and the message users read.

    A placeholder given as "..." is only checked to be there (an error the phone words).
    """
    assert (err.translation_domain, err.translation_key) == (DOMAIN, key)
    given = err.translation_placeholders or {}
    assert given.keys() == placeholders.keys()
    expected = {
        name: given[name] if value == "..." else value for name, value in placeholders.items()
    }
    assert given == expected
    strings = json.loads(
        (Path(__file__).parents[2] / "custom_components" / DOMAIN / "strings.json").read_text(
            encoding="utf-8"
        )
    )
    assert str(err) == strings["exceptions"][key]["message"].format(**expected)
