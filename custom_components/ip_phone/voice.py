"""Voice sentences that work out of the box: one `conversation` sentence trigger per intent.

The built-in agent offers integrations no way to add intent sentences, but it checks sentence
triggers first, as for an automation's own. Each trigger carries every language's sentences (the
agent builds one set for all languages); its action hands the words heard to the intent handler
and says the handler's answer.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from homeassistant.const import CONF_COMMAND, CONF_PLATFORM
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import async_initialize_triggers, async_validate_trigger_config
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.yaml import load_yaml_dict

from .const import DOMAIN, LOGGER

VOICE_DIR: Final = Path(__file__).parent / "voice"
FALLBACK_LANGUAGE: Final = "en"
INTENTS: Final = ("IpPhoneWhoIsCalling", "IpPhoneHangUp", "IpPhoneAnswer", "IpPhoneCall")
DATA_TEXTS: HassKey[dict[str, VoiceTexts]] = HassKey(f"{DOMAIN}_voice_texts")


@dataclass(frozen=True, slots=True)
class VoiceTexts:
    """One language's sentences per intent, words for number types, and answers."""

    sentences: Mapping[str, list[str]]
    number_types: Mapping[str, list[str]]
    responses: Mapping[str, str]

    def say(self, key: str, **values: str) -> str:
        """Return the answer `key` with its placeholders filled in."""
        return self.responses[key].format(**values)

    def one_of(self, names: list[str]) -> str:
        """Join names as "A, B or C"."""
        if len(names) < 2:  # noqa: PLR2004
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.responses['or']} {names[-1]}"


def load_texts() -> dict[str, VoiceTexts]:
    """Read every language's file (blocking: run it in the executor)."""
    texts = {}
    for path in sorted(VOICE_DIR.glob("*.yaml")):
        data = load_yaml_dict(path)
        texts[path.stem] = VoiceTexts(
            sentences=data["intents"],
            number_types=data.get("number_types", {}),
            responses=data["responses"],
        )
    return texts


async def async_get_texts(hass: HomeAssistant) -> dict[str, VoiceTexts]:
    """Return the texts of every language, read once."""
    if (texts := hass.data.get(DATA_TEXTS)) is None:
        texts = hass.data[DATA_TEXTS] = await hass.async_add_executor_job(load_texts)
    return texts


def texts_for(texts: Mapping[str, VoiceTexts], language: str | None) -> VoiceTexts:
    """Return the texts of `language` ("de-CH" is "de"), else English."""
    code = (language or FALLBACK_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return texts.get(code) or texts[FALLBACK_LANGUAGE]


def _trigger_action(hass: HomeAssistant, intent_type: str) -> Any:  # noqa: ANN401
    async def action(run_variables: dict[str, Any], context: Context | None = None) -> Any:  # noqa: ANN401
        trigger = run_variables["trigger"]
        user_input = trigger.get("user_input") or {}
        slots = {name: {"value": value} for name, value in trigger["slots"].items() if value}
        parent = (user_input.get("context") or {}).get("id")
        response = await intent.async_handle(
            hass,
            DOMAIN,
            intent_type,
            slots,
            text_input=trigger.get("sentence"),
            context=context or Context(parent_id=parent),
            language=user_input.get("language"),
            # The user said this very sentence, as with an automation's own sentence trigger:
            # no exposure gate (the agent and AI agents pass their assistant, and get one).
            assistant=None,
            device_id=trigger.get("device_id"),
            satellite_id=trigger.get("satellite_id"),
        )
        speech = response.speech.get("plain", {}).get("speech")
        return ScriptRunResult(conversation_response=speech, service_response=None, variables={})

    return action


async def async_setup_voice(hass: HomeAssistant) -> None:
    """Register the sentence triggers; without the conversation agent, carry on without them."""
    texts = await async_get_texts(hass)
    try:
        for intent_type in INTENTS:
            sentences = [s for lang in texts.values() for s in lang.sentences[intent_type]]
            config = await async_validate_trigger_config(
                hass, [{CONF_PLATFORM: "conversation", CONF_COMMAND: sentences}]
            )
            await async_initialize_triggers(
                hass,
                config,
                _trigger_action(hass, intent_type),
                DOMAIN,
                intent_type,
                LOGGER.log,
            )
    except Exception as err:  # noqa: BLE001 (whatever conversation lacks, the phones still work)
        LOGGER.warning("Voice sentences are not available: %s", err)
