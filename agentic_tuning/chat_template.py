"""The one chat format every model in the course speaks: ChatML with Hermes/Qwen-style tools.

Tools come first in the system turn, so that every request with the same tool set shares
one prompt prefix (its KV cache can be computed once and reused, in training and serving).
Assistant calls are ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` blocks and
tool results ``<tool_response>`` blocks inside a user turn, as Qwen2.5 does. The
``{% generation %}`` markers let ``apply_chat_template(return_assistant_tokens_mask=True)``
say which tokens the model must learn to produce: every assistant turn and its end token.
"""

from __future__ import annotations

import copy
import json
import re

from .formats import arguments_to_object

END_OF_TURN = "<|im_end|>"
PAD_TOKEN = "<|endoftext|>"

TOOLS_PREAMBLE = (
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>"
)
TOOLS_INSTRUCTIONS = (
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments"
    " within <tool_call></tool_call> XML tags:\n<tool_call>\n"
    '{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>\n\n'
)

TOOL_CHAT_TEMPLATE = (
    "{%- if messages[0].role == 'system' %}{%- set system_text = messages[0].content %}"
    "{%- set loop_messages = messages[1:] %}"
    "{%- else %}{%- set system_text = 'You are a helpful assistant.' %}"
    "{%- set loop_messages = messages %}{%- endif %}"
    "{{- '<|im_start|>system\\n' }}"
    "{%- if tools %}{{- " + json.dumps(TOOLS_PREAMBLE) + " }}"
    "{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}"
    "{{- " + json.dumps(TOOLS_INSTRUCTIONS) + " }}{%- endif %}"
    "{{- system_text + '<|im_end|>\\n' }}"
    "{%- for message in loop_messages %}"
    "{%- if message.role == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- generation %}"
    "{%- if message.content %}{{- message.content }}{%- endif %}"
    "{%- if message.tool_calls %}{%- for tool_call in message.tool_calls %}"
    "{%- if message.content or not loop.first %}{{- '\\n' }}{%- endif %}"
    "{%- set call = tool_call.function if tool_call.function is defined else tool_call %}"
    "{{- '<tool_call>\\n{\"name\": \"' + call.name + '\", \"arguments\": ' }}"
    "{{- call.arguments | tojson }}{{- '}\\n</tool_call>' }}"
    "{%- endfor %}{%- endif %}"
    "{{- '<|im_end|>' }}"
    "{%- endgeneration %}"
    "{{- '\\n' }}"
    "{%- elif message.role == 'tool' %}"
    "{%- if loop.first or loop_messages[loop.index0 - 1].role != 'tool' %}"
    "{{- '<|im_start|>user' }}{%- endif %}"
    "{{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}"
    "{%- if loop.last or loop_messages[loop.index0 + 1].role != 'tool' %}"
    "{{- '<|im_end|>\\n' }}{%- endif %}"
    "{%- else %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

# How `tokenizer.parse_response` (and so `transformers serve`) turns generated text into an
# OpenAI message: <tool_call> blocks become tool_calls, the rest is content. It is saved with
# the tokenizer, so every adapter and merged model the course writes carries it.
RESPONSE_TEMPLATE = {
    "defaults": {"role": "assistant"},
    "start_anchor": "<|im_start|>assistant\n",
    "fields": {
        "tool_calls": {
            "open_pattern": r"\s*<tool_call>",
            "close": "</tool_call>",
            "repeats": True,
            "content": "json",
            "transform": {"type": "function", "function": "{content}"},
        },
        "content": {
            "close_pattern": r"\s*(?:<\|im_end\|>|<\|endoftext\|>)",
            "content": "text",
        },
    },
}


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


def prepare_tokenizer(tokenizer):
    """Give any ChatML tokenizer the project's tool template, response parser and special tokens."""
    tokenizer.chat_template = TOOL_CHAT_TEMPLATE
    tokenizer.response_template = RESPONSE_TEMPLATE
    if END_OF_TURN in tokenizer.get_vocab():
        tokenizer.eos_token = END_OF_TURN
    if PAD_TOKEN in tokenizer.get_vocab():
        tokenizer.pad_token = PAD_TOKEN
    elif tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    # Decoding must give back exactly what the model wrote (the GGUF tokenizer defaults to True).
    tokenizer.clean_up_tokenization_spaces = False
    return tokenizer


def template_messages(messages: list[dict]) -> list[dict]:
    """OpenAI messages with every tool-call ``arguments`` string parsed to an object.

    OpenAI data carries arguments as JSON strings; the template renders objects. This is
    the one place the conversion happens, so history is never double-encoded.
    """
    converted = copy.deepcopy(messages)
    for message in converted:
        message["content"] = _text_content(message.get("content"))
        for call in message.get("tool_calls") or []:
            call["function"]["arguments"] = arguments_to_object(call["function"]["arguments"])
    return converted


def _text_content(content) -> str:
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def render(tokenizer, messages: list[dict], tools: list[dict] | None, *, add_generation_prompt=False) -> str:
    """The exact text the model sees for ``messages``."""
    return tokenizer.apply_chat_template(
        template_messages(messages),
        tools=tools,
        tokenize=False,
        add_generation_prompt=add_generation_prompt,
    )


def render_prompt(tokenizer, messages: list[dict], tools: list[dict] | None) -> str:
    """Everything but the last (reference) turn, ending with the assistant's opening."""
    return render(tokenizer, messages[:-1], tools, add_generation_prompt=True)


def tools_prefix(tokenizer, tools: list[dict]) -> str:
    """The text shared by every prompt that uses ``tools``: the system turn up to its own text."""
    marker = "\x00SYSTEM\x00"
    text = render(tokenizer, [{"role": "system", "content": marker}], tools)
    return text[: text.index(marker)]


def tokenize_for_training(tokenizer, messages: list[dict], tools: list[dict] | None) -> dict:
    """Token ids and labels: labels are -100 everywhere but the assistant turns."""
    encoded = tokenizer.apply_chat_template(
        template_messages(messages),
        tools=tools,
        tokenize=True,
        return_dict=True,
        return_assistant_tokens_mask=True,
    )
    input_ids = list(encoded["input_ids"])
    mask = list(encoded["assistant_masks"])
    labels = [token if keep else -100 for token, keep in zip(input_ids, mask)]
    return {"input_ids": input_ids, "labels": labels}


_TOOL_NAME = re.compile(r'"name": "([^"]+)"')
_CALL_END = re.compile(r"</tool_call>")
_ARGUMENTS = re.compile(r'"arguments": (?=\{)')
_ARGUMENT_KEY = re.compile(r'[{,] ?"[^"]+":')


def _learned_tokens(tokenizer, messages: list[dict], tools: list[dict] | None, row: dict):
    """The rendered text of a ``tokenize_for_training`` row, and for each of its tokens: whether it
    carries loss, and the characters it spans."""
    text = render(tokenizer, template_messages(messages), tools)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    if list(encoded.input_ids) != row["input_ids"]:
        raise ValueError("the rendered text does not tokenize to the training row")
    learned = [label != -100 for label in row["labels"]]
    return text, learned, encoded.offset_mapping


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _decisions(text: str, learned: list[bool], offsets) -> list[bool]:
    names = [match.span(1) for match in _TOOL_NAME.finditer(text)]
    after_calls = [(match.end(), match.end() + 1) for match in _CALL_END.finditer(text)]
    return [
        learned[index] and (index == 0 or not learned[index - 1] or _overlaps(start, end, names + after_calls))
        for index, (start, end) in enumerate(offsets)
    ]


def _argument_keys(text: str, learned: list[bool], offsets) -> list[bool]:
    keys = argument_key_spans(text)
    return [learned[index] and _overlaps(start, end, keys) for index, (start, end) in enumerate(offsets)]


def decision_tokens(tokenizer, messages: list[dict], tools: list[dict] | None, row: dict) -> list[bool]:
    """Where the assistant decides what to do, for a ``tokenize_for_training`` row: the first token
    of each assistant turn (call a tool or answer in words), the tokens of each tool name it
    calls, and the token after each call (call another tool or end the turn). The rest of a turn
    mostly follows from these."""
    return _decisions(*_learned_tokens(tokenizer, messages, tools, row))


def argument_key_spans(text: str) -> list[tuple[int, int]]:
    """In rendered calls, where each argument is chosen: every key with the brace or comma before it
    (which field comes next) and the brace that closes the arguments (no more fields)."""
    spans = []
    for match in _ARGUMENTS.finditer(text):
        _, end = json.JSONDecoder().raw_decode(text, match.end())
        spans += [key.span() for key in _ARGUMENT_KEY.finditer(text, match.end(), end)]
        spans.append((end - 1, end))
    return spans


def argument_key_tokens(tokenizer, messages: list[dict], tools: list[dict] | None, row: dict) -> list[bool]:
    """The trained tokens where the assistant picks the fields of a call (``argument_key_spans``): a
    call can name the right tool and still fill "status" with a priority, or add a due date the user
    never gave."""
    return _argument_keys(*_learned_tokens(tokenizer, messages, tools, row))


def weighted_tokens(tokenizer, messages: list[dict], tools: list[dict] | None,
                    row: dict) -> tuple[list[bool], list[bool]]:
    """``decision_tokens`` and ``argument_key_tokens`` of one row, from a single rendering (the
    trainer needs both for every training example)."""
    rendered = _learned_tokens(tokenizer, messages, tools, row)
    return _decisions(*rendered), _argument_keys(*rendered)
