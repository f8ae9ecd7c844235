"""Text on the phone's screen: a notify entity for each phone whose API can show text.

Fanvil: the TextScreen push; GMI: a message to the phone's own first account (setNewMessage).
"""

from typing import override

from homeassistant.components.notify import NotifyEntity, NotifyEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .coordinator import IpPhoneConfigEntry
from .entity import IpPhoneEntity

PARALLEL_UPDATES = 1

SCREEN = NotifyEntityDescription(key="screen", translation_key="screen")


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the screen of a phone that can show text."""
    coordinator = entry.runtime_data
    if Capability.SHOW_TEXT in coordinator.client.capabilities:
        async_add_entities([IpPhoneScreenNotify(coordinator, SCREEN)])


class IpPhoneScreenNotify(IpPhoneEntity, NotifyEntity):
    """Shows a message on the phone: "Front door: parcel"."""

    @override
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Show the message, after its title if there is one."""
        text = f"{title}: {message}" if title else message
        await self.coordinator.async_query(lambda client: client.show_text(text))
