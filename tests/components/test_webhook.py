"""Pushes: the phone's Action URL requests reach the entry's webhook and show at once."""

import asyncio
import logging
import time
from unittest.mock import patch

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.network import NoURLAvailableError
from multidict import MultiDict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ip_phone.const import PUSH_COOLDOWN
from custom_components.ip_phone.push import Push, PushEvent
from custom_components.ip_phone.webhook import (
    MAX_VALUE,
    UNKNOWN_BASE_URL,
    async_action_urls,
    parse_push,
)
from simulator import Dialect, SimulatedPhone, SimulatorServer

from .conftest import (
    ALL_DIALECTS,
    WEBHOOK_ID,
    capture_calls,
    entity_id,
    push_stats,
    pushed,
    settle,
)

MAC = "000b82123456"
PHONE_AND_FANVIL = pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_WEBAPI, Dialect.FANVIL], ids=lambda dialect: dialect.value
)


def line_reads(phone: SimulatedPhone) -> int:
    """Count the refreshes the phone has answered: each reads the lines (Fanvil: the accounts)."""
    marks = ("api-get_line_status", "action=lineStatus&line=0", "/xmlService")
    return sum(
        any(mark in f"{request.path}?{request.query_string}" for mark in marks)
        for request in phone.requests
    )


@ALL_DIALECTS
async def test_push_shows_at_once(
    hass: HomeAssistant,
    *,
    hass_client: ClientSessionGenerator,
    dialect: Dialect,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """A call shows on the line sensor and fires the Call event without waiting for a poll."""
    calls = capture_calls(hass, entity_id("event", dialect, "call"))
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)

    line = hass.states.get(entity_id("sensor", dialect, "line_1"))
    assert line is not None
    assert line.state == "ringing"
    # GMI's lines do not tell who calls: the event has it from the push.
    assert calls == [
        {
            "event_type": "incoming",
            "line": 1,
            "remote_number": "5551234",
            "remote_name": "Reception",
        }
    ]
    stats = await push_stats(hass, hass_client)
    assert (stats["accepted"], stats["ignored"], stats["last_event"]) == (1, 0, "incoming")


