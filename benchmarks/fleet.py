"""What a fleet of phones costs Home Assistant per poll, next to what the library alone spends.

Run with `scripts/run python -m benchmarks.fleet [--phones 200] [--rounds 10]`: it runs this file
under pytest, outside the default test suite, for Home Assistant's test harness (a real Home
Assistant core: its state machine, entity platforms, registries and config flow manager).

The simulated phones run in a separate process (`python -m simulator --fleet N`, the dialects
taking turns), so that the CPU time of this process is the client's alone:
1. Library only: a client per phone on one shared aiohttp session, as the integration makes them;
   every phone polled at once (`status()`), `--rounds` times. Once before Home Assistant is set
   up, and once after, beside it in the same process: the second shows what a process holding
   Home Assistant's objects costs any code in it (allocation, garbage collection, caches).
2. Home Assistant: every phone added through the integration's config flow, as the UI does; then
   every coordinator refreshed at once, `--rounds` times, with nothing changed on the phones (the
   scheduled poll does the same refresh, spread over the interval). Its CPU per phone poll, memory
   per phone (resident set growth from the first phone to the last, divided by the phones added
   after it), requests per poll (from the phones' own request logs) and state writes per poll.
3. Poll-to-state latency: one polled phone after the other rings, then stops ringing; the time
   from the start of its poll to its line sensor's new state.

Prints Markdown tables; asserts only that the fleet could be set up (targets are printed).
"""

import argparse
import asyncio
from collections.abc import AsyncIterator, Sequence
import contextlib
from dataclasses import dataclass
import gc
import logging
import os
from pathlib import Path
import resource
import socket
import statistics
import sys
import time
from typing import Any, Final

import aiohttp
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT, EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest

from benchmarks.harness import run_under_pytest
from benchmarks.refresh import percentile
from custom_components.ip_phone.api import Dialect, PhoneClient, create_client
from custom_components.ip_phone.const import DOMAIN
from custom_components.ip_phone.coordinator import IpPhoneCoordinator
from simulator.__main__ import FLEET_ORDER

PHONES: Final = int(os.environ.get("IP_PHONE_BENCH_PHONES", "200"))
ROUNDS: Final = int(os.environ.get("IP_PHONE_BENCH_ROUNDS", "10"))
PASSWORD: Final = "bench-Pa55"
HOST: Final = "127.0.0.1"
# The simulator's fleet order (the dialects in turn), and the user names its phones take (Fanvil:
# no Push XML auth).
FLEET: Final = tuple(Dialect(dialect.value) for dialect in FLEET_ORDER)
USERNAMES: Final = {
    Dialect.GRANDSTREAM_WEBAPI: "gmiadmin",
    Dialect.GRANDSTREAM_GMI: "gmiadmin",
    Dialect.GRANDSTREAM_CTI: "",
    Dialect.FANVIL: "",
    Dialect.GRANDSTREAM_SESSION: "admin",
}
# Targets of the issue that asked for this benchmark: printed next to the figures, not asserted.
TARGET_CPU_RATIO: Final = 1.2
TARGET_KB_PER_PHONE: Final = 150
ONE_REQUEST: Final = {"grandstream_webapi", "grandstream_cti", "fanvil", "grandstream_session"}


@dataclass(frozen=True)
class Phone:
    """One simulated phone of the fleet, served by the simulator process."""

    dialect: Dialect
    port: int

    @property
    def control(self) -> str:
        """Return the address of the phone's control API."""
        return f"http://{HOST}:{self.port}/_sim"


