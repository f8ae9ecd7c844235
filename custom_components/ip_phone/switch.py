"""Switches of an IP phone: do-not-disturb, where the phone's API has a documented key for it.

Fanvil: `call.port.1.EnableDND`, the key the Fanvil HTTP API guide's SET example writes. The
Grandstream guides document no do-not-disturb value; call forwarding and auto-answer have no key
in any of the four guides, so they are not offered (see the README).
"""

from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .coordinator import IpPhoneConfigEntry
from .entity import IpPhoneEntity

PARALLEL_UPDATES = 1

DND = SwitchEntityDescription(key="do_not_disturb", translation_key="do_not_disturb")


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up do-not-disturb for a phone that has it."""
    coordinator = entry.runtime_data
    if Capability.DND in coordinator.client.capabilities:
        async_add_entities([IpPhoneDndSwitch(coordinator, DND)])


class IpPhoneDndSwitch(IpPhoneEntity, SwitchEntity):
    """Do-not-disturb: written and read back, so shown at once; the next poll confirms it."""

    _written: bool | None = None  # what a write just set (read back), until the next poll

    @property
    @override
    def is_on(self) -> bool | None:
        """Return do-not-disturb as written, else as last polled."""
        return self._written if self._written is not None else self.coordinator.data.dnd

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._written = None
        super()._handle_coordinator_update()

    async def _async_set(self, *, enabled: bool) -> None:
        await self.coordinator.async_send(lambda client: client.set_dnd(enabled))
        # The library read it back: the phone has it, whatever a slower poll says meanwhile.
        self._written = enabled
        self.async_write_ha_state()

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn do-not-disturb on."""
        await self._async_set(enabled=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn do-not-disturb off."""
        await self._async_set(enabled=False)
