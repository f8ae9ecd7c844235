"""A phone's own phonebook, held in memory: read after setup and rarely after, never in a poll."""

import asyncio
from collections.abc import Callable
import time

from .api import Capability, Contact, PhoneClient, PhoneError
from .const import LOGGER, PHONEBOOK_RETRY


class PhonebookCache:
    """The contacts a phone keeps, as last read; an unreadable phonebook keeps what it had."""

    def __init__(self, client: PhoneClient, name: str, on_change: Callable[[], None]) -> None:
        """Hold nothing yet; `on_change` is told whenever the contacts were read anew."""
        self._client = client
        self._name = name
        self._on_change = on_change
        self._lock = asyncio.Lock()
        self._tried: float | None = None
        self.contacts: tuple[Contact, ...] = ()
        self.error: str | None = None

    @property
    def supported(self) -> bool:
        """Tell whether the phone's API has a phonebook to read."""
        return Capability.CONTACTS in self._client.capabilities

    async def async_refresh(self) -> None:
        """Read the phonebook; PhoneError is raised, and the contacts stay as they were."""
        if not self.supported:
            return
        async with self._lock:
            self._tried = time.monotonic()
            try:
                self.contacts = await self._client.get_contacts()
            except PhoneError as err:
                self.error = self._client.redact(str(err))
                raise
            self.error = None
        self._on_change()

    async def async_refresh_quietly(self) -> bool:
        """Refresh as a background task does: a failure is logged once, not raised."""
        try:
            await self.async_refresh()
        except PhoneError:
            LOGGER.debug("Could not read the phonebook of %s: %s", self._name, self.error)
            return False
        return True

    async def async_refresh_if_stale(self) -> bool:
        """Refresh unless tried within PHONEBOOK_RETRY (a name not found); True if it read."""
        if not self.supported or (
            self._tried is not None
            and time.monotonic() - self._tried < PHONEBOOK_RETRY.total_seconds()
        ):
            return False
        return await self.async_refresh_quietly()
