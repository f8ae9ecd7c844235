"""Contacts in Home Assistant: phonebook cache, the options list, the actions, who is calling."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.ip_phone.api import NumberKind
from custom_components.ip_phone.const import DOMAIN
from custom_components.ip_phone.contacts import (
    ContactAmbiguousError,
    ContactIndex,
    ContactNotFoundError,
    Known,
    Resolved,
    Source,
    literal_number,
    normalise,
)
from simulator import Dialect, Faults, SimulatedPhone
from simulator.state import Contact as SimContact

from .conftest import ENTRY_ID, capture_calls, entity_id, tick

ANNA = Known(name="Anna", number="5551234", source=Source.PHONEBOOK, entry_id="kitchen")
ANNEX = Known(name="Annex Lobby", number="5550000", source=Source.PHONEBOOK, entry_id="kitchen")
MUM = Known(
    name="Mum", number="07700900123", source=Source.CONTACT, entry_id="office", aliases=("Mother",)
)
GATE = Known(name="Gate", number="201", source=Source.PHONE, entry_id="gate")


def phonebook_reads(phone: SimulatedPhone) -> int:
    return sum(request.path == "/cgi-bin/api-get_contacts" for request in phone.requests)


async def call(hass: HomeAssistant, service: str, **data: Any) -> Any:
    data.setdefault(ATTR_CONFIG_ENTRY_ID, ENTRY_ID)
    return await hass.services.async_call(DOMAIN, service, data, blocking=True)


@pytest.fixture
def platforms() -> list[Platform]:
    return [Platform.SENSOR, Platform.EVENT]


@pytest.fixture
def phone(phone: SimulatedPhone) -> SimulatedPhone:
    """Give the phone Anna, Annex Lobby and Workshop (mobile only) in its phonebook."""
    phone.phonebook.save(SimContact(-1, "Anna", work="5551234"))
    phone.phonebook.save(SimContact(-1, "Annex", "Lobby", work="5550000"))
    phone.phonebook.save(SimContact(-1, "Workshop", mobile="0170 1234567"))
    return phone


# The index, on its own ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna", Resolved("Anna", "5551234", Source.PHONEBOOK)),
        ("the gate", Resolved("Gate", "201", Source.PHONE)),
        ("my mother please", Resolved("Mum", "07700900123", Source.CONTACT)),
        ("Lobby", Resolved("Annex Lobby", "5550000", Source.PHONEBOOK)),
        ("555 1234", Resolved("5551234", "5551234", None)),
        ("extension 201", Resolved("201", "201", None)),
        ("201@pbx.example", Resolved("201@pbx.example", "201@pbx.example", None)),
    ],
)
def test_resolve(text: str, expected: Resolved) -> None:
    assert ContactIndex([ANNA, ANNEX, MUM, GATE]).resolve(text, "kitchen") == expected


def test_ambiguous_and_unknown() -> None:
    index = ContactIndex([ANNA, ANNEX, MUM, GATE])
    with pytest.raises(ContactAmbiguousError) as err:
        index.resolve("Ann")
    assert err.value.candidates == ["Anna", "Annex Lobby"]
    for text in ("Cellar", "", "the"):
        with pytest.raises(ContactNotFoundError):
            index.resolve(text)


def test_the_best_source_wins_and_same_numbers_are_one() -> None:
    here = Known(name="Anna", number="111", source=Source.CONTACT, entry_id="kitchen")
    there = Known(name="Anna", number="222", source=Source.CONTACT, entry_id="office")
    index = ContactIndex([ANNA, there, here])
    assert index.resolve("anna", "kitchen").number == "111"
    assert index.resolve("anna", "office").number == "222"
    twice = Known(name="Annex", number="555-1234", source=Source.PHONEBOOK)
    assert ContactIndex([ANNA, twice]).resolve("ann").name == "Anna"


def test_number_type() -> None:
    both = Known(
        name="Workshop",
        number="1",
        source=Source.PHONEBOOK,
        numbers={NumberKind.WORK: "1", NumberKind.MOBILE: "2"},
    )
    index = ContactIndex([both])
    assert index.resolve("Workshop", kind=NumberKind.MOBILE).number == "2"
    assert index.resolve("Workshop", kind=NumberKind.HOME).number == "1"


def test_reverse_lookup() -> None:
    index = ContactIndex([ANNA, MUM])
    assert index.name_for("5551234") == "Anna"
    assert index.name_for("+44 7700 900123") == "Mum"  # the last 8 digits
    assert index.name_for("900123") is None  # too short to match on a tail
    assert index.name_for("") is None


def test_normalise_and_numbers() -> None:
    assert normalise("Ruf die Mama") == "ruf die mama"
    assert normalise("die Mama bitte") == "mama"
    assert normalise("Kids' room!") == "kids room"
    assert literal_number("anna") is None
    assert literal_number("(030) 123-45.67") == "0301234567"
    assert literal_number("a b@") is None


async def six_hours_later(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the phonebook's refresh interval pass, and the read finish."""
    freezer.tick(timedelta(hours=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# The phonebook cache ---------------------------------------------------------------------------
async def test_read_after_setup_never_in_the_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    """One read at setup; polls add none; every 6 hours one more."""
    await hass.async_block_till_done(wait_background_tasks=True)
    assert phonebook_reads(phone) == 1
    for _ in range(5):
        await tick(hass, freezer)
    assert phonebook_reads(phone) == 1
    await six_hours_later(hass, freezer)
    assert phonebook_reads(phone) == 2


async def test_a_miss_reads_again_at_most_once_a_minute(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    phone.phonebook.save(SimContact(-1, "Garage", work="777"))
    with pytest.raises(ServiceValidationError):
        await call(hass, "make_call", contact="Garage")  # read less than a minute ago
    assert phonebook_reads(phone) == 1
    freezer.tick(timedelta(seconds=61))
    await call(hass, "make_call", contact="Garage")
    assert phone.calls == ["777"]
    assert phonebook_reads(phone) == 2


async def test_an_unreadable_phonebook_keeps_what_it_had(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    phone.faults = Faults(status=500, count=1)
    await six_hours_later(hass, freezer)
    await call(hass, "make_call", contact="Anna")
    assert phone.calls == ["5551234"]


# Actions ---------------------------------------------------------------------------------------
async def test_make_call_by_contact(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    await call(hass, "make_call", contact="anna")
    await call(hass, "end_call")
    await call(hass, "make_call", contact="Workshop")  # its only number is a mobile one
    assert phone.calls == ["5551234", "01701234567"]


async def test_make_call_refusals(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "make_call", contact="Ann")
    assert err.value.translation_key == "ambiguous_contact"
    assert err.value.translation_placeholders["candidates"] == "Anna, Annex Lobby"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "make_call", contact="Cellar")
    assert err.value.translation_key == "unknown_contact"
    with pytest.raises(probatio.Invalid):
        await call(hass, "make_call", contact="Anna", number="1")
    with pytest.raises(probatio.Invalid):
        await call(hass, "make_call")
    assert phone.calls == []


async def test_get_contacts(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        init_integration,
        options={"contacts": [{"name": "Gate", "number": "201", "aliases": ["Door"]}]},
    )
    answer = await hass.services.async_call(
        DOMAIN, "get_contacts", {"search": "a"}, blocking=True, return_response=True
    )
    assert answer is not None
    found = {(c["name"], c["number"], c["source"]) for c in answer["contacts"]}  # type: ignore[union-attr]
    assert found == {
        ("Gate", "201", "options"),
        ("Anna", "5551234", "phonebook"),
        ("Annex Lobby", "5550000", "phonebook"),
        ("grandstream", "3587", "phonebook"),
    }
    answer = await hass.services.async_call(
        DOMAIN,
        "get_contacts",
        {ATTR_CONFIG_ENTRY_ID: ENTRY_ID, "search": "door"},
        blocking=True,
        return_response=True,
    )
    assert [c["name"] for c in answer["contacts"]] == ["Gate"]  # type: ignore[index,union-attr]


async def test_get_contacts_when_the_phone_cannot_answer(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.faults = Faults(status=500)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "get_contacts", {}, blocking=True, return_response=True
        )
    assert err.value.translation_key == "phonebook_failed"


@pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI], ids=lambda d: d.value
)
async def test_add_edit_delete(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await call(hass, "add_contact", name="Garage", number="777", number_type="mobile")
    (garage,) = [c for c in phone.contacts if c.name == "Garage"]
    assert garage.mobile == "777"
    await call(hass, "make_call", contact="Garage")  # the phonebook was read after the write
    assert phone.calls == ["777"]
    await call(hass, "edit_contact", contact="garage", name="Garage door", number="778")
    assert (garage.name, garage.mobile) == ("Garage door", "778") or any(
        (c.name, c.mobile) == ("Garage door", "778") for c in phone.contacts
    )
    await call(hass, "delete_contact", contact="Garage door")
    assert not [c for c in phone.contacts if c.name.startswith("Garage")]
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "delete_contact", contact="Garage door")
    assert err.value.translation_key == "unknown_phonebook_contact"


async def test_edit_an_ambiguous_contact(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.phonebook.save(SimContact(-1, "anna", work="1"))
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "delete_contact", contact="Anna")
    assert err.value.translation_key == "ambiguous_contact"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI], ids=lambda d: d.value)
