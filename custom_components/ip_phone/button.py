"""Buttons of a phone: restart, provision and its common keys (those two disabled by default)."""

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
    role: str | None = None  # a common key's role; the button exists where the dialect names it


BUTTONS: tuple[IpPhoneButtonEntityDescription, ...] = (
    IpPhoneButtonEntityDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        capability=Capability.REBOOT,
        press_fn=lambda client: client.reboot(),
        restarts=True,
    ),
    IpPhoneButtonEntityDescription(
        key="provision",
        translation_key="provision",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,  # for administrators: it may change settings
        capability=Capability.PROVISION,
        press_fn=lambda client: client.provision(),
    ),
)


def _key(role: str) -> IpPhoneButtonEntityDescription:
    """Describe the button of one common key: the dialect names it (`common_keys`)."""
    return IpPhoneButtonEntityDescription(
        key=f"key_{role}",
        translation_key=f"key_{role}",
        entity_registry_enabled_default=False,  # send_keys has every key; these are shortcuts
        capability=Capability.SEND_KEYS,
        role=role,
        press_fn=lambda client: client.send_keys([client.common_keys[role]]),
    )


# Written out, one per key, so that each has its translation.
KEY_BUTTONS: tuple[IpPhoneButtonEntityDescription, ...] = (
    _key(role="speaker"),
    _key(role="volume_up"),
    _key(role="volume_down"),
    _key(role="mute"),
    _key(role="hold"),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the buttons of a phone."""
    coordinator = entry.runtime_data
    client = coordinator.client
    async_add_entities(
        IpPhoneButtonEntity(coordinator, description)
        for description in (*BUTTONS, *KEY_BUTTONS)
        if description.capability in client.capabilities
        and (description.role is None or description.role in client.common_keys)
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
