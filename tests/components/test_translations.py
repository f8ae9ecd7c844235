"""The strings: complete, in step with the code, and the same in translations/en.json."""

import json
from pathlib import Path
import re
from typing import Any

import pytest
import yaml

from custom_components.ip_phone.api import Dialect, LineState, PhoneState
from custom_components.ip_phone.config_flow import DEFAULT_USERNAMES

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "ip_phone"
SOURCES = "\n".join(path.read_text(encoding="utf-8") for path in INTEGRATION.glob("*.py"))


def load(name: str) -> Any:
    return json.loads((INTEGRATION / name).read_text(encoding="utf-8"))


STRINGS = load("strings.json")


def test_english_translation_is_the_strings() -> None:
    assert load("translations/en.json") == STRINGS


def test_every_login_step_per_dialect() -> None:
    steps = STRINGS["config"]["step"]
    for dialect in Dialect:
        assert dialect.value in steps
        assert dialect.value in STRINGS["selector"]["dialect"]["options"]
    assert set(DEFAULT_USERNAMES) <= set(Dialect)


def test_every_field_is_described() -> None:
    for step_id, step in STRINGS["config"]["step"].items():
        assert set(step.get("data", {})) == set(step.get("data_description", {})), step_id


def test_every_action_and_field_is_translated() -> None:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    icons = load("icons.json")["services"]
    assert set(services) == set(STRINGS["services"]) == set(icons)
    for name, service in services.items():
        assert set(service["fields"]) == set(STRINGS["services"][name]["fields"]), name


def test_states_are_translated() -> None:
    sensors = STRINGS["entity"]["sensor"]
    icons = load("icons.json")["entity"]["sensor"]
    lines = {state.value for state in LineState} - {"unknown"}
    phone = {state.value for state in PhoneState} - {"unknown"}
    assert set(sensors["line"]["state"]) == set(icons["line"]["state"]) == lines
    assert set(sensors["phone_state"]["state"]) == set(icons["phone_state"]["state"]) == phone


@pytest.mark.parametrize(
    ("pattern", "section"),
    [
        (
            r'translation_domain=DOMAIN,\s*translation_key="([a-z_]+)"|_fail\(\w+, "([a-z_]+)"',
            "exceptions",
        ),
        (r'errors?\[[A-Z_"a-z]+\] = "([a-z_]+)"|\{"base": "([a-z_]+)"\}', "error"),
        (r'reason="([a-z_]+)"', "abort"),
    ],
)
def test_keys_used_in_code_exist(pattern: str, section: str) -> None:
    if section == "exceptions":
        table = STRINGS["exceptions"]
    else:
        table = {**STRINGS["config"][section], **STRINGS["options"].get(section, {})}
    used = {
        key
        for match in re.findall(pattern, SOURCES)
        for key in (match if isinstance(match, tuple) else (match,))
        if key
    }
    assert used
    assert used <= set(table)


def test_entity_names_are_translated() -> None:
    descriptions = re.findall(r'key="([a-z_]+)",\s*translation_key="([a-z_]+)"', SOURCES)
    keys = {f"key_{role}" for role in re.findall(r'_key\(role="([a-z_]+)"\)', SOURCES)}
    entities = {key for platform in STRINGS["entity"].values() for key in platform}
    assert {translation_key for _, translation_key in descriptions} | keys == entities


LANGUAGES = {"en", "de", "nl", "fr", "es"}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def strings_of(tree: Any, path: str = "") -> dict[str, str]:
    """Flatten a translation file to its strings, by their dotted path."""
    if isinstance(tree, dict):
        return {
            key: text
            for name, child in tree.items()
            for key, text in strings_of(child, f"{path}.{name}" if path else name).items()
        }
    assert isinstance(tree, str), path
    return {path: tree}


def test_every_language_is_there() -> None:
    assert {path.stem for path in (INTEGRATION / "translations").glob("*.json")} == LANGUAGES


@pytest.mark.parametrize("language", sorted(LANGUAGES - {"en"}))
def test_language_is_complete(language: str) -> None:
    """Every English string is translated, with the same placeholders, and nothing else is there."""
    english = strings_of(STRINGS)
    translated = strings_of(load(f"translations/{language}.json"))
    assert sorted(translated) == sorted(english)
    for key, text in english.items():
        assert sorted(PLACEHOLDER.findall(translated[key])) == sorted(PLACEHOLDER.findall(text)), (
            key
        )
        assert translated[key].strip(), key
    # Names such as "Host", "API" or "{name}" stay as they are; whole sentences do not.
    untouched = [key for key, text in english.items() if " " in text and translated[key] == text]
    assert len(untouched) <= len(english) // 20, untouched
