"""Buttons of an IP phone."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, PhoneClient
from .coordinator import IpPhoneConfigEntry
from .entity import IpPhoneEntity

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class IpPhoneButtonEntityDescription(ButtonEntityDescription):
    """Describes a button of a phone."""

    capability: Capability
    press_fn: Callable[[PhoneClient], Awaitable[None]]
    # The phone goes away after the press: expected, so not logged as an error.
    restarts: bool = False


BUTTONS: tuple[IpPhoneButtonEntityDescription, ...] = (
    IpPhoneButtonEntityDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        capability=Capability.REBOOT,
        press_fn=lambda client: client.reboot(),
        restarts=True,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the buttons of a phone."""
    coordinator = entry.runtime_data
    async_add_entities(
        IpPhoneButtonEntity(coordinator, description)
        for description in BUTTONS
        if description.capability in coordinator.client.capabilities
    )


class IpPhoneButtonEntity(IpPhoneEntity, ButtonEntity):
    """A button that sends a command to the phone."""

    entity_description: IpPhoneButtonEntityDescription

    @override
    async def async_press(self) -> None:
        """Send the command, then read the phone's state."""
        coordinator = self.coordinator
        send = (
            coordinator.async_restart
            if self.entity_description.restarts
            else coordinator.async_send
        )
        await send(self.entity_description.press_fn)
