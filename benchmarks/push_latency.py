"""Push latency: from a simulated phone's call event to the new state in Home Assistant.

Run with `scripts/run python -m benchmarks.push_latency [--phones 20] [--cycles 5]`: it runs this
file under pytest, outside the default test suite, for Home Assistant's test harness.

One Home Assistant instance has a config entry per phone. Its HTTP server listens on a free port of
127.0.0.1 and is made Home Assistant's local address; the URLs the integration shows are pasted into
every simulated phone, the dialects taking turns. Each phone then goes through the calls of a day on
its own clock, one event every GAP seconds. The time runs from the moment the simulated phone's
event happens (its push is queued) to the moment its Call event entity fires in Home Assistant, when
the line sensors have the new state too: the webhook plus a refresh for polled dialects, the webhook
alone for Fanvil. Events closer than the cooldown are measured apart. Then every phone sends bursts
of 1,000 events, alone and all at once, and the refreshes each burst caused are counted.

Last, what a push costs Home Assistant's event loop: 1,000 pushes are sent from another thread (as
from a phone elsewhere), and the CPU time of the loop's thread over the burst, its refreshes
included, is divided by the pushes: the HTTP server, the webhook, the coordinator, state writes.

The harness's asyncio debug mode (slow on purpose) and aiohttp access log are turned off, as in a
running Home Assistant. Prints p50/p95 per dialect and the refresh counts.
"""

import argparse
import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
import logging
import os
import statistics
import sys
import time
from typing import Any

import aiohttp
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    EVENT_STATE_CHANGED,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.typing import (  # type: ignore[import-untyped]
    ClientSessionGenerator,
)

from benchmarks.harness import run_under_pytest
from benchmarks.refresh import percentile
from custom_components.ip_phone.const import CONF_DIALECT, DOMAIN, PUSH_COOLDOWN
from custom_components.ip_phone.push import PushEvent
from custom_components.ip_phone.webhook import async_action_urls
from simulator import Dialect, SimulatedPhone, SimulatorServer, Timings, serve
from simulator.push import mac_variable, render
from simulator.state import Contact

PHONES = int(os.environ.get("IP_PHONE_BENCH_PHONES", "20"))
CYCLES = int(os.environ.get("IP_PHONE_BENCH_CYCLES", "5"))
# Seconds between two events of one phone: calls change state seconds apart, and anything closer
# than the cooldown waits for it by design (measured apart, below).
GAP = PUSH_COOLDOWN + 0.1
CLOSE = 0.1
BURST = 1000
PASSWORD = "bench-Pa55"
# A request each refresh makes once, per dialect (Fanvil: its one status request).
REFRESH_MARKS = {
    Dialect.GRANDSTREAM_WEBAPI: "api-get_line_status",
    Dialect.GRANDSTREAM_GMI: "action=lineStatus&line=0",
    Dialect.GRANDSTREAM_CTI: "api-get_line_status",
    Dialect.FANVIL: "/xmlService",
    Dialect.GRANDSTREAM_SESSION: "api-get_line_status",
}


@dataclass
class Phone:
    """A simulated phone, its entry, and the event its Call entity is expected to fire next."""

    phone: SimulatedPhone
    server: SimulatorServer
    entry: MockConfigEntry
    expected: tuple[str, asyncio.Future[float]] | None = None
    samples: list[float] = field(default_factory=list)

    def refreshes(self) -> int:
        """Count the refreshes the phone has answered."""
        mark = REFRESH_MARKS[self.phone.dialect]
        return sum(mark in f"{r.path}?{r.query_string}" for r in self.phone.requests)


def a_day(phone: SimulatedPhone) -> list[tuple[str, Callable[[], Any]]]:
    """List the events of a day at a phone: what the Call entity fires, and what causes it."""
    return [
        ("incoming", lambda: phone.ring(1, "5551234", "Reception")),
        ("answered", lambda: phone.answer(1)),
        ("ended", lambda: phone.hang_up(1)),
        ("incoming", lambda: phone.ring(1, "5551234", "Reception")),
        ("missed", lambda: phone.remote_hang_up(1)),
        ("outgoing", lambda: phone.dial("8001")),
        ("answered", lambda: phone.remote_answer(1)),
        ("ended", lambda: phone.remote_hang_up(1)),
    ]


