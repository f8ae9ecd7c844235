"""Config flow for IP phones: address, detection, then the login the phone's dialect uses."""

from collections.abc import Mapping
from typing import Any, override

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import probatio

from .api import (
    DetectedPhone,
    DeviceInfo as PhoneInfo,
    Dialect,
    PhoneAuthenticationError,
    PhoneConnectionError,
    PhoneError,
    PhoneLockedError,
    detect,
)
from .api.webapi import TOKEN_SEPARATORS, TokenRefusedError
from .const import (
    CONF_DIALECT,
    CONF_PASSCODE,
    CONF_TOKEN_SEPARATOR,
    DIALECT_VENDORS,
    DOMAIN,
    LOGGER,
)
from .device import model_name, vendor_name
from .factory import async_create_phone_client
from .options_flow import IpPhoneOptionsFlow

# What each dialect's login form suggests: the phones' documented defaults. The Web API and GMI
# have a dedicated API account, so Home Assistant does not evict a person logged in as admin.
DEFAULT_USERNAMES: dict[Dialect, str] = {
    Dialect.GRANDSTREAM_WEBAPI: "gmiadmin",
    Dialect.GRANDSTREAM_GMI: "admin",
    Dialect.GRANDSTREAM_SESSION: "admin",
    Dialect.FANVIL: "admin",
}
# GMI: only the GXV3240/GXV3275 guide (v1.9) names "gmiadmin"; the GXP2200 guide logs in as admin.
# A wrong suggestion costs a login attempt towards the lockout, so it follows productinfo's model.
GMIADMIN_MODELS: frozenset[str] = frozenset({"GXV3240", "GXV3275"})

# Login errors that say the phone does not speak the API chosen, rather than the login is wrong.
_WRONG_API = frozenset({"cannot_connect", "unsupported_device"})

# DHCP tells no port: a discovered phone is reached on the scheme's usual one.
DHCP_PORT: int | None = None

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_USERNAME = TextSelector(TextSelectorConfig(autocomplete="username"))

CONNECTION_FIELDS: dict[Any, Any] = {
    probatio.Required(CONF_HOST): TextSelector(TextSelectorConfig(autocomplete="off")),
    probatio.Optional(CONF_PORT): NumberSelector(
        NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
    ),
    probatio.Required(CONF_SSL, default=False): BooleanSelector(),
    probatio.Required(CONF_VERIFY_SSL, default=True): BooleanSelector(),
}

DIALECT_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_DIALECT): SelectSelector(
            SelectSelectorConfig(
                options=[dialect.value for dialect in Dialect],
                mode=SelectSelectorMode.LIST,
                translation_key=CONF_DIALECT,
            )
        )
    }
)


def _default_username(dialect: Dialect, model: str | None) -> str | None:
    """Return the user name to suggest: the one the phone's own guide names."""
    if dialect is Dialect.GRANDSTREAM_GMI and (model or "").upper() in GMIADMIN_MODELS:
        return "gmiadmin"
    return DEFAULT_USERNAMES.get(dialect)


def _credentials_fields(dialect: Dialect) -> dict[Any, Any]:
    """Return the login fields of a dialect: a passcode (CTI), optional (Fanvil) or required."""
    if dialect is Dialect.GRANDSTREAM_CTI:
        return {probatio.Required(CONF_PASSCODE): _PASSWORD}
    if dialect is Dialect.FANVIL:
        return {
            probatio.Optional(CONF_USERNAME): _USERNAME,
            probatio.Optional(CONF_PASSWORD): _PASSWORD,
        }
    return {
        probatio.Required(CONF_USERNAME): _USERNAME,
        probatio.Required(CONF_PASSWORD): _PASSWORD,
    }


