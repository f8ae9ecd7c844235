"""Add scripts/develop's simulated phones to its Home Assistant, through Home Assistant's own APIs.

On a new config folder it onboards a developer account (user `dev`, password `dev`, printed), keeps
its refresh token in the gitignored config folder, then runs the integration's config flow over the
REST API for each simulated phone, as the UI would. A phone added before ends `already_configured`.
Then it does what a user does on a real phone: it reads the phone's push URLs from the entry's
Configure step and sets them as the simulated phone's Action URLs, so calls show at once. It types
the README's contacts into each phone's phonebook and names the first two phones "Kitchen phone" and
"Office phone" (unless renamed), so the README's voice sentences work in the Assist dialog.
"""

import argparse
import asyncio
from http import HTTPStatus
import json
from pathlib import Path
import sys
from typing import Any, Final

import aiohttp

HA: Final = "http://127.0.0.1:8123"
DEV_USER: Final = {"name": "Developer", "username": "dev", "password": "dev", "language": "en"}
TOKEN_FILE: Final = Path("config/.dev-refresh-token")
# The simulator's Action URL events, each named as the Configure step names its URL.
PUSH_EVENTS: Final = (
    *("incoming", "outgoing", "established", "terminated", "missed"),
    *("registered", "unregistered"),
)
# Which entry each simulated phone's port became, to find it again once the phone is added.
ENTRIES_FILE: Final = Path("config/.dev-phone-entries.json")
# The README's voice examples: "call Anna on the kitchen phone", "call Ann", the workshop's mobile.
DEMO_CONTACTS: Final = (
    {"first_name": "Anna", "work": "5551234"},
    {"first_name": "Annex", "work": "5550000"},
    {"first_name": "Workshop", "mobile": "01701234567", "work": "0301234"},
)
DEMO_NAMES: Final = ("Kitchen phone", "Office phone")
# The user names the login forms want; scripts/develop gives every simulated phone one password.
USERNAMES: Final = {
    "grandstream_webapi": "gmiadmin",
    "grandstream_gmi": "gmiadmin",
    "grandstream_session": "admin",
    "fanvil": "",
}


async def post(session: aiohttp.ClientSession, url: str, **kwargs: Any) -> Any:  # noqa: ANN401
    """POST to Home Assistant and return the decoded JSON answer."""
    async with session.post(url, **kwargs) as response:
        response.raise_for_status()
        return await response.json()


async def token(session: aiohttp.ClientSession, ha: str, token_file: Path, **form: str) -> str:
    """Exchange an auth code or refresh token for an access token, keeping a new refresh token."""
    client_id = f"{ha}/"
    answer = await post(session, f"{ha}/auth/token", data={"client_id": client_id, **form})
    if "refresh_token" in answer:
        _keep(token_file, answer["refresh_token"])
    return str(answer["access_token"])


async def onboarding_steps(session: aiohttp.ClientSession, ha: str) -> dict[str, bool]:
    """Return which onboarding steps are done; none left once onboarding is over.

    Home Assistant removes its onboarding views when the last step is done: the status then
    answers 404 with a text body, which is what every run after the first sees.
    """
    async with session.get(f"{ha}/api/onboarding") as response:
        if response.status == HTTPStatus.NOT_FOUND:
            return {}
        response.raise_for_status()
        return {step["step"]: step["done"] for step in await response.json()}


async def access_token(
    session: aiohttp.ClientSession, ha: str = HA, token_file: Path = TOKEN_FILE
) -> str | None:
    """Onboard the developer account on a new Home Assistant, or use the token kept from before."""
    client_id = f"{ha}/"
    steps = await onboarding_steps(session, ha)
    if not steps.get("user", True):
        created = await post(
            session, f"{ha}/api/onboarding/users", json={"client_id": client_id, **DEV_USER}
        )
        access = await token(
            session, ha, token_file, grant_type="authorization_code", code=created["auth_code"]
        )
        headers = {"Authorization": f"Bearer {access}"}
        if not steps.get("core_config", True):  # dev_config.py marks it done: no internet set-ups
            await post(session, f"{ha}/api/onboarding/core_config", headers=headers, json={})
        await post(session, f"{ha}/api/onboarding/analytics", headers=headers, json={})
        integration = {"client_id": client_id, "redirect_uri": f"{client_id}?auth_callback=1"}
        await post(session, f"{ha}/api/onboarding/integration", headers=headers, json=integration)
        print("Onboarded Home Assistant: log in as dev / dev", flush=True)
        return access
    if refresh_token := _kept(token_file):
        return await token(
            session, ha, token_file, grant_type="refresh_token", refresh_token=refresh_token
        )
    return None


