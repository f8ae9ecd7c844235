"""The library's client for a config entry, on Home Assistant's shared HTTP session."""

from collections.abc import Mapping
from typing import Any

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import Dialect, PhoneClient, WebApiClient, create_client
from .const import CONF_DIALECT, CONF_TOKEN_SEPARATOR, REQUEST_TIMEOUT


def async_create_phone_client(hass: HomeAssistant, data: Mapping[str, Any]) -> PhoneClient:
    """Create the library's client for config entry data, on Home Assistant's shared session."""
    verify_ssl: bool = data.get(CONF_VERIFY_SSL, True)
    client = create_client(
        Dialect(data[CONF_DIALECT]),
        session=async_get_clientsession(hass, verify_ssl=verify_ssl),
        host=data[CONF_HOST],
        port=data.get(CONF_PORT),
        https=data.get(CONF_SSL, False),
        verify_ssl=verify_ssl,
        username=data.get(CONF_USERNAME) or None,
        password=data.get(CONF_PASSWORD) or None,
        timeout=REQUEST_TIMEOUT,
    )
    if isinstance(client, WebApiClient) and CONF_TOKEN_SEPARATOR in data:
        client.token_separator = data[CONF_TOKEN_SEPARATOR]  # the form the config flow found
    return client
