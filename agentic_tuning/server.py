"""An OpenAI-compatible ``/v1/chat/completions`` endpoint for a model exported by :mod:`.serve`.

The reply contract: when the model calls tools, ``message.content`` is null and every call
has an ``id``, ``type: "function"``, ``function.name`` and ``function.arguments`` as a JSON
string, with ``finish_reason: "tool_calls"``. Any other output, including malformed or
cut-off calls and calls to a tool the request did not offer, comes back as plain content
(``finish_reason`` ``"stop"``, or ``"length"`` at the token limit), never as a broken call
and never as a 500. Whether a call's arguments fit its schema is left to the client, which
holds the real tool (the project's SafetyGate and TaskExecutor check and report it).
Assistant ``arguments`` strings in the history are parsed to objects before the chat
template renders them; tool ``strict`` flags and sampling parameters (``temperature``,
``top_p``, ``max_tokens``...) are accepted and ignored: decoding is always greedy, as the
evaluator measured it. ``stream: true`` is refused with a 400.

Why not ``transformers serve`` (5.17.0)? The exported folder loads there offline and a
well-formed call does come back as ``tool_calls`` (ids, ``type``, string arguments,
``finish_reason: "tool_calls"``), and it parses history ``arguments`` strings before
templating. It misses the rest of the contract (read in ``transformers/cli/serving/`` and
seen on a running ``transformers serve`` with the tuned model):

- malformed output is a 500: ``tokenizer.parse_response`` raises ``ValueError`` on a
  ``<tool_call>`` block that is not JSON or is cut off by the token limit, and
  ``_normalize_tool_call`` a ``KeyError`` on a block without ``name``; nothing catches them;
- ``content`` is ``""``, not null, next to tool calls;
- the request's ``tools`` go to the chat template as sent, so the Agents SDK's ``strict``
  flag is rendered into the prompt the model reads;
- an unparseable ``arguments`` string in the history is a 500 (a bare ``json.loads``);
- decoding follows the model's generation config with up to 1,024 new tokens, and the
  request's ``model`` must be the served folder's path (any other name is a 400).

This app is that contract around the same generator the evaluator uses
(:class:`~agentic_tuning.generation.ChatGenerator`, greedy, with the tool-prefix KV cache)
and the same parser (:func:`~agentic_tuning.formats.parse_model_output`).
"""

from __future__ import annotations

import threading
import time
import uuid

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from .chat_template import END_OF_TURN, template_messages
from .formats import parse_model_output

ROLES = ("system", "developer", "user", "assistant", "tool")


class RequestError(ValueError):
    """A request the server cannot render; answered with a 400."""


def normalise_tools(tools) -> list[dict]:
    """Tool definitions as the model was trained on them: name, description, parameters only."""
    try:
        normalised = []
        for tool in tools or []:
            function = tool["function"]
            if tool.get("type", "function") != "function" or not isinstance(function["name"], str):
                raise RequestError(f"unsupported tool {tool!r}")
            kept = {key: function[key] for key in ("name", "description", "parameters") if key in function}
            normalised.append({"type": "function", "function": kept})
        return normalised
    except (KeyError, TypeError) as exc:
        raise RequestError(f"every tool must be {{'type': 'function', 'function': {{'name': ...}}}}: {exc!r}") from exc


def normalise_messages(messages) -> list[dict]:
    """The conversation as the chat template renders it.

    Content becomes text, ``developer`` turns become ``system`` turns, and assistant
    ``arguments`` JSON strings become objects (the template's ``tojson`` would otherwise
    encode them a second time).
    """
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty list")
    converted = []
    try:
        for message in messages:
            if message.get("role") not in ROLES:
                raise RequestError(f"unsupported role {message.get('role')!r}; expected one of {ROLES}")
            turn = {"role": "system" if message["role"] == "developer" else message["role"],
                    "content": message.get("content")}
            if message.get("tool_calls"):
                turn["tool_calls"] = [
                    {"function": {"name": call["function"]["name"], "arguments": call["function"]["arguments"]}}
                    for call in message["tool_calls"]
                ]
            converted.append(turn)
        return template_messages(converted)
    except RequestError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RequestError(f"malformed message in 'messages': {exc!r}") from exc


def assistant_message(text: str, tools: list[dict], call_prefix: str) -> dict:
    """The OpenAI assistant message for raw model text: calls only if they parse and were offered."""
    parsed = parse_model_output(text, tools=None, id_prefix=call_prefix)
    calls = parsed.message.get("tool_calls")
    offered = {tool["function"]["name"] for tool in tools}
    if calls and all(call["function"]["name"] in offered for call in calls):
        return {"role": "assistant", "content": None, "tool_calls": calls}
    if calls:  # a tool the request did not offer: checked against the offer, it is plain text
        parsed = parse_model_output(text, tools=tools)
    return {"role": "assistant", "content": parsed.message["content"]}


def _error(status: int, message: str) -> JSONResponse:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
    return JSONResponse(body, status_code=status)


def create_app(generator, model_name: str) -> FastAPI:
    """The FastAPI app serving ``generator`` (a ChatGenerator) under ``model_name``."""
    app = FastAPI(title=f"agentic-tuning: {model_name}")
    lock = threading.Lock()  # one generation at a time: the generator and its caches are not shared-safe

    @app.get("/health")
    def health():
        return {"status": "ok", "model": model_name}

    @app.get("/v1/models")
    def models():
        return {"object": "list", "data": [{"id": model_name, "object": "model", "created": 0, "owned_by": "agentic-tuning"}]}

    @app.post("/v1/chat/completions")
    def chat_completions(body: dict):
        if body.get("stream"):
            return _error(400, "streaming is not supported by this server; send stream: false")
        try:
            messages = normalise_messages(body.get("messages"))
            tools = normalise_tools(body.get("tools"))
        except RequestError as exc:
            return _error(400, str(exc))
        with lock:
            generation = generator.generate(messages, tools or None)
        request_id = uuid.uuid4().hex
        message = assistant_message(generation.text, tools, call_prefix=f"call_{request_id[:16]}_")
        if message.get("tool_calls"):
            finish_reason = "tool_calls"
        else:
            finish_reason = "stop" if generation.text.endswith(END_OF_TURN) else "length"
        return {
            "id": f"chatcmpl-{request_id}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model_name,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {"prompt_tokens": generation.prompt_tokens, "completion_tokens": generation.generated_tokens,
                      "total_tokens": generation.prompt_tokens + generation.generated_tokens},
        }

    return app
