"""What contacts cost: resolving a name among thousands, and what a phonebook adds to polling.

Run with `scripts/run python -m benchmarks.contacts [--contacts 5000] [--rounds 2000]`. The index is
the integration's own (`contacts.ContactIndex`); the phonebooks are read over real HTTP from
simulated Web API and GMI phones on 127.0.0.1. Prints a Markdown table.
"""

import argparse
import asyncio
from collections.abc import Callable
import contextlib
import random
import statistics
import time

import aiohttp

from custom_components.ip_phone.api import Dialect, NumberKind, create_client
from custom_components.ip_phone.contacts import (
    ContactIndex,
    Known,
    Source,
)
from simulator import SimulatedPhone, serve
from simulator.enums import Dialect as SimulatorDialect
from simulator.state import Contact as SimContact

PASSWORD = "bench-Pa55"
PHONES = 4
POLLS = 100
SYLLABLES = ("an", "be", "co", "da", "el", "fi", "go", "ha", "il", "jo", "ka", "lu", "mi", "no")


def name(rng: random.Random) -> str:
    """Return a made-up two-word name."""
    first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
    last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
    return f"{first} {last}"


def directory(count: int, rng: random.Random) -> list[Known]:
    """Return `count` contacts: a fifth in the phones' options, the rest in their phonebooks."""
    known = []
    for index in range(count):
        source = Source.CONTACT if index % 5 == 0 else Source.PHONEBOOK
        number = f"0{rng.randint(10**8, 10**9 - 1)}"
        known.append(
            Known(
                name=name(rng),
                number=number,
                source=source,
                entry_id=f"phone{index % PHONES}",
                numbers={NumberKind.WORK: number} if source is Source.PHONEBOOK else {},
            )
        )
    return known


def timed(samples: list[float], call: Callable[[], object]) -> None:
    """Time one call; a name not found or ambiguous is an answer too."""
    start = time.perf_counter()
    with contextlib.suppress(LookupError):
        call()
    samples.append(time.perf_counter() - start)


def resolving(count: int, rounds: int) -> list[str]:
    """Time building the index and resolving names, numbers and callers in it."""
    rng = random.Random(10)  # noqa: S311 (made-up names)
    known = directory(count, rng)
    start = time.perf_counter()
    index = ContactIndex(known)
    build = (time.perf_counter() - start) * 1000
    cases: dict[str, Callable[[], object]] = {
        "an exact name": lambda: index.resolve(rng.choice(known).name, "phone0"),
        "a last name (word search)": lambda: index.resolve(
            rng.choice(known).name.split()[1], "phone1"
        ),
        "nobody (a full search)": lambda: index.resolve("Boiler room", "phone2"),
        "a number said": lambda: index.resolve("555 1234", "phone3"),
        "a caller's number (reverse)": lambda: index.name_for(rng.choice(known).number),
    }
    rows = [
        f"Index of {count} contacts built in {build:.1f} ms.",
        "",
        "| resolving | p50 ms | p99 ms | max ms |",
        "| --- | --- | --- | --- |",
    ]
    for what, call in cases.items():
        samples: list[float] = []
        for _ in range(rounds):
            timed(samples, call)
        ordered = sorted(samples)
        p99 = ordered[int(len(ordered) * 0.99) - 1]
        rows.append(
            f"| {what} | {statistics.median(samples) * 1000:.3f} | {p99 * 1000:.3f} "
            f"| {ordered[-1] * 1000:.3f} |"
        )
    return rows


async def phonebook_and_polls(count: int) -> list[str]:
    """Read a phonebook of `count` contacts once, then poll: count what each poll sends."""
    rows = [
        "",
        f"| dialect | phonebook of {count}: read ms | requests | requests per poll after it |",
        "| --- | --- | --- | --- |",
    ]
    async with aiohttp.ClientSession() as session:
        for dialect in (Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI):
            phone = SimulatedPhone(SimulatorDialect(dialect.value), password=PASSWORD)
            rng = random.Random(3)  # noqa: S311 (made-up names)
            for index in range(count):
                first, last = name(rng).split()
                phone.phonebook.save(SimContact(-1, first, last, work=f"{index:07d}"))
            async with serve(phone) as server:
                client = create_client(
                    dialect,
                    session=session,
                    host=server.host,
                    port=server.port,
                    username=phone.username,
                    password=PASSWORD,
                )
                await client.status()  # log in first
                phone.requests.clear()
                start = time.perf_counter()
                contacts = await client.get_contacts()
                read = (time.perf_counter() - start) * 1000
                reads = len(phone.requests)
                phone.requests.clear()
                for _ in range(POLLS):
                    await client.status()
                per_poll = len(phone.requests) / POLLS
                assert len(contacts) == count + 2  # and the two factory contacts
                rows.append(
                    f"| {dialect.value} | {read:.0f} | {reads} | {per_poll:g} "
                    f"(status() alone: {client.status_requests}) |"
                )
    return rows


async def main(count: int, rounds: int) -> None:
    """Measure and print."""
    rows = resolving(count, rounds)
    rows += await phonebook_and_polls(count)
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.contacts, arguments.rounds))
