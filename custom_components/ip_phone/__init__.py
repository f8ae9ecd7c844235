"""Control Grandstream and Fanvil IP phones over their local HTTP APIs."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .contact_actions import async_setup_contact_services
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .directory import async_setup_contacts
from .factory import async_create_phone_client
from .push_removal import async_clear_push_on_removal
from .services import async_setup_services
from .voice import async_setup_voice
from .webhook import async_register_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the phone actions, once for every phone."""
    async_setup_services(hass)
    async_setup_contact_services(hass)
    await async_setup_voice(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> bool:
    """Set up a phone from a config entry."""
    client = async_create_phone_client(hass, entry.data)
    entry.async_on_unload(client.close)
    coordinator = IpPhoneCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    async_setup_contacts(hass, entry)
    async_register_webhook(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> None:
    """Clear the push Home Assistant set up on the phone, if it did (best-effort)."""
    await async_clear_push_on_removal(hass, entry)
