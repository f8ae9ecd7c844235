"""The blueprints, loaded from a config folder and run by Home Assistant against a simulated phone.

An automation waiting in `wait_for_trigger` keeps `async_block_till_done` from returning, so the
tests wait for the calls they expect instead.
"""

import asyncio
from collections.abc import Callable
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from simulator import LineState, SimulatedPhone
from simulator.state import Contact as SimContact

from .conftest import entity_id, phone_device

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "ip_phone"
CALL_EVENT = "event.grandstream_gxv3380_call"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give Home Assistant a config folder holding the blueprints, as a user who imported them."""
    shutil.copytree(
        BLUEPRINTS, Path(hass_tmp_config_dir) / "blueprints" / "automation" / "ip_phone"
    )
    return hass_tmp_config_dir


@pytest.fixture
def phone(phone: SimulatedPhone) -> SimulatedPhone:
    """Put Anna in the phone's phonebook."""
    phone.phonebook.save(SimContact(-1, "Anna", work="5551234"))
    return phone


@pytest.fixture
async def kitchen(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> str:
    """Name the phone "Kitchen phone" and return its device id."""
    await hass.async_block_till_done(wait_background_tasks=True)
    device = phone_device(device_registry, init_integration)
    device_registry.async_update_device(device.id, name_by_user="Kitchen phone")
    return device.id


async def automate(hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]) -> None:
    """Set up one automation made from a blueprint."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": blueprint,
                "use_blueprint": {"path": f"ip_phone/{blueprint}.yaml", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()


async def until(check: Callable[[], bool]) -> None:
    """Wait until `check` holds (at most 5 s)."""
    async with asyncio.timeout(5):
        while not check():  # noqa: ASYNC110 (the simulator and services set no event to wait on)
            await asyncio.sleep(0.01)


async def test_every_blueprint_loads(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "automation", {})
    blueprints = await async_get_blueprints(hass).async_get_blueprints()
    ours = {path for path in blueprints if path.startswith("ip_phone/")}
    assert ours == {
        "ip_phone/call_on_trigger.yaml",
        "ip_phone/ringing_pause_media.yaml",
        "ip_phone/missed_call_notify.yaml",
    }
    assert all(not isinstance(blueprints[path], Exception) for path in ours)


async def test_call_a_contact_when_the_doorbell_rings(
    hass: HomeAssistant, phone: SimulatedPhone, kitchen: str
) -> None:
    await automate(
        hass,
        "call_on_trigger",
        {
            "when": [{"trigger": "event", "event_type": "doorbell"}],
            "phones": [kitchen],
            "contact": "Anna",
            "hang_up_after": 1,
        },
    )
    hass.bus.async_fire("doorbell")
    await until(lambda: phone.calls == ["5551234"])
    assert phone.line(1).state is LineState.CONNECTED
    # A second later the automation hangs up (a frozen clock would stop the waiting here too).
    await until(lambda: phone.line(1).state is LineState.IDLE)


async def test_call_a_number(hass: HomeAssistant, phone: SimulatedPhone, kitchen: str) -> None:
    await automate(
        hass,
        "call_on_trigger",
        {
            "when": [{"trigger": "event", "event_type": "doorbell"}],
            "phones": [kitchen],
            "number": "201",
        },
    )
    hass.bus.async_fire("doorbell")
    await until(lambda: phone.calls == ["201"])


async def test_pause_announce_and_resume(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry, kitchen: str
) -> None:
    paused = async_mock_service(hass, "media_player", "media_pause")
    played = async_mock_service(hass, "media_player", "media_play")
    announced = async_mock_service(hass, "assist_satellite", "announce")
    hass.states.async_set("media_player.radio", "playing")
    hass.states.async_set("media_player.tv", "off")
    await automate(
        hass,
        "ringing_pause_media",
        {
            "call_events": [CALL_EVENT],
            "media_players": ["media_player.radio", "media_player.tv"],
            "satellites": ["assist_satellite.kitchen"],
        },
    )
    phone.ring(1, "5551234")
    await init_integration.runtime_data.async_refresh()
    await until(lambda: bool(paused and announced))
    assert paused[0].data["entity_id"] == ["media_player.radio"]
    assert announced[0].data["message"] == "Anna is calling"
    assert not played
    phone.remote_hang_up(1)
    await init_integration.runtime_data.async_refresh()
    await until(lambda: bool(played))
    assert played[0].data["entity_id"] == ["media_player.radio"]


async def test_missed_call_notification(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry, kitchen: str
) -> None:
    notes: list[ServiceCall] = async_mock_service(hass, "persistent_notification", "create")
    await automate(hass, "missed_call_notify", {"call_events": [CALL_EVENT]})
    assert hass.states.get(entity_id("event", phone.dialect, "call")) is not None
    for number in ("5551234", "999"):
        phone.ring(1, number, "Front desk")
        await init_integration.runtime_data.async_refresh()
        phone.remote_hang_up(1)
        await init_integration.runtime_data.async_refresh()
    await until(lambda: len(notes) == 2)
    assert [note.data["message"] for note in notes] == [
        "Anna called the Kitchen phone.",
        "Front desk called the Kitchen phone.",
    ]
