"""Action URL push: fill a template's variables and send it as a plain GET, as a phone does."""

import asyncio
import ipaddress
import re
from typing import Final
from urllib.parse import quote, urlsplit

import aiohttp
from yarl import URL

from simulator.tasks import cancel

# Longest names first so that "$display_remote" is never read as "$display" + "_remote".
_VARIABLE: Final = re.compile(r"\$(display_remote|remote|local|mac)")
_TIMEOUT: Final = aiohttp.ClientTimeout(total=5)


def render(template: str, variables: dict[str, str]) -> str:
    """Substitute `$mac`, `$local`, `$remote`, `$display_remote`, each URL-encoded."""
    return _VARIABLE.sub(lambda match: quote(variables.get(match[1], ""), safe=""), template)


def is_loopback_url(url: str) -> bool:
    """Tell whether the URL's host is this machine: the only place the simulator sends to."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mac_variable(mac: str) -> str:
    """Write a MAC the way `$mac` shows it: lower-case hex without separators."""
    return mac.replace(":", "").replace("-", "").lower()


class PushSender:
    """Send pushes one at a time, in order, from one worker task; `close` leaves nothing behind."""

    def __init__(self) -> None:
        """Start with nothing queued; the worker and its client session come with the first push."""
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def send(self, url: str) -> None:
        """Queue a GET of `url`, unless it leads off this machine."""
        if not is_loopback_url(url):
            return
        self._queue.put_nowait(url)
        if self._worker is None:
            loop = asyncio.get_running_loop()
            self._worker = loop.create_task(self._run(), name="simulator push")

    async def _run(self) -> None:
        while True:
            url = await self._queue.get()
            try:
                if self._session is None:
                    self._session = aiohttp.ClientSession(timeout=_TIMEOUT)
                # encoded=True: the template's own escapes and the variables' are sent as they are.
                async with self._session.get(URL(url, encoded=True)) as response:
                    await response.read()
            except aiohttp.ClientError, TimeoutError, ValueError:
                pass  # a phone does not retry an Action URL
            finally:
                self._queue.task_done()

    async def drain(self) -> None:
        """Wait until every queued push has been sent (for tests)."""
        await self._queue.join()

    async def close(self) -> None:
        """Stop the worker and close the client session."""
        await cancel(self._worker)
        self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None