# A command-line helper: a few bytes of blocking file I/O stall nothing.
def _keep(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _kept(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


async def add_phone(session: aiohttp.ClientSession, port: int, password: str) -> str | None:
    """Run the integration's config flow for the simulated phone on `port`; return its entry id."""
    async with session.get(f"http://127.0.0.1:{port}/_sim/state") as response:
        dialect = (await response.json())["dialect"]
    flow = await post(session, f"{HA}/api/config/config_entries/flow", json={"handler": "ip_phone"})
    answers = {
        "user": {"host": "127.0.0.1", "port": port, "ssl": False, "verify_ssl": True},
        "dialect": {"dialect": dialect},
        "grandstream_cti": {"passcode": password},
    }
    while flow["type"] == "form":
        step = flow["step_id"]
        answer = answers.get(step, {"username": USERNAMES.get(dialect, ""), "password": password})
        flow = await post(
            session, f"{HA}/api/config/config_entries/flow/{flow['flow_id']}", json=answer
        )
        if flow["type"] == "form" and flow.get("errors"):
            print(f"{dialect} on port {port}: {json.dumps(flow['errors'])}", flush=True)
            return None
    print(f"{dialect} on port {port}: {flow.get('reason') or flow['type']}", flush=True)
    return flow["result"]["entry_id"] if flow["type"] == "create_entry" else None


async def set_push_urls(session: aiohttp.ClientSession, port: int, entry_id: str) -> None:
    """Set up push on the phone through Configure; else copy the URLs it shows by hand."""
    # On a second run the entries load while this runs: Configure can write once one is loaded.
    for _ in range(60):
        async with session.get(f"{HA}/api/config/config_entries/entry?domain=ip_phone") as answer:
            states = {entry["entry_id"]: entry["state"] for entry in await answer.json()}
        if states.get(entry_id) == "loaded":
            break
        await asyncio.sleep(0.5)
    flow = await post(
        session, f"{HA}/api/config/config_entries/options/flow", json={"handler": entry_id}
    )
    if "push_setup" in flow.get("menu_options", []):
        # Home Assistant writes the Action URLs into the phone itself, as a user's click would.
        flow = await post(
            session,
            f"{HA}/api/config/config_entries/options/flow/{flow['flow_id']}",
            json={"next_step_id": "push_setup"},
        )
        flow = await post(
            session, f"{HA}/api/config/config_entries/options/flow/{flow['flow_id']}", json={}
        )
        print(f"port {port}: push set up by Home Assistant: {flow['type']}", flush=True)
        return
    if flow["type"] == "menu":  # Configure offers contacts and push URLs
        flow = await post(
            session,
            f"{HA}/api/config/config_entries/options/flow/{flow['flow_id']}",
            json={"next_step_id": "push_urls"},
        )
    # One read-only field per event, the URL as its suggested value.
    shown = {
        field["name"]: field.get("description", {}).get("suggested_value")
        for field in flow["data_schema"]
    }
    urls = {event: shown[event] for event in PUSH_EVENTS}
    async with session.delete(f"{HA}/api/config/config_entries/options/flow/{flow['flow_id']}"):
        pass
    async with session.put(f"http://127.0.0.1:{port}/_sim/action_urls", json=urls) as response:
        response.raise_for_status()


async def add_contacts(session: aiohttp.ClientSession, port: int) -> None:
    """Give the simulated phone the README's contacts, as a person would type them in."""
    url = f"http://127.0.0.1:{port}/_sim/contacts"
    async with session.get(url) as response:
        known = {contact["name"] for contact in await response.json()}
    for contact in DEMO_CONTACTS:
        if f"{contact['first_name']} {contact.get('last_name', '')}".strip() not in known:
            async with session.post(url, json=contact) as response:
                response.raise_for_status()


async def name_phones(session: aiohttp.ClientSession, access: str, entries: list[str]) -> None:
    """Name the first phones as the README's sentences do, unless the user renamed them."""
    async with session.ws_connect(f"{HA.replace('http', 'ws')}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": access})
        await ws.receive_json()
        await ws.send_json({"id": 1, "type": "config/device_registry/list"})
        devices = (await ws.receive_json())["result"]
        for message_id, (entry_id, name) in enumerate(zip(entries, DEMO_NAMES, strict=False), 2):
            for device in devices:
                if entry_id in device["config_entries"] and not device["name_by_user"]:
                    update = {"device_id": device["id"], "name_by_user": name}
                    await ws.send_json(
                        {"id": message_id, "type": "config/device_registry/update", **update}
                    )
                    await ws.receive_json()


async def main(ports: list[int], password: str) -> int:
    """Add every phone; the exit status says whether Home Assistant let us in."""
    async with aiohttp.ClientSession() as session:
        access = await access_token(session)
        if access is None:
            print("Home Assistant was onboarded by hand: add the phones in the UI.", flush=True)
            return 1
        session.headers["Authorization"] = f"Bearer {access}"
        entries = json.loads(ENTRIES_FILE.read_text("utf-8")) if ENTRIES_FILE.exists() else {}
        for port in ports:
            # Contacts first: the phonebook is read when the phone is set up.
            await add_contacts(session, port)
            if entry_id := await add_phone(session, port, password):
                entries[str(port)] = entry_id
            if entry_id := entries.get(str(port)):
                await set_push_urls(session, port, entry_id)
        ENTRIES_FILE.write_text(json.dumps(entries), encoding="utf-8")
        await name_phones(session, access, [entries[str(p)] for p in ports if str(p) in entries])
        # Phones set up at Home Assistant's start read their phonebooks before the contacts were
        # typed in: listing the contacts reads every phonebook anew.
        await post(session, f"{HA}/api/services/ip_phone/get_contacts?return_response", json={})
    print("The simulated phones push their events to Home Assistant", flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-port", type=int, required=True)
    parser.add_argument("--phones", type=int, default=5)
    parser.add_argument("--password", required=True)
    arguments = parser.parse_args()
    ports = list(range(arguments.first_port, arguments.first_port + arguments.phones))
    sys.exit(asyncio.run(main(ports, arguments.password)))