def free_ports(count: int) -> int:
    """Return the first of `count` consecutive ports of 127.0.0.1 that are free now."""
    for base in range(20000, 60000 - count, 1000):
        with contextlib.ExitStack() as stack:
            try:
                for port in range(base, base + count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind((HOST, port))
            except OSError:
                continue
            return base
    msg = f"no {count} consecutive free ports"
    raise RuntimeError(msg)


@contextlib.asynccontextmanager
async def simulator(count: int) -> AsyncIterator[list[Phone]]:
    """Run `count` simulated phones in a process of their own until the block ends."""
    base = free_ports(count)
    command = [sys.executable, "-m", "simulator", "--fleet", str(count), "--port", str(base)]
    command += ["--password", PASSWORD]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[1],
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(120):
            while b"Control API" not in await process.stdout.readline():
                assert process.returncode is None, "the simulator stopped"
        yield [Phone(FLEET[index % len(FLEET)], base + index) for index in range(count)]
    finally:
        process.terminate()
        await process.wait()


def rss_kb() -> float:
    """Return this process's resident set size now, in kB."""
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * resource.getpagesize() / 1024


async def requests_since(
    http: aiohttp.ClientSession, phones: Sequence[Phone], *, clear: bool = False
) -> dict[Dialect, int]:
    """Count the requests each dialect's phones recorded; with `clear`, forget them after."""
    counts = dict.fromkeys(FLEET, 0)
    for phone in phones:
        async with http.get(f"{phone.control}/requests") as response:
            counts[phone.dialect] += len(await response.json())
        if clear:
            async with http.delete(f"{phone.control}/requests"):
                pass
    return counts


async def control(http: aiohttp.ClientSession, phone: Phone, path: str, **body: Any) -> None:  # noqa: ANN401
    """Act on a simulated phone through its control API."""
    async with http.post(f"{phone.control}/{path}", json=body) as response:
        response.raise_for_status()


def per_poll(counts: dict[Dialect, int], phones: Sequence[Phone], rounds: int) -> dict[str, float]:
    """Turn request counts into requests per poll, per dialect and for the whole fleet."""
    result = {
        dialect.value: counts[dialect] / (rounds * sum(p.dialect is dialect for p in phones))
        for dialect in FLEET
        if any(p.dialect is dialect for p in phones)
    }
    result["fleet"] = sum(counts.values()) / (rounds * len(phones))
    return result


@dataclass
class Figures:
    """What one side measured."""

    cpu_ms_per_poll: float
    round_ms: list[float]
    requests: dict[str, float]


async def timed_rounds(polls: Sequence[Any], rounds: int, count: int) -> tuple[float, list[float]]:
    """Run every poll at once, `rounds` times; CPU ms per poll and each round's wall time."""
    walls = []
    cpu = time.process_time()
    for _ in range(rounds):
        start = time.perf_counter()
        await asyncio.gather(*(poll() for poll in polls))
        walls.append((time.perf_counter() - start) * 1000)
    return (time.process_time() - cpu) * 1000 / (rounds * count), walls


async def library_only(http: aiohttp.ClientSession, phones: Sequence[Phone]) -> Figures:
    """Poll every phone with the library alone, on one shared session."""
    async with aiohttp.ClientSession() as session:
        clients: list[PhoneClient] = [
            create_client(
                phone.dialect,
                session=session,
                host=HOST,
                port=phone.port,
                username=USERNAMES[phone.dialect] or None,
                password=PASSWORD,
            )
            for phone in phones
        ]
        await asyncio.gather(*(client.status() for client in clients))  # logins, accounts
        await requests_since(http, phones, clear=True)
        cpu, walls = await timed_rounds([client.status for client in clients], ROUNDS, len(phones))
        counts = await requests_since(http, phones, clear=True)
        for client in clients:
            await client.close()
    return Figures(cpu, walls, per_poll(counts, phones, ROUNDS))


async def add_phone(hass: HomeAssistant, phone: Phone) -> None:
    """Add a phone through the config flow, answering each form as a user would."""
    answers = {
        "host": HOST,
        "port": phone.port,
        "ssl": False,
        "verify_ssl": True,
        "dialect": phone.dialect.value,
        "username": USERNAMES[phone.dialect],
        "password": PASSWORD,
        "passcode": PASSWORD,
    }
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    while result["type"] is FlowResultType.FORM:
        schema = result["data_schema"]
        fields = {str(key) for key in schema.schema} if schema is not None else set()
        answer = {key: value for key, value in answers.items() if key in fields}
        if "host" in fields and "port" not in fields:  # a host field that takes host:port
            answer["host"] = f"{HOST}:{phone.port}"
        result = await hass.config_entries.flow.async_configure(result["flow_id"], answer)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result


def coordinators(hass: HomeAssistant) -> list[IpPhoneCoordinator]:
    """Return every phone's coordinator."""
    return [entry.runtime_data for entry in hass.config_entries.async_entries(DOMAIN)]


def line_sensors(hass: HomeAssistant) -> dict[str, IpPhoneCoordinator]:
    """Map each polled phone's line 1 sensor to its coordinator."""
    registry = er.async_get(hass)
    found = {}
    for coordinator in coordinators(hass):
        for entity in er.async_entries_for_config_entry(
            registry, coordinator.config_entry.entry_id
        ):
            if entity.domain == "sensor" and entity.unique_id.endswith("_line_1"):
                found[entity.entity_id] = coordinator
    return found


def port_of(coordinator: IpPhoneCoordinator) -> int:
    """Return the port of the phone an entry is for (a port field, or host:port)."""
    data = coordinator.config_entry.data
    return int(data.get(CONF_PORT) or str(data[CONF_HOST]).rsplit(":", 1)[1])


async def latency(
    hass: HomeAssistant, http: aiohttp.ClientSession, phones: Sequence[Phone]
) -> list[float]:
    """Time, phone after phone, from the start of its poll to its line 1 sensor's new state."""
    by_port = {phone.port: phone for phone in phones}
    written: dict[str, float] = {}

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        written.setdefault(event.data["entity_id"], time.perf_counter())

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, changed)
    samples = []
    for sensor, coordinator in line_sensors(hass).items():
        phone = by_port[port_of(coordinator)]
        for path, body in (("lines/1/ring", {"number": "5551234"}), ("lines/1/reject", {})):
            await control(http, phone, path, **body)
            written.pop(sensor, None)
            start = time.perf_counter()
            await coordinator.async_refresh()
            if sensor in written:
                samples.append((written[sensor] - start) * 1000)
    unsubscribe()
    return samples


