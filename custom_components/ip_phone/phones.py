"""Which phones a voice command means: by name, by area, by the voice satellite's area, or all.

Sentence triggers hand the phone and the area over as the words heard ("the kitchen phone",
"Küchentelefon"), so they are matched here against device names and areas, not by the agent.
"""

from dataclasses import dataclass
from typing import Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
)

from .const import CONF_VOICE_DEFAULT, DOMAIN
from .contacts import normalise
from .coordinator import IpPhoneCoordinator
from .directory import phone_name

# A phone is often said with or without the word for it ("the kitchen phone", "kitchen").
PHONE_WORDS: Final = ("telephone", "phone", "telefoon", "téléphone", "teléfono", "telefon")


class UnknownPhoneError(LookupError):
    """No phone goes by the words said."""


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone as voice commands see it: its coordinator, its name and its device."""

    coordinator: IpPhoneCoordinator
    name: str
    device_id: str
    area_id: str | None


def _bare(text: str) -> str:
    """Return the words said, without articles, fillers and a trailing word for "phone"."""
    key = normalise(text)
    for word in PHONE_WORDS:
        if key.endswith(word) and len(key) > len(word):
            return key.removesuffix(word).strip()
    return key


@callback
def async_phones(hass: HomeAssistant, assistant: str | None) -> list[Phone]:
    """Return the loaded phones; for an assistant, only those with an entity exposed to it."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    phones = []
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        coordinator: IpPhoneCoordinator = entry.runtime_data
        device = devices.async_get_device_by_identifier(
            (DOMAIN, coordinator.identifier), entry.entry_id
        )
        if device is None:
            continue
        if assistant is not None and not any(
            async_should_expose(hass, assistant, item.entity_id)
            for item in er.async_entries_for_device(entities, device.id)
        ):
            continue
        phones.append(Phone(coordinator, phone_name(hass, coordinator), device.id, device.area_id))
    return sorted(phones, key=lambda phone: phone.name)


@callback
def async_find_phones(
    hass: HomeAssistant,
    phones: list[Phone],
    *,
    phone: str | None = None,
    area: str | None = None,
    preferred_area_id: str | None = None,
    device_id: str | None = None,
) -> list[Phone]:
    """Return the phones meant: the one named, those in the area said, else those nearby.

    Nearby is the voice satellite's area (or `preferred_area_id`), then the phones marked for
    voice, then every phone. UnknownPhoneError if a name or area was said that fits none.
    """
    if phone:
        wanted = normalise(phone)
        bare = _bare(phone)
        named = [p for p in phones if normalise(p.name) in (wanted, bare) or _bare(p.name) == bare]
        if named:
            return named
        area = phone  # "call Anna on the kitchen" names an area
    if area:
        area_ids = {entry.id for entry in intent.find_areas(_bare(area), ar.async_get(hass))}
        area_ids |= {entry.id for entry in intent.find_areas(area, ar.async_get(hass))}
        in_area = [p for p in phones if p.area_id in area_ids]
        if not in_area:
            raise UnknownPhoneError(phone or area)
        return in_area
    nearby_area = preferred_area_id
    if nearby_area is None and device_id is not None:
        device = dr.async_get(hass).async_get(device_id)
        nearby_area = device.area_id if device is not None else None
    if nearby := [p for p in phones if nearby_area is not None and p.area_id == nearby_area]:
        return nearby
    marked = [p for p in phones if p.coordinator.config_entry.options.get(CONF_VOICE_DEFAULT)]
    return marked or phones
