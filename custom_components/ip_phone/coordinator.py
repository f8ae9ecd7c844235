"""The coordinator: one status poll per phone, its device information read once, pushes at once."""

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from enum import StrEnum
import re
import time
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    DeviceInfo as PhoneInfo,
    Dialect,
    FanvilClient,
    PhoneAuthenticationError,
    PhoneClient,
    PhoneCommandError,
    PhoneConnectionError,
    PhoneDisconnectedError,
    PhoneError,
    PhoneLockedError,
    PhoneNothingToDoError,
    PhoneStatus,
    PhoneUnsupportedError,
    WebApiClient,
    create_client,
)
from .const import (
    CONF_DIALECT,
    CONF_TOKEN_SEPARATOR,
    DOMAIN,
    LOGGER,
    PUSH_COOLDOWN,
    REQUEST_TIMEOUT,
    RESTART_GRACE,
    SCAN_INTERVAL,
)

type IpPhoneConfigEntry = ConfigEntry[IpPhoneCoordinator]


class PushEvent(StrEnum):
    """The Action URL events the integration takes, named as the phones name them."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ESTABLISHED = "established"
    TERMINATED = "terminated"
    MISSED = "missed"
    REGISTERED = "registered"
    UNREGISTERED = "unregistered"


CALL_PUSHES: frozenset[PushEvent] = frozenset(PushEvent) - {
    PushEvent.REGISTERED,
    PushEvent.UNREGISTERED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Push:
    """One checked Action URL request: its event and variables.

    `remote` and `name` tell who the call is with ($remote, $display_remote); `local` is the
    phone's own SIP user id ($local).
    """

    event: PushEvent
    local: str = ""
    remote: str = ""
    name: str = ""


@dataclass(slots=True)
class PushStats:
    """What the phone has pushed since setup, for diagnostics."""

    accepted: int = 0
    ignored: int = 0
    last_event: PushEvent | None = None


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


class IpPhoneCoordinator(DataUpdateCoordinator[PhoneStatus]):
    """Polls one phone's lines, accounts and state."""

    config_entry: IpPhoneConfigEntry
    info: PhoneInfo

    def __init__(self, hass: HomeAssistant, entry: IpPhoneConfigEntry, client: PhoneClient) -> None:
        """Initialize the coordinator for a config entry and its client."""
        # A refresh asked for (by a push or after an action) runs at once, unless one ran less
        # than PUSH_COOLDOWN ago: then the asks in between share one at the end of the cooldown.
        self._push_refresh: Debouncer[Coroutine[Any, Any, None]] = Debouncer(
            hass, LOGGER, cooldown=PUSH_COOLDOWN, immediate=True
        )
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=SCAN_INTERVAL,
            request_refresh_debouncer=self._push_refresh,
            # A poll that finds nothing new writes no entity state: the statuses compare by value.
            always_update=False,
        )
        self.client = client
        self.push_stats = PushStats()
        self._pushed: dict[PushEvent, Push] = {}
        # Until when (time.monotonic) the phone may be away after a restart the user asked for.
        self._restart_until: float | None = None

    @property
    def identifier(self) -> str:
        """Return what names the phone in unique ids: its MAC or serial, else the entry."""
        return self.config_entry.unique_id or self.config_entry.entry_id

    @override
    async def _async_setup(self) -> None:
        """Read what the phone is, once; bring back the Fanvil lines known before."""
        self.info = await self._async_call(self.client.device_info)
        if isinstance(self.client, FanvilClient):
            self.client.restore_lines(self._registered_lines())

    def _registered_lines(self) -> list[int]:
        """Return the lines whose sensors the entity registry holds: those the phone had.

        The registry, not the last state: a call shown as connected before a restart may be
        long over, so the lines come back unknown until the phone's next push.
        """
        key = re.compile(rf"{re.escape(self.identifier)}_line_(\d+)")
        return [
            int(match.group(1))
            for entity in er.async_entries_for_config_entry(
                er.async_get(self.hass), self.config_entry.entry_id
            )
            if entity.domain == "sensor" and (match := key.fullmatch(entity.unique_id))
        ]

    async def async_restart(self, command: Callable[[PhoneClient], Awaitable[None]]) -> None:
        """Send a command that restarts the phone: its absence for a while is no error."""
        self._restart_until = time.monotonic() + RESTART_GRACE.total_seconds()
        try:
            await self.async_send(command)
        except HomeAssistantError:
            self._restart_until = None
            raise
        LOGGER.info("%s restarts, as asked: it is unavailable until it is back", self.name)

    def _restarting(self) -> bool:
        return self._restart_until is not None and time.monotonic() < self._restart_until

    @override
    async def _async_refresh(
        self,
        log_failures: bool = True,
        raise_on_auth_failed: bool = False,
        scheduled: bool = False,
        raise_on_entry_error: bool = False,
    ) -> None:
        """Refresh, without logging the failures of a phone restarting as asked."""
        await super()._async_refresh(
            log_failures=log_failures and not self._restarting(),
            raise_on_auth_failed=raise_on_auth_failed,
            scheduled=scheduled,
            raise_on_entry_error=raise_on_entry_error,
        )

    @override
    async def _async_update_data(self) -> PhoneStatus:
        """Read the phone's state; after it was away, read its device information again too."""
        if not self.last_update_success:
            # A phone comes back from a firmware update by rebooting, so this is when it changes;
            # its accounts may have changed too.
            self.client.refresh_accounts()
            await self._async_refresh_info()
        status = await self._async_call(self.client.status)
        if not self.last_update_success:
            self._restart_until = None  # back: its next absence is an error again
        return status

    async def _async_refresh_info(self) -> None:
        info = await self._async_call(self.client.device_info)
        if info == self.info:
            return
        self.info = info
        dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.config_entry.entry_id,
            identifiers={(DOMAIN, self.identifier)},
            hw_version=info.hardware,
            model=info.model,
            sw_version=info.firmware,
        )

    async def _async_call[T](self, method: Callable[[], Awaitable[T]]) -> T:
        """Run one library call, translating its errors for the coordinator."""
        try:
            return await method()
        except PhoneLockedError as err:
            # The phone says how long its lockout lasts: tell the user rather than a bare refusal.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="account_locked" if err.minutes else "invalid_auth",
                translation_placeholders={"minutes": str(err.minutes)} if err.minutes else None,
            ) from self._cause(err)
        except PhoneAuthenticationError as err:
            # The library remembers the refusal and sends nothing more until reauthentication.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from self._cause(err)
        except PhoneConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": self.client.redact(str(err))},
            ) from self._cause(err)
        except PhoneError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_response",
                translation_placeholders={"error": self.client.redact(str(err))},
            ) from self._cause(err)

    def _cause(self, err: Exception) -> Exception | None:
        """Return the error to chain, or None where its message holds the password.

        A message may quote the phone's answer; the chained error would show it, unredacted, in
        the traceback that Home Assistant logs.
        """
        text = str(err)
        return err if self.client.redact(text) == text else None

    @callback
    def async_handle_push(self, push: Push) -> None:
        """Show what a push tells at once: a Fanvil call as it is, anything else by a refresh."""
        self.push_stats.accepted += 1
        self.push_stats.last_event = push.event
        if isinstance(self.client, FanvilClient) and push.event in CALL_PUSHES:
            # The Fanvil API has no line status to read: the event is the line state. (This also
            # drops a refresh a registration push may have queued; the next poll makes up for it.)
            self.async_set_updated_data(
                self.client.record_event(
                    push.event,
                    remote_number=push.remote,
                    remote_name=push.name,
                    local=push.local,
                )
            )
            return
        if push.event in CALL_PUSHES:
            self._pushed[push.event] = push
        else:
            # Registration changed: the accounts the client keeps between polls are stale.
            self.client.refresh_accounts()
        self._push_refresh.async_schedule_call()

    @callback
    def async_ignore_push(self) -> None:
        """Count a request that was not a valid push from this phone."""
        self.push_stats.ignored += 1

    def take_pushed(self, event: PushEvent) -> Push | None:
        """Return, once, the last push of `event`: who a call is with where the lines do not say."""
        return self._pushed.pop(event, None)

    async def async_send(self, command: Callable[[PhoneClient], Awaitable[None]]) -> None:
        """Send a command; errors become translated ones.

        The action ends with the command: the refresh that shows its effect is the debounced one
        pushes use, so it waits behind nothing and a burst of actions shares a refresh or two.
        """
        try:
            await command(self.client)
        except PhoneDisconnectedError as err:
            # The phone took the command and closed the connection: it is there, and may have
            # carried the command out (it is never sent again). Show what it did.
            self._push_refresh.async_schedule_call()
            raise self._command_error(err) from self._cause(err)
        except (ValueError, PhoneUnsupportedError, PhoneConnectionError) as err:
            # Refused before anything was sent, or nothing to do; or no answer within the
            # timeout, when a refresh would only wait one more on a phone that is away.
            raise self._command_error(err) from self._cause(err)
        except PhoneError as err:
            # The phone answered. After a refused password the refresh starts the
            # reauthentication without a request: the library holds the refusal.
            self._push_refresh.async_schedule_call()
            raise self._command_error(err) from self._cause(err)
        self._push_refresh.async_schedule_call()

    def _command_error(self, err: Exception) -> HomeAssistantError:
        """Return the translated error a command's failure becomes."""
        if isinstance(err, PhoneNothingToDoError):
            # Nothing was sent: bad input, in a sentence that says what was missing.
            return ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"nothing_to_{err.operation}",
                translation_placeholders={"phone": self.config_entry.title},
            )
        error_class, key = next(
            (error_class, key)
            for kind, error_class, key in _COMMAND_ERRORS
            if isinstance(err, kind)
        )
        return error_class(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={
                "phone": self.config_entry.title,
                "error": self.client.redact(str(err)),
            },
        )


# What a command's error becomes, in order: the first class that matches. Bad arguments are
# found before anything is sent; any other PhoneError is an answer that could not be understood.
_COMMAND_ERRORS: tuple[tuple[type[Exception], type[HomeAssistantError], str], ...] = (
    (ValueError, ServiceValidationError, "invalid_argument"),
    (PhoneUnsupportedError, ServiceValidationError, "not_supported"),
    (PhoneAuthenticationError, HomeAssistantError, "command_invalid_auth"),
    (PhoneConnectionError, HomeAssistantError, "command_cannot_connect"),
    (PhoneCommandError, HomeAssistantError, "command_failed"),
    (PhoneError, HomeAssistantError, "command_invalid_response"),
)
