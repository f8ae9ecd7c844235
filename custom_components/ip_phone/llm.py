"""AI agents' tools: the four voice intents, offered only for phones exposed to the assistant."""

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from .const import DOMAIN
from .intent import INTENT_ANSWER, INTENT_CALL, INTENT_HANG_UP, INTENT_WHO_IS_CALLING
from .phones import async_phones

TOOLS = {
    INTENT_CALL: ("Call someone from a desk phone", ToolAnnotations(destructive=False)),
    INTENT_HANG_UP: ("Hang up a desk phone", ToolAnnotations(idempotent=True)),
    INTENT_ANSWER: ("Answer a ringing desk phone", ToolAnnotations(idempotent=True)),
    INTENT_WHO_IS_CALLING: (
        "Tell who is calling",
        ToolAnnotations(read_only=True, destructive=False, idempotent=True, open_world=False),
    ),
}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Return the phone tools when at least one phone has an entity exposed to the assistant."""
    if api_id != LLM_API_ASSIST or not llm_context.assistant:
        return None
    phones = async_phones(hass, llm_context.assistant)
    if not phones:
        return None
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=TOOLS[handler.intent_type][0],
            integration=DOMAIN,
            annotations=TOOLS[handler.intent_type][1],
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in TOOLS
    ]
    listed = ", ".join(
        f"{phone.name} ({phone.area_id})" if phone.area_id else phone.name for phone in phones
    )
    prompt = (
        f"The user's desk phones are: {listed}. To call someone, pass the name as the user said "
        "it (or the number) as `contact`; the phone tool finds the contact and the number."
    )
    return LLMTools(tools=tools, prompt=prompt)
