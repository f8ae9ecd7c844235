"""The coordinator: one status poll per phone, its device information read once, pushes at once."""

from collections.abc import Awaitable, Callable, Coroutine
import re
import time
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import Capability, DeviceInfo as PhoneInfo, FanvilClient, PhoneClient, PhoneStatus
from .const import LOGGER, PUSH_COOLDOWN, RESTART_GRACE, SCAN_INTERVAL
from .device import phone_device_info
from .errors import command_errors, poll_errors
from .push import CALL_PUSHES, Push, PushEvent, PushStats
from .restart import RestartClock

type IpPhoneConfigEntry = ConfigEntry[IpPhoneCoordinator]


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
        self.restart = RestartClock()
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
        if Capability.UPTIME in self.client.capabilities and self.restart.due(
            was_away=not self.last_update_success
        ):
            await self._async_read_uptime()
        return status

    async def _async_read_uptime(self) -> None:
        """Read the uptime; a failure leaves the last restart as it was (the poll goes on)."""
        try:
            changed = self.restart.update(await self._async_call(self.client.uptime))
        except UpdateFailed as err:
            LOGGER.debug("%s: uptime not read: %s", self.config_entry.title, err)
            return
        if changed and self.data is not None:
            # Not part of the polled status, which tells the entities only when it changes.
            self.async_update_listeners()

    async def _async_refresh_info(self) -> None:
        info = await self._async_call(self.client.device_info)
        if info == self.info:
            return
        self.info = info
        dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.config_entry.entry_id,
            **phone_device_info(self.config_entry, self.identifier, info),
        )

    async def _async_call[T](self, method: Callable[[], Awaitable[T]]) -> T:
        """Run one library call, translating its errors for the coordinator."""
        with poll_errors(self.config_entry.title, self.client):
            return await method()

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
        refresh = self._push_refresh.async_schedule_call
        with command_errors(self.config_entry.title, self.client, answered=refresh):
            await command(self.client)
        refresh()

    async def async_query[T](self, query: Callable[[PhoneClient], Awaitable[T]]) -> T:
        """Ask the phone something (no refresh after it); errors become translated ones."""
        with command_errors(self.config_entry.title, self.client, answered=lambda: None):
            return await query(self.client)
        raise AssertionError  # pragma: no cover - command_errors raises or returns above
