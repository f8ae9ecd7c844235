"""Configuration values through actions: read, written and read back, deleted; bad input refused."""

from typing import Any

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ip_phone.const import DOMAIN
from simulator import Dialect, SimulatedPhone

from .conftest import ENTRY_ID, TITLES


@pytest.fixture
def platforms() -> list[Platform]:
    """No entities needed: actions only."""
    return []


def only(*dialects: Dialect) -> pytest.MarkDecorator:
    """Run a test for these dialects alone."""
    return pytest.mark.parametrize("dialect", dialects, ids=[d.value for d in dialects])


async def act(hass: HomeAssistant, service: str, **data: Any) -> Any:
    """Send an action to the test's phone; the answer for get_config."""
    data.setdefault(ATTR_CONFIG_ENTRY_ID, ENTRY_ID)
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=service == "get_config"
    )


@only(Dialect.FANVIL, Dialect.GRANDSTREAM_GMI)
async def test_get_config_answers_per_phone(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    names = ["sip.line.1.RegisterUser"] if dialect is Dialect.FANVIL else ["P68"]
    answer = await act(hass, "get_config", names=names)
    expected = "1001" if dialect is Dialect.FANVIL else phone.firmware
    assert answer == {
        "phones": [
            {"config_entry_id": ENTRY_ID, "name": TITLES[dialect], "values": {names[0]: expected}}
        ]
    }


@only(Dialect.FANVIL)
async def test_set_config_writes_and_reads_back(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await act(hass, "set_config", values={"tr069.ACSURL": "http://acs.example"})
    assert phone.config["tr069.ACSURL"] == "http://acs.example"


@only(Dialect.FANVIL)
async def test_set_config_value_not_taken(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """A phone that answers success and drops the value: the action says which one."""
    phone.ignored_config.add("tr069.acsurl")
    with pytest.raises(HomeAssistantError) as err:
        await act(hass, "set_config", values={"tr069.ACSURL": "http://acs.example"})
    assert err.value.translation_key == "config_not_taken"
    assert err.value.translation_placeholders["names"] == "tr069.ACSURL"


@only(Dialect.FANVIL)
async def test_set_config_refused(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.read_only_config.add("sip.pnpip")
    with pytest.raises(HomeAssistantError) as err:
        await act(hass, "set_config", values={"sip.PNPIP": "224.0.1.76"})
    assert err.value.translation_key == "command_failed"


@only(Dialect.FANVIL)
@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_config", {"values": {"info.sys.UpTime": "1"}}),
        ("set_config", {"values": {"sip.PNPIP": "a\nb"}}),
        ("get_config", {"names": ["sip line"]}),
        ("delete_config", {"names": ["sip.line.1"]}),
    ],
)
async def test_bad_input_sends_nothing(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    sent = len(phone.requests)
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, service, **data)
    assert err.value.translation_key == "invalid_argument"
    assert len(phone.requests) == sent


@only(Dialect.FANVIL)
async def test_delete_config(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.config["mmifilter.1.StartIP"] = "172.16.7.1"
    await act(hass, "delete_config", names=["mmifilter.1"])
    assert phone.config == {}


@only(Dialect.GRANDSTREAM_CTI, Dialect.GRANDSTREAM_GMI)
async def test_not_offered_where_the_api_cannot(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    sent = len(phone.requests)
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, "set_config", values={"P1": "1"})
    assert err.value.translation_key == "action_not_supported"
    if dialect is Dialect.GRANDSTREAM_CTI:
        with pytest.raises(ServiceValidationError):
            await act(hass, "get_config", names=["P1"])
    assert len(phone.requests) == sent