async def start_phone(stack: AsyncExitStack, hass: HomeAssistant, index: int) -> Phone:
    """Serve a simulated phone and add its config entry, as the config flow would make it."""
    dialect = list(Dialect)[index % len(Dialect)]
    mac = f"{'0C:38:3E' if dialect is Dialect.FANVIL else '00:0B:82'}:00:00:{index:02X}"
    # The far end answers when told to; a dialled call rings back at once.
    timings = Timings(dial=0.0, answer=None, failed=0.0, reboot=0.0)
    phone = SimulatedPhone(dialect, password=PASSWORD, mac=mac, timings=timings)
    phone.phonebook.save(Contact(-1, "Workshop", work="8001"))
    server = await stack.enter_async_context(serve(phone))
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Bench phone {index:02d}",
        unique_id=None if dialect is Dialect.GRANDSTREAM_CTI else mac.lower(),
        data={
            CONF_HOST: server.host,
            CONF_PORT: server.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_DIALECT: dialect.value,
            CONF_USERNAME: phone.username,
            CONF_PASSWORD: PASSWORD,
            CONF_WEBHOOK_ID: f"{index:064x}",
        },
    )
    entry.add_to_hass(hass)
    return Phone(phone, server, entry)


def watch(hass: HomeAssistant, phones: list[Phone]) -> None:
    """Resolve a phone's expected event with the time its Call entity fires it."""
    registry = er.async_get(hass)
    by_entity = {
        entity.entity_id: phone
        for phone in phones
        for entity in er.async_entries_for_config_entry(registry, phone.entry.entry_id)
        if entity.domain == "event"
    }

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        now = time.perf_counter()
        phone = by_entity.get(event.data["entity_id"])
        new = event.data["new_state"]
        if phone is None or phone.expected is None or new is None:
            return
        name, future = phone.expected
        if new.attributes.get(ATTR_EVENT_TYPE) == name and not future.done():
            future.set_result(now)

    hass.bus.async_listen(EVENT_STATE_CHANGED, changed)


async def live(phone: Phone, cycles: int, gap: float, offset: float) -> None:
    """Go through the day's events `cycles` times, timing each from event to Call entity."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(offset)
    for _ in range(cycles):
        for name, act in a_day(phone.phone):
            future: asyncio.Future[float] = loop.create_future()
            phone.expected = (name, future)
            start = time.perf_counter()
            act()
            phone.samples.append(await asyncio.wait_for(future, timeout=10) - start)
            await asyncio.sleep(gap)


async def burst(phone: Phone) -> tuple[Phone, int, float]:
    """Send BURST events as fast as the phone pushes; return the refreshes and the seconds."""
    await asyncio.sleep(GAP)  # the last refresh's cooldown is over
    phone.phone.requests.clear()
    start = time.perf_counter()
    for _ in range(BURST // 2):
        phone.phone.ring(1, "5551234", "Reception")
        phone.phone.remote_hang_up(1)
    await phone.server.pushes_sent()
    took = time.perf_counter() - start
    await asyncio.sleep(GAP)  # the refresh kept back by the cooldown runs
    return phone, phone.refreshes(), took


def burst_row(title: str, results: list[tuple[Phone, int, float]]) -> str:
    """Summarize bursts: the refreshes of polled phones, Fanvil's (none), and how long they took."""
    polled = [count for phone, count, _ in results if phone.phone.dialect is not Dialect.FANVIL]
    fanvil = [count for phone, count, _ in results if phone.phone.dialect is Dialect.FANVIL]
    seconds = statistics.median(took for _, _, took in results)
    return (
        f"Refreshes per {BURST}-event burst, {title} (median burst {seconds:.2f} s): "
        f"polled phones min {min(polled)}, median {statistics.median(polled):g}, "
        f"max {max(polled)}; Fanvil max {max(fanvil, default=0)}"
    )


