"""Voice: the built-in agent's sentences, the intents and AI agents' tools, on simulated phones."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from homeassistant.components import conversation
from homeassistant.components.conversation.trigger import TRIGGER_SCHEMA
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
    llm,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.ip_phone.const import DOMAIN
from simulator import Dialect, LineState, SimulatedPhone, SimulatorServer, Timings, serve
from simulator.state import Contact as SimContact
from tests.helpers import PASSWORD

from .conftest import entry_for, phone_device

VOICE = Path(__file__).parents[2] / "custom_components" / "ip_phone" / "voice"
OFFICE_ID = "01JIPPHONEOFFICE0000000000"


@pytest.fixture
def phone() -> SimulatedPhone:
    """Serve the kitchen phone: Web API, with Anna, Annex and Workshop in its phonebook."""
    phone = SimulatedPhone(Dialect.GRANDSTREAM_WEBAPI, password=PASSWORD, timings=Timings.instant())
    phone.phonebook.save(SimContact(-1, "Anna", work="5551234"))
    phone.phonebook.save(SimContact(-1, "Annex", work="5550000"))
    phone.phonebook.save(SimContact(-1, "Workshop", mobile="0170 1234567", work="0301234"))
    return phone


@pytest.fixture
async def office() -> AsyncIterator[SimulatorServer]:
    """Serve the office phone: CTI (no phonebook), its first account's SIP id 2001."""
    phone = SimulatedPhone(Dialect.GRANDSTREAM_CTI, password=PASSWORD, timings=Timings.instant())
    phone.accounts[0].sip_id = "2001"
    async with serve(phone) as running:
        yield running


@pytest.fixture
async def phones(  # noqa: PLR0917 (fixtures)
    hass: HomeAssistant,
    server: SimulatorServer,
    office: SimulatorServer,
    mock_platforms: None,
    device_registry: dr.DeviceRegistry,
    area_registry: ar.AreaRegistry,
) -> AsyncIterator[dict[str, MockConfigEntry]]:
    """Set up the agent and two phones: "Kitchen phone" in the Kitchen, "Office phone"."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    assert await async_setup_component(hass, "llm", {})
    entries = {
        "kitchen": entry_for(Dialect.GRANDSTREAM_WEBAPI, server),
        "office": entry_for(Dialect.GRANDSTREAM_CTI, office, entry_id=OFFICE_ID),
    }
    for entry in entries.values():
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    kitchen = area_registry.async_create("Kitchen")
    device_registry.async_update_device(
        phone_device(device_registry, entries["kitchen"]).id,
        name_by_user="Kitchen phone",
        area_id=kitchen.id,
    )
    (office_device,) = dr.async_entries_for_config_entry(device_registry, OFFICE_ID)
    device_registry.async_update_device(office_device.id, name_by_user="Office phone")
    yield entries
    for entry in entries.values():
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def say(hass: HomeAssistant, text: str, language: str = "en", **kwargs: Any) -> str:
    """Say `text` to the built-in agent; return its spoken answer."""
    result = await conversation.async_converse(
        hass, text, None, Context(), language=language, **kwargs
    )
    return str(result.response.speech["plain"]["speech"])


@pytest.mark.parametrize(
    ("text", "language", "number", "answer"),
    [
        ("call Anna on the kitchen phone", "en", "5551234", "Kitchen phone is calling Anna."),
        ("call 555 1234 on the kitchen phone please", "en", "5551234", None),
        ("dial 5551234 on the kitchen phone", "en", "5551234", None),
        ("call Anna in the kitchen", "en", "5551234", None),
        ("Ruf Anna vom Kitchen phone an", "de", "5551234", "Kitchen phone ruft Anna an."),
        ("Bel Anna met de kitchen phone", "nl", "5551234", "Kitchen phone belt Anna."),
        ("Appelle Anna depuis le kitchen phone", "fr", "5551234", None),
        ("Llama a Anna desde el kitchen phone", "es", "5551234", None),
    ],
)
async def test_call_by_voice(  # noqa: PLR0917 (fixtures and parameters)
    hass: HomeAssistant,
    phone: SimulatedPhone,
    phones: dict[str, MockConfigEntry],
    text: str,
    language: str,
    number: str,
    answer: str | None,
) -> None:
    spoken = await say(hass, text, language)
    assert phone.calls == [number]
    if answer is not None:
        assert spoken == answer


async def test_call_from_the_office(
    hass: HomeAssistant, phone: SimulatedPhone, office: SimulatorServer, phones: Any
) -> None:
    """The office phone has no phonebook; the kitchen's contacts work from it too."""
    assert await say(hass, "call Anna on the office phone") == "Office phone is calling Anna."
    assert office.phone.calls == ["5551234"]
    assert await say(hass, "have the kitchen phone call the office") == (
        "Kitchen phone is calling Office phone."
    )
    assert phone.calls == ["2001"]


