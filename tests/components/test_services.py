"""The phone actions, sent to simulated phones over HTTP."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_AREA_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import area_registry as ar, device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

import custom_components.ip_phone
from custom_components.ip_phone.const import DOMAIN
from simulator import Dialect, Faults, LineState, SimulatedPhone, Timings, serve
from tests.helpers import PASSWORD

from .conftest import (
    ALL_DIALECTS,
    ENTRY_ID,
    TITLES,
    assert_error,
    entity_id,
    entry_for,
    phone_device,
    settle,
)

CAN_END = pytest.mark.parametrize(
    "dialect",
    [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_SESSION, Dialect.GRANDSTREAM_CTI],
    ids=lambda dialect: dialect.value,
)


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the sensors: the actions refresh what they show."""
    return [Platform.SENSOR]


def line_state(hass: HomeAssistant, dialect: Dialect, line: int) -> str:
    state = hass.states.get(entity_id("sensor", dialect, f"line_{line}"))
    assert state is not None
    return state.state


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Send an action to the phone of the test's config entry, and let the refresh after it run."""
    data.setdefault(ATTR_CONFIG_ENTRY_ID, ENTRY_ID)
    try:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
    finally:
        await settle(hass)


@ALL_DIALECTS
async def test_make_call(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """The phone dials exactly the number given, from the account given."""
    if phone.dialect is Dialect.FANVIL:
        await call(hass, "make_call", number="+1555*0100#")
    else:
        await call(hass, "make_call", number="+1555*0100#", account=2)
        assert phone.lines[0].account == 2
    assert phone.calls == ["+1555*0100#"]


@pytest.mark.parametrize("dialect", [Dialect.FANVIL])
async def test_make_call_account_not_supported(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Fanvil's Dial command takes no account: refused rather than dialled from another one."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "make_call", number="5550100", account=2)
    assert_error(err.value, "not_supported", phone="Fanvil X6", error="...")
    assert phone.calls == []


@CAN_END
async def test_call_and_end_call(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """The line sensor follows the call at once: the action reads the phone right after."""
    await call(hass, "make_call", number="5550100")
    assert line_state(hass, dialect, 1) == "connected"

    await call(hass, "end_call")
    assert phone.lines[0].state is LineState.IDLE
    assert line_state(hass, dialect, 1) == "idle"


@CAN_END
async def test_answer_hold_end(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.ring(2, "5551234", "Reception")
    await call(hass, "answer_call", line=2)
    assert phone.lines[1].state is LineState.CONNECTED
    assert line_state(hass, dialect, 2) == "connected"

    await call(hass, "hold_call")
    assert phone.lines[1].state is LineState.HOLD
    assert line_state(hass, dialect, 2) == "on_hold"

    await call(hass, "end_call", line=2)
    assert line_state(hass, dialect, 2) == "idle"


@CAN_END
async def test_reject(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.ring(1, "5551234")
    await call(hass, "reject_call")
    assert phone.lines[0].state is LineState.IDLE
    assert line_state(hass, dialect, 1) == "idle"


@pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_CTI, Dialect.FANVIL], ids=lambda dialect: dialect.value
)
@pytest.mark.parametrize("platforms", [[Platform.BUTTON]])
async def test_send_keys(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await call(hass, "send_keys", keys="1:2:3")
    assert phone.keys[-3:] == ["1", "2", "3"]


async def test_reboot(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.timings.reboot = 30
    await call(hass, "reboot")
    assert phone.rebooting
    assert line_state(hass, Dialect.GRANDSTREAM_WEBAPI, 1) == "unavailable"


async def test_target_by_device(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    device = phone_device(device_registry, init_integration)
    await hass.services.async_call(
        DOMAIN, "make_call", {ATTR_DEVICE_ID: device.id, "number": "5550100"}, blocking=True
    )
    assert phone.calls == ["5550100"]


async def test_target_by_entity(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Any entity of the phone names it, as the action editor's target picker writes it."""
    await hass.services.async_call(
        DOMAIN,
        "make_call",
        {"number": "5550100"},
        target={ATTR_ENTITY_ID: entity_id("sensor", Dialect.GRANDSTREAM_WEBAPI, "line_1")},
        blocking=True,
    )
    assert phone.calls == ["5550100"]


async def test_target_by_area(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    area_registry: ar.AreaRegistry,
) -> None:
    """An area holds the phones in it; an area without one names no phone."""
    kitchen = area_registry.async_create("Kitchen")
    empty = area_registry.async_create("Hall")
    device_registry.async_update_device(
        phone_device(device_registry, init_integration).id, area_id=kitchen.id
    )
    await hass.services.async_call(
        DOMAIN, "make_call", {"number": "5550100"}, target={ATTR_AREA_ID: kitchen.id}, blocking=True
    )
    assert phone.calls == ["5550100"]
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "reboot", {}, target={ATTR_AREA_ID: empty.id}, blocking=True
        )
    assert err.value.translation_key == "no_phone"


async def test_target_not_a_phone(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    hass.states.async_set("light.kitchen", "on")
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "reboot", {}, target={ATTR_ENTITY_ID: "light.kitchen"}, blocking=True
        )
    assert err.value.translation_key == "not_a_phone_entity"
    assert str(err.value) == "light.kitchen is not an entity of an IP phone"


@CAN_END
async def test_resume_call(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """A held call is resumed, with or without its line; hold does not toggle it back."""
    phone.dial("5550100")
    await call(hass, "hold_call", line=1)
    await call(hass, "hold_call")
    assert line_state(hass, dialect, 1) == "on_hold"
    await call(hass, "resume_call")
    assert phone.lines[0].state is LineState.CONNECTED
    assert line_state(hass, dialect, 1) == "connected"
    await call(hass, "hold_call")
    await call(hass, "resume_call", line=1)
    assert line_state(hass, dialect, 1) == "connected"


@pytest.fixture
async def second_phone(
    hass: HomeAssistant,
) -> AsyncIterator[tuple[SimulatedPhone, MockConfigEntry]]:
    """Serve and set up a second phone, a CTI one."""
    phone = SimulatedPhone(Dialect.GRANDSTREAM_CTI, password=PASSWORD, timings=Timings.instant())
    async with serve(phone) as server:
        entry = entry_for(Dialect.GRANDSTREAM_CTI, server, entry_id="01JIPPHONE0000000000000002")
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield phone, entry
        await hass.config_entries.async_unload(entry.entry_id)


async def test_several_phones(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    second_phone: tuple[SimulatedPhone, MockConfigEntry],
    device_registry: dr.DeviceRegistry,
) -> None:
    """One action, two phones: by device and by config entry, each dials once."""
    other, other_entry = second_phone
    device = phone_device(device_registry, init_integration)
    await hass.services.async_call(
        DOMAIN,
        "make_call",
        {
            ATTR_DEVICE_ID: [device.id],
            ATTR_CONFIG_ENTRY_ID: [other_entry.entry_id, init_integration.entry_id],
            "number": "5550100",
        },
        blocking=True,
    )
    assert phone.calls == ["5550100"]
    assert other.calls == ["5550100"]


async def test_several_phones_one_fails(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    second_phone: tuple[SimulatedPhone, MockConfigEntry],
) -> None:
    """A phone that is away does not keep the others from the action; the failure is raised."""
    other, other_entry = second_phone
    other.faults = Faults(drop=True)
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "make_call",
            config_entry_id=[other_entry.entry_id, init_integration.entry_id],
            number="5550100",
        )
    assert_error(err.value, "cannot_connect", phone=other_entry.title, error="...")
    assert phone.calls == ["5550100"]


# Refused before anything is sent ------------------------------------------------------------------
async def test_invalid_number(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "make_call", number="555 0100")
    assert_error(err.value, "invalid_argument", phone="Grandstream GXV3380", error="...")
    assert phone.calls == []
    # Nothing was sent, so there is nothing new to read either.
    assert phone.requests == []


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_GMI])
async def test_action_not_supported(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """GMI dials but cannot hang up: refused with a clear message, nothing sent."""
    phone.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "end_call")
    assert err.value.translation_key == "action_not_supported"
    assert str(err.value) == "Grandstream GXP2200 cannot do end_call: its API does not offer it"
    assert phone.requests == []


@pytest.mark.parametrize(
    ("service", "data", "key", "message"),
    [
        ("end_call", {"line": 5}, "unknown_line", "Grandstream GXV3380 has no line 5"),
        (
            "make_call",
            {"number": "1", "account": 7},
            "unknown_account",
            "Grandstream GXV3380 has no account 7",
        ),
    ],
)
async def test_unknown_line_or_account(
    hass: HomeAssistant,
    *,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
    message: str,
) -> None:
    phone.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, **data)
    assert err.value.translation_key == key
    assert str(err.value) == message
    assert phone.requests == []


async def test_phone_not_loaded(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "make_call", number="5550100")
    assert err.value.translation_key == "service_config_entry_not_loaded"


async def test_unknown_device(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "reboot", {ATTR_DEVICE_ID: "not-a-device"}, blocking=True
        )
    assert err.value.translation_key == "service_device_not_found"


# Failed at the phone -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("faults", "key"),
    [
        (Faults(drop=True), "cannot_connect"),
        (Faults(malformed=True), "invalid_response"),
    ],
)
async def test_phone_fails(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    faults: Faults,
    key: str,
) -> None:
    phone.faults = faults
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "make_call", number="5550100")
    assert_error(err.value, key, phone="Grandstream GXV3380", error="...")


@CAN_END
@pytest.mark.parametrize(
    ("service", "data", "message"),
    [
        ("answer_call", {}, "There is no ringing call to answer on {phone}"),
        ("reject_call", {"line": 2}, "There is no ringing call to reject on {phone}"),
        ("end_call", {}, "There is no call to end on {phone}"),
        ("end_call", {"line": 1}, "There is no call to end on {phone}"),
        ("hold_call", {}, "There is no connected call to hold on {phone}"),
        ("resume_call", {"line": 3}, "There is no held call to resume on {phone}"),
    ],
)
async def test_nothing_to_act_on(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    *,
    dialect: Dialect,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    message: str,
) -> None:
    """An idle phone or line: a plain sentence as a validation error, nothing sent, no ERROR."""
    phone.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, **data)
    assert str(err.value) == message.format(phone=TITLES[dialect])
    assert not [r for r in phone.requests if "operation" in r.path]
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


@pytest.mark.parametrize(
    ("dialect", "key"),
    [
        (Dialect.FANVIL, "invalid_auth"),
        # A CTI phone answers a wrong passcode on an action as it answers any refusal.
        (Dialect.GRANDSTREAM_CTI, "command_failed"),
    ],
    ids=["fanvil", "grandstream_cti"],
)
async def test_refused_login_starts_reauth(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry, key: str
) -> None:
    """The password changed: the action fails, and the user is asked for the new one."""
    phone.password = "changed"
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "make_call", number="5550100")
    assert_error(err.value, key, phone=init_integration.title, error="...")
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_schema_needs_a_phone(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    with pytest.raises(Exception, match=r"config_entry_id|device_id"):
        await hass.services.async_call(DOMAIN, "reboot", {}, blocking=True)


async def test_actions_registered_once_for_every_phone(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The actions of services.yaml exist, and stay when the phone is unloaded."""
    services = yaml.safe_load(
        (Path(custom_components.ip_phone.__file__).parent / "services.yaml").read_text()
    )
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert set(hass.services.async_services_for_domain(DOMAIN)) == set(services)
