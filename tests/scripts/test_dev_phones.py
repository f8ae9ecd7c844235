"""scripts/dev_phones.py against a real Home Assistant, onboarded as on a second develop run."""

import json
from pathlib import Path
from typing import Any

import aiohttp
from homeassistant.components.onboarding.const import STEPS
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.scripts import load_script

dev_phones = load_script("dev_phones")


@pytest.fixture
async def onboarded_ha(
    hass: HomeAssistant, hass_storage: dict[str, Any], hass_client_no_auth: ClientSessionGenerator
) -> str:
    """Serve a Home Assistant whose onboarding is over, as on every run after the first."""
    hass_storage["onboarding"] = {"version": 4, "key": "onboarding", "data": {"done": STEPS}}
    assert await async_setup_component(hass, "onboarding", {})
    assert await async_setup_component(hass, "auth", {})
    assert await async_setup_component(hass, "api", {})
    client = await hass_client_no_auth()
    return str(client.make_url("")).rstrip("/")


async def test_second_run_without_token(onboarded_ha: str, tmp_path: Path) -> None:
    """Onboarded by hand, no token kept: the script says so instead of crashing."""
    async with aiohttp.ClientSession() as session:
        assert await dev_phones.onboarding_steps(session, onboarded_ha) == {}
        token = await dev_phones.access_token(session, onboarded_ha, tmp_path / "token")
    assert token is None


async def test_second_run_uses_kept_token(
    hass: HomeAssistant, onboarded_ha: str, tmp_path: Path
) -> None:
    """The refresh token kept by the first run gives an access token the API takes."""
    user = await hass.auth.async_create_user("Developer", group_ids=["system-admin"])
    refresh = await hass.auth.async_create_refresh_token(user, client_id=f"{onboarded_ha}/")
    token_file = tmp_path / "token"
    token_file.write_text(refresh.token, encoding="utf-8")
    async with aiohttp.ClientSession() as session:
        token = await dev_phones.access_token(session, onboarded_ha, token_file)
        assert token is not None
        async with session.get(
            f"{onboarded_ha}/api/", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            assert response.status == 200


async def test_first_run_sets_up_nothing_that_reaches_out(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    hass_client_no_auth: ClientSessionGenerator,
    local_auth: object,
    tmp_path: Path,
) -> None:
    """A new config folder is onboarded without Met, Radio Browser or Google Translate."""
    dev_config = load_script("dev_config")
    dev_config.main(tmp_path)
    hass_storage["onboarding"] = json.loads((tmp_path / ".storage" / "onboarding").read_text())
    for component in ("onboarding", "auth", "api", "person"):
        assert await async_setup_component(hass, component, {})
    client = await hass_client_no_auth()
    ha = str(client.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as session:
        assert await dev_phones.onboarding_steps(session, ha) == {
            step: step == "core_config" for step in STEPS
        }
        assert await dev_phones.access_token(session, ha, tmp_path / "token") is not None
        # Every step done (a real Home Assistant then drops the view: {}).
        assert all((await dev_phones.onboarding_steps(session, ha)).values())
    await hass.async_block_till_done()
    started = {flow["handler"] for flow in hass.config_entries.flow.async_progress()}
    assert not started & {"met", "radio_browser", "google_translate", "shopping_list"}
    assert not hass.config_entries.async_entries()
