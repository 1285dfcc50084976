"""Greedy generation for chat prompts, reusing the KV cache of the shared tool-schema prefix.

Every prompt with the same tools starts with the same system-turn prefix (about 1,100 tokens
for the task-manager tools). Computing its keys and values once and copying them into each
request means the model only reads the part of the prompt that differs.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass

import torch
from transformers.generation.streamers import BaseStreamer

from .chat_template import END_OF_TURN, render, render_prompt


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    generated_tokens: int
    latency_s: float
    reused_prefix_tokens: int
    first_token_s: float | None = None


class FirstTokenTimer(BaseStreamer):
    """Records when ``generate`` emits its first new token (the time to first token)."""

    def __init__(self):
        self.started = time.perf_counter()
        self.first_token_s = None
        self._seen_prompt = False

    def put(self, value):
        if not self._seen_prompt:
            self._seen_prompt = True
        elif self.first_token_s is None:
            self.first_token_s = time.perf_counter() - self.started

    def end(self):
        pass


def shared_prefix_ids(tokenizer, tools: list[dict]) -> list[int]:
    """Token ids that every prompt with ``tools`` starts with, whatever its system text."""
    renders = [
        tokenizer(render(tokenizer, [{"role": "system", "content": text}], tools), add_special_tokens=False).input_ids
        for text in ("Today is Monday.", "You are a helpful assistant.")
    ]
    length = 0
    while length < min(map(len, renders)) and renders[0][length] == renders[1][length]:
        length += 1
    return renders[0][:length]


class ChatGenerator:
    """Greedy decoding of the assistant's next turn for OpenAI-format conversations."""

    def __init__(self, model, tokenizer, *, max_new_tokens: int = 160, reuse_prefix: bool = True):
        self.model, self.tokenizer = model, tokenizer
        self.max_new_tokens = max_new_tokens
        self.reuse_prefix = reuse_prefix
        self.end_ids = [tokenizer.convert_tokens_to_ids(END_OF_TURN)]
        self._prefixes: dict[str, tuple[list[int], object]] = {}

    @property
    def device(self):
        return next(self.model.parameters()).device

    def _prefix(self, tools: list[dict] | None):
        key = json.dumps(tools, sort_keys=True)
        if key not in self._prefixes:
            ids = shared_prefix_ids(self.tokenizer, tools)
            with torch.no_grad():
                out = self.model(torch.tensor([ids], device=self.device), use_cache=True)
            self._prefixes[key] = (ids, out.past_key_values)
        return self._prefixes[key]

    def generate(self, messages: list[dict], tools: list[dict] | None) -> Generation:
        """The model's reply to ``messages`` (which must end with a user or tool turn)."""
        prompt = render(self.tokenizer, messages, tools, add_generation_prompt=True)
        return self._generate_text(prompt, tools)

    def generate_reference_turn(self, example: dict) -> Generation:
        """The model's version of an example's last (reference) turn."""
        prompt = render_prompt(self.tokenizer, example["messages"], example.get("tools"))
        return self._generate_text(prompt, example.get("tools"))

    def _generate_text(self, prompt: str, tools) -> Generation:
        """Latency counts everything per request: tokenizing, copying the prefix cache, generating.

        The prefix cache itself is computed once per tool set, before the first request's clock starts.
        """
        prefix = self._prefix(tools) if self.reuse_prefix and tools else None
        timer = FirstTokenTimer()
        ids = self.tokenizer(prompt, add_special_tokens=False).input_ids
        kwargs = {}
        reused = 0
        if prefix is not None:
            prefix_ids, cache = prefix
            if ids[: len(prefix_ids)] == prefix_ids and len(ids) > len(prefix_ids):
                kwargs["past_key_values"] = copy.deepcopy(cache)
                reused = len(prefix_ids)
        with torch.no_grad():
            output = self.model.generate(
                input_ids=torch.tensor([ids], device=self.device),
                attention_mask=torch.ones(1, len(ids), dtype=torch.long, device=self.device),
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                eos_token_id=self.end_ids,
                pad_token_id=self.tokenizer.pad_token_id,
                streamer=timer,
                **kwargs,
            )
        latency = time.perf_counter() - timer.started
        new_tokens = output[0, len(ids):].tolist()
        text = self.tokenizer.decode(new_tokens, skip_special_tokens=False)
        return Generation(text, len(ids), len(new_tokens), latency, reused, timer.first_token_s)