async def test_spoken_answers_when_nothing_is_done(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    office: SimulatorServer,
    phones: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert await say(hass, "call Ann on the kitchen phone") == "Which one: Anna or Annex?"
    assert await say(hass, "call Cellar on the kitchen phone") == (
        "I don't know anyone called Cellar."
    )
    assert await say(hass, "call Anna on the garage phone") == (
        "I don't know a phone called garage phone."
    )
    assert await say(hass, "call Anna") == "Which phone: Kitchen phone or Office phone?"
    assert await say(hass, "hang up") == "Nobody is calling."
    assert await say(hass, "hang up the kitchen phone") == "There is no call on Kitchen phone."
    assert await say(hass, "answer the phone") == "No phone is ringing."
    assert await say(hass, "who is calling") == "Nobody is calling."
    assert await say(hass, "Ruf Cellar vom Kitchen phone an", "de") == (
        "Ich kenne niemanden namens Cellar."
    )
    assert phone.calls == office.phone.calls == []
    assert "ERROR" not in caplog.text


async def test_the_satellites_area_is_preferred(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    phones: Any,
    device_registry: dr.DeviceRegistry,
    area_registry: ar.AreaRegistry,
) -> None:
    kitchen = area_registry.async_get_area_by_name("Kitchen")
    assert kitchen is not None
    satellite = device_registry.async_get_or_create(
        config_entry_id=phones["kitchen"].entry_id, identifiers={("test", "satellite")}
    )
    device_registry.async_update_device(satellite.id, area_id=kitchen.id)
    assert await say(hass, "call the workshop", device_id=satellite.id) == (
        "Kitchen phone is calling Workshop."
    )
    await say(hass, "hang up", device_id=satellite.id)
    await say(hass, "call the workshop on their mobile", device_id=satellite.id)
    assert phone.calls == ["0301234", "01701234567"]


async def test_ringing_answer_hang_up(
    hass: HomeAssistant, phone: SimulatedPhone, phones: dict[str, MockConfigEntry]
) -> None:
    phone.ring(1, "5551234")
    await phones["kitchen"].runtime_data.async_refresh()
    assert await say(hass, "who is calling") == "Anna is calling Kitchen phone."
    assert await say(hass, "wer ruft an", "de") == "Auf Kitchen phone ruft Anna an."
    assert await say(hass, "answer the phone") == "Kitchen phone answered the call."
    assert phone.line(1).state is LineState.CONNECTED
    assert await say(hass, "hang up") == "Kitchen phone hung up."
    assert phone.line(1).state is LineState.IDLE


async def test_a_phone_that_cannot(
    hass: HomeAssistant, office: SimulatorServer, phones: Any
) -> None:
    office.phone.ring(1, "5550000")
    await phones["office"].runtime_data.async_refresh()
    office.phone.faults.status = 500
    assert (await say(hass, "answer the phone")).startswith("Office phone could not do it:")


async def test_options_contacts_and_voice_default(
    hass: HomeAssistant, phone: SimulatedPhone, phones: dict[str, MockConfigEntry]
) -> None:
    hass.config_entries.async_update_entry(
        phones["office"],
        options={"contacts": [{"name": "Gate", "number": "201"}], "voice_default": True},
    )
    assert await say(hass, "call the gate") == "Office phone is calling Gate."


# The intents without the agent, as AI agents and custom sentences reach them ------------------
async def test_only_exposed_phones_for_an_assistant(
    hass: HomeAssistant, phone: SimulatedPhone, phones: Any, entity_registry: er.EntityRegistry
) -> None:
    response = await intent.async_handle(
        hass,
        "test",
        "IpPhoneCall",
        {"contact": {"value": "Anna"}},
        language="en",
        assistant=conversation.DOMAIN,
    )
    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.speech["plain"]["speech"] == "There is no phone I can use."
    assert phone.calls == []


async def test_llm_tools(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    phones: dict[str, MockConfigEntry],
    entity_registry: er.EntityRegistry,
) -> None:
    context = llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant=conversation.DOMAIN,
        device_id=None,
    )
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    assert not [tool for tool in api.tools if tool.name.startswith(f"{DOMAIN}__")]

    kitchen = phones["kitchen"].entry_id
    caller = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, kitchen)
        if e.entity_id.endswith("_caller")
    )
    async_expose_entity(hass, conversation.DOMAIN, caller, should_expose=True)
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    ours = {tool.name: tool for tool in api.tools if tool.name.startswith(f"{DOMAIN}__")}
    assert set(ours) == {
        "ip_phone__IpPhoneCall",
        "ip_phone__IpPhoneHangUp",
        "ip_phone__IpPhoneAnswer",
        "ip_phone__IpPhoneWhoIsCalling",
    }
    assert {tool.integration for tool in ours.values()} == {DOMAIN}
    assert "Kitchen phone" in api.api_prompt
    result = await api.async_call_tool(
        llm.ToolInput(tool_name="ip_phone__IpPhoneCall", tool_args={"contact": "Anna"})
    )
    assert result.data["speech"]["plain"]["speech"] == "Kitchen phone is calling Anna."
    assert phone.calls == ["5551234"]


# The sentence files -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(VOICE.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_language_is_complete(path: Path) -> None:
    english = yaml.safe_load((VOICE / "en.yaml").read_text(encoding="utf-8"))
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(texts["intents"]) == set(english["intents"])
    assert set(texts["responses"]) == set(english["responses"])
    assert set(texts["number_types"]) == set(english["number_types"])
    for sentences in texts["intents"].values():
        TRIGGER_SCHEMA({"platform": "conversation", "command": sentences})


def test_every_translated_language_has_sentences() -> None:
    translations = VOICE.parent / "translations"
    assert {path.stem for path in translations.glob("*.json")} <= {
        path.stem for path in VOICE.glob("*.yaml")
    }