def burst_urls(hass: HomeAssistant, phone: Phone) -> list[str]:
    """Return BURST push URLs of a ringing and a missed call in turn, as the phone would send."""
    urls = async_action_urls(hass, phone.entry.data[CONF_WEBHOOK_ID])
    variables = {
        "mac": mac_variable(phone.phone.mac),
        "local": phone.phone.accounts[0].sip_id,
        "remote": "5551234",
        "display_remote": "Reception",
    }
    pair = [render(urls[event], variables) for event in (PushEvent.INCOMING, PushEvent.MISSED)]
    return pair * (BURST // 2)


def send_from_elsewhere(urls: list[str]) -> None:
    """Send pushes one after the other from this thread's own event loop."""

    async def send() -> None:
        async with aiohttp.ClientSession() as session:
            for url in urls:
                async with session.get(url) as response:
                    await response.read()

    asyncio.run(send())


async def loop_cost(hass: HomeAssistant, phone: Phone) -> tuple[float, float]:
    """Return the event loop's CPU ms per push over a burst from another thread, and its seconds."""
    urls = burst_urls(hass, phone)
    await asyncio.sleep(GAP)
    cpu, wall = time.thread_time(), time.perf_counter()
    await asyncio.to_thread(send_from_elsewhere, urls)
    took = time.perf_counter() - wall
    await asyncio.sleep(GAP)  # the refresh kept back by the cooldown runs
    await hass.async_block_till_done()
    return (time.thread_time() - cpu) * 1000 / len(urls), took


def latency_rows(phones: list[Phone], title: str) -> list[str]:
    rows = [
        f"{title}",
        "| dialect | events | p50 ms | p95 ms | max ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    groups = {
        dialect.value: [p for p in phones if p.phone.dialect is dialect] for dialect in Dialect
    }
    groups["all"] = phones
    for name, group in groups.items():
        samples = [sample * 1000 for phone in group for sample in phone.samples]
        if samples:
            rows.append(
                f"| {name} | {len(samples)} | {percentile(samples, 0.5):.1f} "
                f"| {percentile(samples, 0.95):.1f} | {max(samples):.1f} |"
            )
    return rows


@pytest.mark.usefixtures("socket_enabled", "enable_custom_integrations")
async def test_push_latency(
    hass: HomeAssistant,
    aiohttp_client: ClientSessionGenerator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Measure and print; fail only if an event never showed."""
    # Run as Home Assistant runs: the harness turns on asyncio's debug mode (slow on purpose) and
    # aiohttp's access log, which Home Assistant keeps quiet.
    asyncio.get_running_loop().set_debug(False)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    assert await async_setup_component(hass, "webhook", {})
    client = await aiohttp_client(hass.http.app)
    await hass.config.async_update(internal_url=str(client.make_url("/")).rstrip("/"))
    async with AsyncExitStack() as stack:
        phones = [await start_phone(stack, hass, index) for index in range(PHONES)]
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()
        for phone in phones:
            for event, url in async_action_urls(hass, phone.entry.data[CONF_WEBHOOK_ID]).items():
                phone.phone.set_action_url(event.value, url)
        watch(hass, phones)

        await asyncio.gather(
            *(live(phone, CYCLES, GAP, GAP * i / PHONES) for i, phone in enumerate(phones))
        )
        rows = latency_rows(
            phones, f"Lone events: {PHONES} phones, one event every {GAP:.1f} s each"
        )
        for phone in phones:
            phone.samples.clear()
        await asyncio.gather(*(live(phone, 1, CLOSE, 0) for phone in phones))
        rows += [
            "",
            *latency_rows(
                phones, f"Close events: {CLOSE:.1f} s apart (cooldown {PUSH_COOLDOWN} s)"
            ),
        ]

        alone = [await burst(phone) for phone in phones[: len(Dialect)]]
        together = await asyncio.gather(*(burst(phone) for phone in phones))
        rows += [
            "",
            burst_row("one phone at a time", alone),
            burst_row(f"{PHONES} phones at once", together),
            "",
            f"Event loop CPU per push ({BURST} pushes from another thread, debug mode off):",
        ]
        for phone in phones[: len(Dialect)]:
            per_push, took = await loop_cost(hass, phone)
            rows.append(f"  {phone.phone.dialect.value}: {per_push:.3f} ms ({took:.2f} s burst)")
        for phone in phones:
            await hass.config_entries.async_unload(phone.entry.entry_id)
        await hass.async_block_till_done()
    with capsys.disabled():
        print("\n" + "\n".join(rows))


def main() -> int:
    """Run the benchmark under pytest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=PHONES)
    parser.add_argument("--cycles", type=int, default=CYCLES)
    arguments = parser.parse_args()
    return run_under_pytest(__file__, {"phones": arguments.phones, "cycles": arguments.cycles})


if __name__ == "__main__":
    sys.exit(main())
