"""What polling costs: requests and logins per refresh, and the time to refresh many phones at once.

Run with `scripts/run python -m benchmarks.refresh [--phones 20] [--rounds 50]`. Every phone is a
simulator on 127.0.0.1; the library talks to it over real HTTP through one shared aiohttp session,
as Home Assistant does. Prints a Markdown table.
"""

import argparse
import asyncio
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
import statistics
import time

import aiohttp

from custom_components.ip_phone.api import Dialect, PhoneClient, create_client
from simulator import SimulatedPhone, SimulatorServer, serve
from simulator.enums import Dialect as SimulatorDialect

# One hour of polling at the integration's 10 s interval.
POLLS_PER_HOUR = 360
PASSWORD = "bench-Pa55"


@dataclass
class Phone:
    """A simulated phone and the client polling it."""

    phone: SimulatedPhone
    server: SimulatorServer
    client: PhoneClient


def is_login(path: str, query: str) -> bool:
    """Whether a recorded request is a login (token, web interface or GMI login)."""
    logins = ("/login", "/loginrealm", "/access", "/dologin")
    return path.endswith(logins) or "action=login" in query


def logins(phone: SimulatedPhone) -> int:
    """How many login requests the phone has received."""
    return sum(is_login(request.path, request.query_string) for request in phone.requests)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Return the sample below which `fraction` of the samples lie (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def start_phones(
    stack: AsyncExitStack, session: aiohttp.ClientSession, count: int
) -> list[Phone]:
    """Start `count` simulated phones, the dialects taking turns, each with a client."""
    dialects = list(Dialect)
    phones = []
    for index in range(count):
        dialect = dialects[index % len(dialects)]
        phone = SimulatedPhone(SimulatorDialect(dialect.value), password=PASSWORD)
        server = await stack.enter_async_context(serve(phone))
        client = create_client(
            dialect,
            session=session,
            host=server.host,
            port=server.port,
            username=phone.username,
            password=PASSWORD,
        )
        phones.append(Phone(phone, server, client))
    return phones


async def cost_per_dialect(phones: list[Phone]) -> list[str]:
    """Measure the requests of a refresh and the logins in an hour of polling, per dialect."""
    rows = [
        "| dialect | requests per refresh | logins in an hour after the first | refresh p50 ms |"
    ]
    rows.append("| --- | --- | --- | --- |")
    seen: set[str] = set()
    for entry in phones:
        dialect = entry.phone.dialect.value
        if dialect in seen:
            continue
        seen.add(dialect)
        entry.phone.requests.clear()
        samples = []
        for _ in range(POLLS_PER_HOUR):
            start = time.perf_counter()
            await entry.client.status()
            samples.append(time.perf_counter() - start)
        steady = len(entry.phone.requests) / POLLS_PER_HOUR
        rows.append(
            f"| {dialect} | {steady:g} | {logins(entry.phone)} "
            f"| {statistics.median(samples) * 1000:.2f} |"
        )
    return rows


async def fleet_refresh(phones: list[Phone], rounds: int) -> list[str]:
    """Time refreshing every phone at once, as many coordinators polling together do."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await asyncio.gather(*(entry.client.status() for entry in phones))
        samples.append(time.perf_counter() - start)
    p50, p95 = percentile(samples, 0.5) * 1000, percentile(samples, 0.95) * 1000
    return [
        "",
        f"Refreshing {len(phones)} phones at once ({rounds} rounds): {p50=:.1f} ms, {p95=:.1f} ms",
    ]


async def main(count: int, rounds: int) -> None:
    """Start the phones, log every client in once, then measure."""
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())
        phones = await start_phones(stack, session, count)
        await asyncio.gather(*(entry.client.status() for entry in phones))  # first login
        rows = await cost_per_dialect(phones)
        rows += await fleet_refresh(phones, rounds)
        print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.phones, arguments.rounds))