async def test_no_phonebook_to_write(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "add_contact", name="Garage", number="777")
    assert err.value.translation_key == "action_not_supported"
    answer = await hass.services.async_call(
        DOMAIN, "get_contacts", {}, blocking=True, return_response=True
    )
    assert answer == {"contacts": []}


# Options ---------------------------------------------------------------------------------------
async def test_contacts_in_the_options(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "contacts"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "contacts"
    assert {str(key) for key in result["data_schema"].schema} == {
        "contacts",
        "use_phonebook",
        "voice_default",
    }
    bad = [
        ([{"name": " ", "number": "1"}], "contact_name_missing", "1"),
        (
            [{"name": "Mum", "number": "1"}, {"name": "mum", "number": "2"}],
            "contact_name_twice",
            "mum",
        ),
        ([{"name": "Mum", "number": "1 & 2"}], "contact_number_invalid", "Mum"),
    ]
    for contacts, error, name in bad:
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"contacts": contacts}
        )
        assert result["errors"] == {"contacts": error}
        assert result["description_placeholders"]["contact"] == name
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "contacts": [
                {"name": " Mum ", "number": "07700 900-123", "aliases": ["Mother", ""]},
                {"name": "Gate", "number": "201@pbx", "person": "person.gate"},
            ],
            "use_phonebook": False,
            "voice_default": True,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        "contacts": [
            {"name": "Mum", "number": "07700900123", "aliases": ["Mother"]},
            {"name": "Gate", "number": "201@pbx", "person": "person.gate"},
        ],
        "use_phonebook": False,
        "voice_default": True,
    }
    # Taken at once, without a reload; the phone's own phonebook is no longer used.
    hass.states.async_set("person.gate", "home", {"friendly_name": "Gatekeeper"})
    await call(hass, "make_call", contact="mother")
    await call(hass, "end_call")
    await call(hass, "make_call", contact="gatekeeper")
    assert phone.calls == ["07700900123", "201@pbx"]
    with pytest.raises(ServiceValidationError):
        await call(hass, "make_call", contact="Anna")


