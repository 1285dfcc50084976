"""A plain tool-calling agent loop with a safety gate.

The model is anything with ``complete(messages, tools) -> assistant message``: the fine-tuned
model in process (:class:`InProcessModel`) or any OpenAI-compatible server (:class:`EndpointModel`).
Every tool call passes the :class:`SafetyGate` before it reaches the executor.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable, Protocol

from .data.vocabulary import SYSTEM_INSTRUCTIONS
from .dates import today_line
from .formats import arguments_to_object, parse_model_output
from .tools import is_destructive, validate_arguments

EXECUTE, CONFIRM, REJECT = "execute", "confirm", "reject"


class ModelClient(Protocol):
    def complete(self, messages: list[dict], tools: list[dict]) -> dict:
        """The next OpenAI assistant message: null content plus ``tool_calls``, or plain content."""


class InProcessModel:
    """A :class:`~agentic_tuning.generation.ChatGenerator` as a model client."""

    def __init__(self, generator):
        self.generator = generator

    def complete(self, messages: list[dict], tools: list[dict]) -> dict:
        """Generate raw text and parse it; schema problems are left for the gate to report."""
        text = self.generator.generate(messages, tools).text
        return parse_model_output(text, tools=None, id_prefix=f"call_{len(messages)}_").message


class EndpointModel:
    """Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp, Ollama, OpenAI...)."""

    def __init__(self, base_url: str, model: str, api_key: str = "not-needed", *, client=None):
        if client is None:
            import openai

            client = openai.OpenAI(base_url=base_url, api_key=api_key)
        self.client, self.model = client, model

    def complete(self, messages: list[dict], tools: list[dict]) -> dict:
        response = self.client.chat.completions.create(model=self.model, messages=messages, tools=tools)
        return _assistant_message(response.choices[0].message.model_dump(exclude_none=True))


def _assistant_message(message: dict) -> dict:
    """Keep only role, content and tool_calls; content is None whenever there are tool calls."""
    if not message.get("tool_calls"):
        return {"role": "assistant", "content": message.get("content") or ""}
    tool_calls = [
        {"id": c["id"], "type": "function",
         "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}
        for c in message["tool_calls"]
    ]
    return {"role": "assistant", "content": None, "tool_calls": tool_calls}


# ---------------------------------------------------------------- safety gate


@dataclass
class GateDecision:
    """What the gate decided about one tool call."""

    call_id: str
    name: str
    arguments: dict | str  # parsed when they are a JSON object, else as the model sent them
    verdict: str  # "execute", "confirm" or "reject"
    approved: bool | None  # the user's answer to a "confirm"; None when nobody was asked
    reason: str


def deny(call: dict) -> bool:
    """The default confirm callback: never approve a destructive call."""
    return False


def _error(kind: str, message: str, details=()) -> dict:
    return {"ok": False, "error": {"type": kind, "message": message, "details": list(details)}}


class SafetyGate:
    """Executes valid calls, asks ``confirm`` before destructive ones, rejects invalid ones.

    Unknown tools and arguments that are not valid for the tool's schema are rejected without
    asking anyone. Only a ``confirm`` result of exactly ``True`` approves a destructive call.
    """

    def __init__(self, tools: list[dict], confirm: Callable[[dict], bool] | None = None):
        self.tools = tools
        self.confirm = confirm or deny
        self.decisions: list[GateDecision] = []

    def handle(self, call: dict, executor) -> dict:
        """Decide about one OpenAI tool call and return the result the model gets to see."""
        name, raw = call["function"]["name"], call["function"]["arguments"]
        arguments, problem = self._check(name, raw)
        if problem:
            kind, message, details = problem
            self._record(call, arguments, REJECT, None, message)
            return _error(kind, message, details)
        if is_destructive(name):
            approved = self.confirm(call) is True
            self._record(call, arguments, CONFIRM, approved,
                         f"destructive tool {name}, {'approved' if approved else 'denied'} by the user")
            if not approved:
                return _error("denied_by_user", f"the user did not approve {name}; nothing was changed")
        else:
            self._record(call, arguments, EXECUTE, None, "valid call to a non-destructive tool")
        return executor.execute(name, arguments)

    def _check(self, name: str, raw) -> tuple[dict | str, tuple | None]:
        """The call's arguments, and ``(error type, message, details)`` if it must not run."""
        names = [t["function"]["name"] for t in self.tools]
        if name not in names:
            return raw, ("unknown_tool", f"unknown tool {name!r}", [f"available tools: {', '.join(names)}"])
        try:
            arguments = arguments_to_object(raw)
        except (ValueError, RecursionError) as exc:
            return raw, ("invalid_json", f"arguments for {name} are not a JSON object", [str(exc)])
        problems = validate_arguments(name, arguments, self.tools)
        if problems:
            return arguments, ("invalid_arguments", f"invalid arguments for {name}: {'; '.join(problems)}", problems)
        return arguments, None

    def _record(self, call: dict, arguments, verdict: str, approved: bool | None, reason: str) -> None:
        self.decisions.append(GateDecision(call["id"], call["function"]["name"], arguments, verdict, approved, reason))


# ---------------------------------------------------------------- agent loop


@dataclass
class AgentRun:
    """The whole conversation of one run and how it ended."""

    messages: list[dict]
    final_answer: str | None
    decisions: list[GateDecision]
    steps: int  # model calls made
    stopped_reason: str  # "final_answer" or "step_limit"


def default_system_prompt(today: dt.date) -> str:
    """Today's date and an instruction, as in the training data."""
    return " ".join([today_line(today), SYSTEM_INSTRUCTIONS["train"][0]])


def run_agent(request: str | list[dict], model: ModelClient, executor, tools: list[dict] | None = None, *,
              confirm: Callable[[dict], bool] | None = None, max_steps: int = 6,
              system_prompt: str | None = None) -> AgentRun:
    """Let ``model`` act on ``request`` through ``executor`` until it answers in prose.

    ``request`` is the user's message or a conversation so far; a system prompt is put in
    front unless the conversation already starts with one. ``tools`` defaults to the
    executor's. Destructive calls run only when ``confirm(call)`` returns True.
    """
    tools = executor.tools if tools is None else tools
    gate = SafetyGate(tools, confirm)
    messages = [{"role": "user", "content": request}] if isinstance(request, str) else list(request)
    if not messages or messages[0]["role"] != "system":
        system = system_prompt or default_system_prompt(executor.store.today)
        messages.insert(0, {"role": "system", "content": system})
    for step in range(1, max_steps + 1):
        reply = model.complete(messages, tools)
        messages.append(reply)
        if not reply.get("tool_calls"):
            return AgentRun(messages, reply.get("content"), gate.decisions, step, "final_answer")
        for call in reply["tool_calls"]:
            result = gate.handle(call, executor)
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(result, ensure_ascii=False)})
    return AgentRun(messages, None, gate.decisions, max_steps, "step_limit")