def _suggestions(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values to show again in a form: never a password, stored or typed."""
    return {
        key: value
        for key, value in (values or {}).items()
        if key not in {CONF_PASSWORD, CONF_PASSCODE}
    }


def _credentials(dialect: Dialect, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the entry data for the login fields of a dialect's form."""
    if dialect is Dialect.GRANDSTREAM_CTI:
        return {CONF_USERNAME: "", CONF_PASSWORD: user_input[CONF_PASSCODE]}
    return {
        CONF_USERNAME: user_input.get(CONF_USERNAME, ""),
        CONF_PASSWORD: user_input.get(CONF_PASSWORD, ""),
    }


class PortConflictError(ValueError):
    """The host names one port and the Port field another."""


def _host_and_port(text: str) -> tuple[str, int | None]:
    """Split "host:port" or "[IPv6]:port" as typed; an IPv6 address alone keeps its colons.

    Brackets around an IPv6 address are dropped ("[fe80::1]"), as a URL writes them.
    """
    host = text.strip()
    if host.startswith("[") and "]" in host:
        inside, _, rest = host[1:].partition("]")
        if not rest:
            return inside, None
        if rest.startswith(":") and rest[1:].isdigit():
            return inside, int(rest[1:])
        return host, None  # left whole for the address check to refuse
    name, colon, port = host.rpartition(":")
    if colon and name and ":" not in name and port.isdigit():
        return name, int(port)
    return host, None


def _connection(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the entry data for the connection form; an empty port is the usual one.

    A port typed with the host ("192.168.1.20:8080") is taken from there. PortConflictError if
    the Port field names another one.
    """
    host, host_port = _host_and_port(user_input[CONF_HOST])
    field_port = user_input.get(CONF_PORT)
    if host_port is not None and field_port is not None and int(field_port) != host_port:
        raise PortConflictError(host)
    data = {
        CONF_HOST: host,
        CONF_SSL: user_input[CONF_SSL],
        CONF_VERIFY_SSL: user_input[CONF_VERIFY_SSL],
    }
    if (port := host_port if host_port is not None else field_port) is not None:
        data[CONF_PORT] = int(port)
    return data


def _unique_id(info: PhoneInfo) -> str | None:
    """Return the phone's MAC address, or its serial number where it does not tell its MAC."""
    if info.mac:
        return format_mac(info.mac)
    return info.serial or None


def _title(info: PhoneInfo, dialect: Dialect, port: int | None) -> str:
    """Return the entry's title: the vendor's name and the model, never the address.

    A phone that does not tell its model (CTI) is named after the API the user chose, with its
    port where not the usual one, so that two phones behind one address can be told apart.
    """
    vendor = vendor_name(info.vendor) or DIALECT_VENDORS[dialect]
    if info.model:
        return f"{vendor} {info.model}"
    title = f"{vendor} {model_name(info, dialect)}"
    return title if port is None else f"{title} (port {port})"


class IpPhoneConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an IP phone."""

    VERSION = 1

    _detected: DetectedPhone

    def __init__(self) -> None:
        """Start with nothing known about the phone."""
        self._connection: dict[str, Any] = {}
        self._model: str | None = None  # what detection read without a login
        self._lock_minutes = "5"  # how long the phone said its lockout lasts, for the message
        # The API the user chose, where detection could not tell.
        self._chosen: Dialect | None = None

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask where the phone is, then find out which API it speaks."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                self._connection = _connection(user_input)
                self._detected = await self._async_detect()
            except PortConflictError:
                errors[CONF_PORT] = "port_conflict"
            except ValueError:
                errors[CONF_HOST] = "invalid_host"
            except PhoneError:
                errors["base"] = "cannot_connect"
            except Exception:  # noqa: BLE001
                LOGGER.exception("Unexpected error detecting a phone")
                errors["base"] = "unknown"
            else:
                if self._detected.assumed:
                    # The phone answers, but not in a way that tells its dialect: let the user say.
                    return await self.async_step_dialect()
                return await self._async_step_login(self._detected.dialect)

        return self.async_show_form(
            step_id="user",
            data_schema=self._form(CONNECTION_FIELDS, user_input),
            errors=errors,
        )

    async def async_step_dialect(
        self, user_input: dict[str, Any] | None = None, errors: dict[str, str] | None = None
    ) -> ConfigFlowResult:
        """Let the user tell the phone's API, when detection could not.

        Shown again, with the error, when the phone does not answer as the API chosen does.
        """
        if user_input is not None:
            self._chosen = Dialect(user_input[CONF_DIALECT])
            return await self._async_step_login(self._chosen)
        return self.async_show_form(
            step_id="dialect",
            data_schema=self.add_suggested_values_to_schema(
                DIALECT_SCHEMA, {CONF_DIALECT: (self._chosen or self._detected.dialect).value}
            ),
            description_placeholders={"host": self._connection[CONF_HOST]},
            errors=errors,
        )

    @override
    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """Handle a phone found on the network by its MAC address."""
        await self.async_set_unique_id(format_mac(discovery_info.macaddress))
        self._abort_if_unique_id_configured(updates={CONF_HOST: discovery_info.ip})
        self._connection = _connection(
            {
                CONF_HOST: discovery_info.ip,
                CONF_PORT: DHCP_PORT,
                CONF_SSL: False,
                CONF_VERIFY_SSL: True,
            }
        )
        try:
            self._detected = await self._async_detect()
        except PhoneError:
            return self.async_abort(reason="cannot_connect")
        if self._detected.assumed:
            # Only a guess: the same MAC prefixes cover access points, gateways and PBXs.
            return self.async_abort(reason="unsupported_device")
        self.context["title_placeholders"] = {"name": self._detected.model or discovery_info.ip}
        return await self.async_step_dhcp_confirm()

    async def async_step_dhcp_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm the discovered phone, then log in."""
        if user_input is not None:
            return await self._async_step_login(self._detected.dialect)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="dhcp_confirm",
            description_placeholders={
                "model": self._detected.model or self._detected.dialect.value,
                "host": self._connection[CONF_HOST],
            },
        )

    # One login step per dialect, so that each form explains that dialect's account.
    async def async_step_grandstream_webapi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in to a Grandstream phone's Web API."""
        return await self._async_step_login(Dialect.GRANDSTREAM_WEBAPI, user_input)

    async def async_step_grandstream_session(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in to a Grandstream phone as its web interface does."""
        return await self._async_step_login(Dialect.GRANDSTREAM_SESSION, user_input)

    async def async_step_grandstream_gmi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in to a Grandstream phone's GMI web service."""
        return await self._async_step_login(Dialect.GRANDSTREAM_GMI, user_input)

    async def async_step_grandstream_cti(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Give a Grandstream phone's CTI passcode."""
        return await self._async_step_login(Dialect.GRANDSTREAM_CTI, user_input)

    async def async_step_fanvil(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Give a Fanvil phone's web account, if its API asks for one."""
        return await self._async_step_login(Dialect.FANVIL, user_input)

    async def _async_step_login(
        self, dialect: Dialect, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with the dialect's credentials, read the phone and create its entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                **self._connection,
                CONF_DIALECT: dialect.value,
                **_credentials(dialect, user_input),
            }
            info, errors = await self._async_validate(data)
            if self._chosen is not None and errors.get("base") in _WRONG_API:
                # The phone does not answer as the API the user chose: let them choose again.
                return await self.async_step_dialect(errors=errors)
            if info is not None:
                # A CTI phone tells neither MAC nor serial: keep the MAC DHCP found, if any, and
                # otherwise refuse a second entry for the same address.
                if unique_id := _unique_id(info) or self.unique_id:
                    await self.async_set_unique_id(unique_id, raise_on_progress=False)
                    self._abort_if_unique_id_configured()
                else:
                    self._async_abort_entries_match(
                        {CONF_HOST: data[CONF_HOST], CONF_PORT: data.get(CONF_PORT)}
                    )
                return self.async_create_entry(
                    title=_title(info, dialect, data.get(CONF_PORT)),
                    data={**data, CONF_WEBHOOK_ID: webhook.async_generate_id()},
                )

        return self.async_show_form(
            step_id=dialect.value,
            data_schema=self._form(
                _credentials_fields(dialect),
                user_input or {CONF_USERNAME: _default_username(dialect, self._model)},
            ),
            description_placeholders={
                "host": self._connection[CONF_HOST],
                "minutes": self._lock_minutes,
            },
            errors=errors,
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002
    ) -> ConfigFlowResult:
        """Start reauthentication when the phone refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the phone's current credentials."""
        entry = self._get_reauth_entry()
        dialect = Dialect(entry.data[CONF_DIALECT])
        errors: dict[str, str] = {}
        if user_input is not None:
            credentials = _credentials(dialect, user_input)
            data = {**entry.data, **credentials}
            info, errors = await self._async_validate(data)
            if info is not None:
                await self._async_abort_if_other_phone(info)
                if CONF_TOKEN_SEPARATOR in data:
                    credentials[CONF_TOKEN_SEPARATOR] = data[CONF_TOKEN_SEPARATOR]
                return self.async_update_reload_and_abort(entry, data_updates=credentials)

        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self._form(_credentials_fields(dialect), user_input or entry.data),
            description_placeholders={"name": entry.title, "minutes": self._lock_minutes},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or the login of a phone already added; it must be the same phone."""
        entry = self._get_reconfigure_entry()
        dialect = Dialect(entry.data[CONF_DIALECT])
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                connection = _connection(user_input)
            except PortConflictError:
                connection, errors = {}, {CONF_PORT: "port_conflict"}
        if user_input is not None and not errors:
            data = {
                CONF_DIALECT: dialect.value,
                **connection,
                **_credentials(dialect, user_input),
            }
            if CONF_TOKEN_SEPARATOR in entry.data:  # start from the form that worked
                data[CONF_TOKEN_SEPARATOR] = entry.data[CONF_TOKEN_SEPARATOR]
            try:
                info, errors = await self._async_validate(data)
            except ValueError:
                info, errors = None, {CONF_HOST: "invalid_host"}
            if info is not None:
                await self._async_abort_if_other_phone(info)
                self._abort_if_address_taken(entry, data)
                # The phone keeps its push URLs: they hold the webhook id.
                data[CONF_WEBHOOK_ID] = entry.data[CONF_WEBHOOK_ID]
                return self.async_update_reload_and_abort(entry, data=data)

        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self._form(
                {**CONNECTION_FIELDS, **_credentials_fields(dialect)}, user_input or entry.data
            ),
            description_placeholders={"name": entry.title, "minutes": self._lock_minutes},
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:  # noqa: ARG004
        """Configure: the phone's contacts and its push URLs."""
        return IpPhoneOptionsFlow()

    def _form(self, fields: dict[Any, Any], values: Mapping[str, Any] | None) -> probatio.Schema:
        """Return a form of these fields, showing the values given (passwords left out)."""
        return self.add_suggested_values_to_schema(probatio.Schema(fields), _suggestions(values))

    async def _async_abort_if_other_phone(self, info: PhoneInfo) -> None:
        """Abort if the phone tells it is not the entry's; a CTI phone cannot tell."""
        if unique_id := _unique_id(info):
            await self.async_set_unique_id(unique_id)
            self._abort_if_unique_id_mismatch(reason="wrong_device")

    def _abort_if_address_taken(self, entry: ConfigEntry, data: Mapping[str, Any]) -> None:
        """Abort if another entry polls this address: a phone without MAC (CTI) has no other id."""
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != entry.entry_id and (
                other.data.get(CONF_HOST),
                other.data.get(CONF_PORT),
            ) == (data[CONF_HOST], data.get(CONF_PORT)):
                raise AbortFlow("already_configured")

    async def _async_detect(self) -> DetectedPhone:
        detected = await detect(
            async_get_clientsession(self.hass, verify_ssl=self._connection[CONF_VERIFY_SSL]),
            self._connection[CONF_HOST],
            port=self._connection.get(CONF_PORT),
            https=self._connection[CONF_SSL],
            verify_ssl=self._connection[CONF_VERIFY_SSL],
        )
        self._model = detected.model
        return detected

    async def _async_validate(
        self, data: dict[str, Any]
    ) -> tuple[PhoneInfo | None, dict[str, str]]:
        """Log in and read the phone: its information, or the form errors saying why not.

        A Web API phone that refuses the token is given the other separator once (the guides
        disagree on it), unless the entry already knows the one that works; the one that worked
        goes into `data`, so polling never guesses.
        """
        known = data.get(CONF_TOKEN_SEPARATOR)
        for separator in [known] if known else TOKEN_SEPARATORS:
            data[CONF_TOKEN_SEPARATOR] = separator
            info, errors, retry = await self._async_read_phone(data)
            if not retry:
                break
        if data[CONF_DIALECT] != Dialect.GRANDSTREAM_WEBAPI:
            data.pop(CONF_TOKEN_SEPARATOR)
        return info, errors

    async def _async_read_phone(
        self, data: Mapping[str, Any]
    ) -> tuple[PhoneInfo | None, dict[str, str], bool]:
        """Read the phone once: its information or the errors, and whether a new token may help."""
        try:
            client = async_create_phone_client(self.hass, data)
        except ValueError:
            # Fanvil's HTTP Basic cannot carry a user name with a colon; a bad host is the caller's.
            if data[CONF_DIALECT] != Dialect.FANVIL or ":" not in data.get(CONF_USERNAME, ""):
                raise
            return None, {CONF_USERNAME: "invalid_username"}, False
        secret_field = (
            CONF_PASSCODE if data[CONF_DIALECT] == Dialect.GRANDSTREAM_CTI else CONF_PASSWORD
        )
        try:
            info = await client.device_info()
            # Reading the state needs the login on every dialect, where device information may not.
            await client.status()
        except PhoneError as err:
            return None, self._errors_for(err, secret_field), isinstance(err, TokenRefusedError)
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error reading a phone")
            return None, {"base": "unknown"}, False
        finally:
            await client.close()
        return info, {}, False

    def _errors_for(self, err: PhoneError, secret_field: str) -> dict[str, str]:
        """Return the form errors for a library error."""
        if isinstance(err, PhoneLockedError):
            if err.minutes is None:
                return {secret_field: "account_locked_a_while"}
            self._lock_minutes = str(err.minutes)
            return {secret_field: "account_locked"}
        if isinstance(err, PhoneAuthenticationError):
            return {secret_field: "invalid_auth"}
        if isinstance(err, PhoneConnectionError):
            return {"base": "cannot_connect"}
        return {"base": "unsupported_device"}