@pytest.mark.parametrize("dialect", [Dialect.FANVIL], ids=lambda d: d.value)
async def test_no_phonebook_switch_without_a_phonebook(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "contacts"}
    )
    assert {str(key) for key in result["data_schema"].schema} == {"contacts", "voice_default"}


# Who is calling --------------------------------------------------------------------------------
async def test_the_caller_is_named(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    caller = entity_id("sensor", Dialect.GRANDSTREAM_WEBAPI, "caller")
    line = entity_id("sensor", Dialect.GRANDSTREAM_WEBAPI, "line_1")
    fired = capture_calls(hass, entity_id("event", Dialect.GRANDSTREAM_WEBAPI, "call"))
    assert hass.states.get(caller).state == "unknown"  # type: ignore[union-attr]

    phone.ring(1, "5551234", "ANNA B")  # the phone shows its own name for her
    await init_integration.runtime_data.async_refresh()
    assert hass.states.get(caller).state == "Anna"  # type: ignore[union-attr]
    assert hass.states.get(line).attributes["remote_contact"] == "Anna"  # type: ignore[union-attr]
    assert fired[-1]["event_type"] == "incoming"
    event = hass.states.get(entity_id("event", Dialect.GRANDSTREAM_WEBAPI, "call"))
    assert event.attributes["remote_contact"] == "Anna"  # type: ignore[union-attr]

    phone.remote_hang_up(1)
    phone.ring(1, "999", "Front desk")
    await init_integration.runtime_data.async_refresh()
    assert hass.states.get(caller).state == "Front desk"  # type: ignore[union-attr]
    assert hass.states.get(line).attributes["remote_contact"] is None  # type: ignore[union-attr]