async def test_registration_push(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """An account dropping its registration shows at once."""
    account = "binary_sensor.grandstream_gxv3380_account_1"
    assert hass.states.get(account).state == STATE_ON
    phone.set_registered(1, registered=False)
    await pushed(hass, server)
    assert hass.states.get(account).state == STATE_OFF


@PHONE_AND_FANVIL
@pytest.mark.parametrize(
    "query",
    [
        "event=incoming&mac=0c383e000000&remote=$remote",
        "event=ringing&mac=$mac&remote=$remote",
        "event=INCOMING&mac=$mac",
        "mac=$mac&remote=$remote",
        "event=incoming",
        "event=incoming&mac=not-a-mac",
        "event=incoming&mac=$mac&mac=$mac",
        "event=incoming&event=missed&mac=$mac",
        "event=incoming&mac=$mac&remote=1&remote=2",
        "%zz=%ff&event=incoming%00&mac=$mac",
        "",
    ],
    ids=[
        "wrong-mac",
        "unknown-event",
        "event-case",
        "no-event",
        "no-mac",
        "malformed-mac",
        "repeated-mac",
        "repeated-event",
        "repeated-remote",
        "garbage",
        "empty",
    ],
)
async def test_ignored(
    hass: HomeAssistant,
    *,
    hass_client: ClientSessionGenerator,
    dialect: Dialect,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    query: str,
) -> None:
    """What is not a push from this phone changes nothing and logs nothing above debug."""
    caplog.set_level(logging.DEBUG, logger="custom_components.ip_phone")
    phone.set_action_url("incoming", push_urls["incoming"].split("?")[0] + "?" + query)
    calls = capture_calls(hass, entity_id("event", dialect, "call"))
    phone.requests.clear()

    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    await settle(hass)

    assert phone.requests == []
    assert calls == []
    # Before the diagnostics, which read the phone's details (and log that at debug level).
    ours = [r for r in caplog.records if r.name.startswith("custom_components.ip_phone")]
    stats = await push_stats(hass, hass_client)
    assert (stats["ignored"], stats["accepted"]) == (1, 0)
    assert [record.levelno for record in ours] == [logging.DEBUG]
    assert "Ignored a request to the push URL" in ours[0].getMessage()
    assert "5551234" not in ours[0].getMessage()


@PHONE_AND_FANVIL
async def test_post(
    hass: HomeAssistant,
    dialect: Dialect,
    phone: SimulatedPhone,
    hass_client_no_auth: ClientSessionGenerator,
    push_urls: dict[str, str],
) -> None:
    """A POST is taken like a GET, but one with a body is ignored, its body never read."""
    calls = capture_calls(hass, entity_id("event", dialect, "call"))
    client = await hass_client_no_auth()
    # The test client takes paths: the one of the incoming call's URL, filled in as the phone would.
    url = "/" + push_urls["incoming"].split("/", 3)[3]
    url = url.replace("$mac", phone.mac.replace(":", "").lower())
    phone.set_action_url("incoming", "")  # the requests below are the only ones
    phone.ring(1, "5551234", "Reception")
    phone.requests.clear()

    response = await client.post(url, data=b'{"event": "incoming"}' * 1000)
    assert response.status == 200
    assert await response.text() == ""
    await hass.async_block_till_done()
    assert phone.requests == []
    assert calls == []

    response = await client.post(url)
    assert response.status == 200
    await hass.async_block_till_done()
    assert [call["event_type"] for call in calls] == ["incoming"]


@PHONE_AND_FANVIL
async def test_burst(
    hass: HomeAssistant,
    *,
    hass_client: ClientSessionGenerator,
    dialect: Dialect,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """1,000 events in a burst cost a handful of refreshes, and leave nothing running.

    The phone sends them one after the other, as phones do; a refresh runs at the first, then at
    most one per cooldown while they keep coming, then one after the last.
    """
    phone.requests.clear()
    start = time.monotonic()
    for _ in range(500):
        phone.ring(1, "5551234", "Reception")
        phone.remote_hang_up(1)
    await pushed(hass, server)
    burst = time.monotonic() - start
    await settle(hass)

    reads = line_reads(phone)  # before the diagnostics, which read the phone's details
    assert (await push_stats(hass, hass_client))["accepted"] == 1000
    if dialect is Dialect.FANVIL:
        # Fanvil's pushes are its line state: they cost no request at all.
        assert reads == 0
    else:
        # About 1 s of pushes here: 4 refreshes.
        assert 2 <= reads <= 2 + burst / PUSH_COOLDOWN
    assert hass.states.get(entity_id("sensor", dialect, "line_1")).state == "idle"
    assert not [task for task in asyncio.all_tasks() if "debouncer" in task.get_name()]


async def test_cooldown_keeps_the_last_push(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """A push right after a refresh waits for the cooldown, then shows: it is never lost."""
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    phone.answer(1)
    await pushed(hass, server)
    line = entity_id("sensor", Dialect.GRANDSTREAM_WEBAPI, "line_1")
    assert hass.states.get(line).state == "ringing"

    await settle(hass)
    assert hass.states.get(line).state == "connected"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
async def test_phone_without_mac(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    push_urls: dict[str, str],
) -> None:
    """A CTI phone tells no MAC, so any well-formed one is taken: the webhook id is the key."""
    phone.mac = "00:0B:82:AB:CD:EF"
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    assert hass.states.get(entity_id("sensor", Dialect.GRANDSTREAM_CTI, "line_1")).state == (
        "ringing"
    )


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
async def test_discovered_phone_without_mac(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A CTI phone found by DHCP has its MAC as unique id: pushes must carry it."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id="00:0b:82:ab:cd:ef")
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    path = f"/api/webhook/{WEBHOOK_ID}?event=incoming&mac="
    phone.ring(1, "5551234", "Reception")
    phone.requests.clear()

    await client.get(path + MAC)
    await hass.async_block_till_done()
    assert phone.requests == []

    await client.get(path + "00-0B-82-AB-CD-EF")
    await hass.async_block_till_done()
    assert phone.requests != []
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_unload_stops_pushes(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
    push_urls: dict[str, str],
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    phone.requests.clear()
    phone.ring(1, "5551234", "Reception")
    await pushed(hass, server)
    assert phone.requests == []


# The URLs shown ---------------------------------------------------------------------------------
async def test_urls_under_configure(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    push_urls: dict[str, str],
) -> None:
    """Configure shows the URL for each event, on Home Assistant's local address."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["contacts", "push_urls", "push_setup"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "push_urls"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "push_urls"
    assert result["description_placeholders"] == {"name": "Grandstream GXV3380"}
    assert result["last_step"] is True
    # One read-only field per event, the URL in it, for the frontend to show whole and copyable.
    fields = {str(key): key for key in result["data_schema"].schema}
    shown = {name: key.description["suggested_value"] for name, key in fields.items()}
    assert shown == push_urls
    assert shown["incoming"].endswith(
        f"/api/webhook/{WEBHOOK_ID}"
        "?event=incoming&mac=$mac&local=$local&remote=$remote&name=$display_remote"
    )
    assert shown["registered"].endswith("?event=registered&mac=$mac&local=$local")
    selectors = {selector.config["read_only"] for selector in result["data_schema"].schema.values()}
    assert selectors == {True}

    # "Done" (the read-only fields come back as they are) changes nothing.
    result = await hass.config_entries.options.async_configure(result["flow_id"], shown)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {}


async def test_urls_without_a_local_address(hass: HomeAssistant) -> None:
    """Where Home Assistant knows no address of its own, the URL says what to put there."""
    with patch("custom_components.ip_phone.webhook.get_url", side_effect=NoURLAvailableError):
        urls = async_action_urls(hass, WEBHOOK_ID)
    assert urls[PushEvent.MISSED].startswith(f"{UNKNOWN_BASE_URL}/api/webhook/{WEBHOOK_ID}?")


# Reading a push -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "push"),
    [
        (
            {"event": "missed", "mac": "00:0B:82:12:34:56", "remote": "5551234", "name": "Gym"},
            Push(event=PushEvent.MISSED, remote="5551234", name="Gym"),
        ),
        (
            {"event": "incoming", "mac": MAC, "remote": "$remote", "name": "$display_remote"},
            Push(event=PushEvent.INCOMING),
        ),
        (
            {"event": "outgoing", "mac": MAC, "name": "Rec\x00ep\ntion\u200e ", "x": "1", "y": "2"},
            Push(event=PushEvent.OUTGOING, name="Reception"),
        ),
        (
            {"event": "registered", "mac": MAC, "local": "1" * 500},
            Push(event=PushEvent.REGISTERED, local="1" * MAX_VALUE),
        ),
    ],
    ids=["separators", "unreplaced", "unprintable", "too-long"],
)
def test_parse_push(query: dict[str, str], push: Push) -> None:
    """Values are untrusted text: printable, cut to length, unreplaced variables empty."""
    assert parse_push(MultiDict(query), MAC) == push