async def home_assistant(
    hass: HomeAssistant, http: aiohttp.ClientSession, phones: Sequence[Phone]
) -> tuple[Figures, float, float, list[float]]:
    """Add the fleet to Home Assistant, then measure its polls."""
    await add_phone(hass, phones[0])  # loads the integration and its platforms once
    await hass.async_block_till_done()
    before = rss_kb()
    for phone in phones[1:]:
        await add_phone(hass, phone)
    await hass.async_block_till_done()
    refreshes = [coordinator.async_refresh for coordinator in coordinators(hass)]
    assert len(refreshes) == len(phones)
    await asyncio.gather(*(refresh() for refresh in refreshes))  # every phone polled once
    kb_per_phone = (rss_kb() - before) / max(1, len(phones) - 1)

    writes = 0

    @callback
    def count(_: Event[EventStateChangedData]) -> None:
        nonlocal writes
        writes += 1

    await requests_since(http, phones, clear=True)
    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, count)
    cpu, walls = await timed_rounds(refreshes, ROUNDS, len(phones))
    await hass.async_block_till_done()
    unsubscribe()
    counts = await requests_since(http, phones, clear=True)
    figures = Figures(cpu, walls, per_poll(counts, phones, ROUNDS))
    samples = await latency(hass, http, phones)
    return figures, kb_per_phone, writes / (ROUNDS * len(phones)), samples


def report(
    alone: Figures,
    beside: Figures,
    hass_figures: Figures,
    *,
    kb_per_phone: float,
    writes: float,
    samples: list[float],
) -> list[str]:
    """Lay the figures out as Markdown."""
    cpu = hass_figures.cpu_ms_per_poll
    table = [
        (
            "CPU per phone poll",
            f"{alone.cpu_ms_per_poll:.2f} ms",
            f"{beside.cpu_ms_per_poll:.2f} ms",
            (
                f"{cpu:.2f} ms ({cpu / alone.cpu_ms_per_poll:.2f}x, "
                f"{cpu / beside.cpu_ms_per_poll:.2f}x)"
            ),
            f"<= {TARGET_CPU_RATIO}x",
        ),
        (
            "all phones at once, p50",
            f"{statistics.median(alone.round_ms):.0f} ms",
            f"{statistics.median(beside.round_ms):.0f} ms",
            f"{statistics.median(hass_figures.round_ms):.0f} ms",
            "",
        ),
        ("memory per phone", "", "", f"{kb_per_phone:.0f} kB", f"< {TARGET_KB_PER_PHONE} kB"),
        ("state writes per unchanged poll", "", "", f"{writes:g}", "0"),
    ]
    table += [
        (
            f"requests per poll, {name}",
            f"{alone.requests[name]:g}",
            f"{beside.requests[name]:g}",
            f"{hass_figures.requests[name]:g}",
            "1" if name in ONE_REQUEST else "",
        )
        for name in hass_figures.requests
    ]
    title = (
        f"{PHONES} simulated phones in a separate process, every phone polled at once, "
        f"{ROUNDS} rounds, nothing changing. Library: alone in a fresh process, and again in "
        "the same process beside the loaded Home Assistant (its heap, no polling of its own)."
    )
    rows = [
        title,
        "",
        "| | library alone | library beside Home Assistant | Home Assistant | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += ["| " + " | ".join(cells) + " |" for cells in table]
    if samples:
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        rows += [
            "",
            (
                f"Poll-to-state latency, one phone's poll while the fleet is idle "
                f"({len(samples)} changes): p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            ),
        ]
    return rows


@pytest.mark.usefixtures("socket_enabled", "enable_custom_integrations")
async def test_fleet(hass: HomeAssistant, capsys: pytest.CaptureFixture[str]) -> None:
    """Measure and print."""
    # Run as Home Assistant runs: the harness turns on asyncio's debug mode (slow on purpose).
    asyncio.get_running_loop().set_debug(False)
    logging.getLogger("custom_components.ip_phone").setLevel(logging.WARNING)
    async with simulator(PHONES) as phones, aiohttp.ClientSession() as http:
        alone = await library_only(http, phones)
        figures, kb_per_phone, writes, samples = await home_assistant(hass, http, phones)
        for coordinator in coordinators(hass):  # Home Assistant stops polling, holding its state
            coordinator.update_interval = None
            await coordinator.async_refresh()
        beside = await library_only(http, phones)
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    with capsys.disabled():
        print(
            "\n"
            + "\n".join(
                report(
                    alone,
                    beside,
                    figures,
                    kb_per_phone=kb_per_phone,
                    writes=writes,
                    samples=samples,
                )
            )
        )


def main() -> int:
    """Run the benchmark under pytest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=PHONES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    arguments = parser.parse_args()
    return run_under_pytest(__file__, {"phones": arguments.phones, "rounds": arguments.rounds})


if __name__ == "__main__":
    sys.exit(main())
