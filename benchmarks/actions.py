"""What an action costs: commands sent per action, seconds to fail on a hung phone, polls per burst.

Run with `scripts/run python -m benchmarks.actions`: it runs this file under pytest, outside the
default test suite, for Home Assistant's test harness (asyncio debug mode off, as Home Assistant
runs). One Home Assistant has a config entry per dialect, each a simulated phone on 127.0.0.1, and
sends the integration's actions as an automation would:

- commands per action: `make_call` to a phone that answers, then to one that dials and closes the
  connection without answering (aiohttp would send a GET again); the phone counts the commands;
- seconds to fail: `make_call` to a phone that never answers, with the default request timeout;
- polls per burst: five `send_keys` to a CTI phone that takes 2 s per request, at once and in a row,
  with the time until the actions return and the line-status reads (one per poll) they caused.
"""

import asyncio
from contextlib import AsyncExitStack, suppress
import logging
from pathlib import Path
import subprocess
import sys
import time

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
import pytest

from benchmarks.push_latency import Phone, start_phone
from custom_components.ip_phone.const import DOMAIN, PUSH_COOLDOWN, REQUEST_TIMEOUT
from simulator import Dialect, Faults

# What marks the dialling command in each phone's request log.
DIAL_MARKS: dict[Dialect, str | bytes] = {
    Dialect.GRANDSTREAM_WEBAPI: "api-make_call",
    Dialect.GRANDSTREAM_GMI: "action=originatecall",
    Dialect.GRANDSTREAM_CTI: "api-make_call",
    Dialect.GRANDSTREAM_SESSION: "api-make_call",
    Dialect.FANVIL: b"Dial:",
}
HEADER = (
    "| dialect | commands per make_call | the same, connection dropped after dialling "
    "| seconds to fail, phone hung |"
)
SLOW = 2.0  # seconds the slow phone takes per request
ACTIONS = 5


def count(phone: Phone, mark: str | bytes) -> int:
    """Count the requests the phone received that carry `mark`."""
    if isinstance(mark, bytes):
        return sum(mark in request.body for request in phone.phone.requests)
    return sum(mark in f"{r.path}?{r.query_string}" for r in phone.phone.requests)


async def action(hass: HomeAssistant, phone: Phone, service: str, **data: str) -> None:
    """Send an action to one phone and wait for it, as a script step does."""
    data[ATTR_CONFIG_ENTRY_ID] = phone.entry.entry_id
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def dials(hass: HomeAssistant, phone: Phone, faults: Faults) -> int:
    """Dial once with `faults` on the phone; return the dialling commands the phone received."""
    phone.phone.requests.clear()
    phone.phone.faults = faults
    with suppress(HomeAssistantError):
        await action(hass, phone, "make_call", number="5550100")
    phone.phone.faults = Faults()
    for line in phone.phone.lines:
        phone.phone.hang_up(line.index)
    return count(phone, DIAL_MARKS[phone.phone.dialect])


async def seconds_to_fail(hass: HomeAssistant, phone: Phone) -> float:
    """Dial a phone that never answers; return the seconds until the action fails."""
    phone.phone.faults = Faults(delay=REQUEST_TIMEOUT * 10)
    start = time.perf_counter()
    with pytest.raises(HomeAssistantError):
        await action(hass, phone, "make_call", number="5550100")
    took = time.perf_counter() - start
    phone.phone.faults = Faults()
    return took


async def burst(hass: HomeAssistant, phone: Phone, *, together: bool) -> tuple[float, int]:
    """Send ACTIONS key presses to a slow phone; return the seconds they took and the polls."""
    phone.phone.faults = Faults(delay=SLOW)
    # A poll now: the next scheduled one is SCAN_INTERVAL away, and none is running (one that
    # is would stand for the refresh the actions ask for).
    await phone.entry.runtime_data.async_refresh()
    await asyncio.sleep(PUSH_COOLDOWN)
    phone.phone.requests.clear()
    presses = [action(hass, phone, "send_keys", keys="1") for _ in range(ACTIONS)]
    start = time.perf_counter()
    if together:
        await asyncio.gather(*presses)
    else:
        for press in presses:
            await press
    took = time.perf_counter() - start
    await asyncio.sleep(SLOW * 2 + PUSH_COOLDOWN)  # the refreshes they asked for are done
    phone.phone.faults = Faults()
    return took, count(phone, "api-get_line_status")


@pytest.mark.usefixtures("socket_enabled", "enable_custom_integrations")
async def test_actions(hass: HomeAssistant, capsys: pytest.CaptureFixture[str]) -> None:
    """Measure and print; fail only if a phone is missing."""
    asyncio.get_running_loop().set_debug(False)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    async with AsyncExitStack() as stack:
        phones = [await start_phone(stack, hass, index) for index in range(len(Dialect))]
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()

        rows = [HEADER, "| --- | --- | --- | --- |"]
        failing = await asyncio.gather(*(seconds_to_fail(hass, phone) for phone in phones))
        for phone, seconds in zip(phones, failing, strict=True):
            normal = await dials(hass, phone, Faults())
            dropped = await dials(hass, phone, Faults(drop_after=True, count=1))
            rows.append(f"| {phone.phone.dialect.value} | {normal} | {dropped} | {seconds:.2f} |")

        cti = next(phone for phone in phones if phone.phone.dialect is Dialect.GRANDSTREAM_CTI)
        rows.append("")
        rows.append(f"{ACTIONS} key presses on a CTI phone that takes {SLOW:g} s per request:")
        for together in (True, False):
            took, polls = await burst(hass, cti, together=together)
            how = "at once" if together else "in a row"
            rows.append(f"  {how}: the actions return after {took:.1f} s; {polls} polls")

        for phone in phones:
            await hass.config_entries.async_unload(phone.entry.entry_id)
        await hass.async_block_till_done()
    with capsys.disabled():
        print(f"\nRequest timeout {REQUEST_TIMEOUT:g} s\n" + "\n".join(rows))


def main() -> int:
    """Run the benchmark in a fresh pytest, whose harness must load before Home Assistant does."""
    here = Path(__file__)
    command = [sys.executable, "-m", "pytest", str(here), "-q", "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=here.parents[1], check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
