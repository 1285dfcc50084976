"""Per-request latency of the tuned model: time to first token, total latency and tokens/s.

Measured in-process (with and without reusing the KV cache of the shared tool-schema prefix,
with the LoRA adapter merged or applied on the fly) and through an OpenAI-compatible endpoint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tqdm.auto import tqdm

from .chat_template import render_prompt
from .generation import ChatGenerator
from .metrics import latency_summary

SEED_CLAIM = {"inference_s": (0.1, 0.4), "p95_s": (0.3, 0.5)}


@dataclass
class RequestTiming:
    first_token_s: float | None
    total_s: float
    generated_tokens: int


def summarize(timings: list[RequestTiming]) -> dict:
    totals = [t.total_s for t in timings]
    firsts = [t.first_token_s for t in timings if t.first_token_s is not None]
    tokens = sum(t.generated_tokens for t in timings)
    return {
        "n_requests": len(timings),
        "total_s": latency_summary(totals),
        "first_token_s": latency_summary(firsts),
        "tokens_per_s": tokens / sum(totals) if totals else None,
        "mean_generated_tokens": tokens / len(timings) if timings else None,
    }


def time_in_process(generator: ChatGenerator, examples: list[dict], *, warmup: int = 1, label: str = "") -> dict:
    """Time each example's reference turn; the first ``warmup`` requests are run but not counted."""
    for example in examples[:warmup]:
        generator.generate_reference_turn(example)
    timings = []
    for example in tqdm(examples, desc=label or "in-process"):
        out = generator.generate_reference_turn(example)
        timings.append(RequestTiming(out.first_token_s, out.latency_s, out.generated_tokens))
    return summarize(timings)


def time_endpoint(base_url: str, model: str, examples: list[dict], *, max_tokens: int = 128,
                  warmup: int = 1, label: str = "endpoint") -> dict:
    """Time chat completions through an OpenAI-compatible endpoint with the ``openai`` SDK.

    The course's server answers whole responses (no streaming), so the time to first token is
    not observable from the client; it is reported as None.
    """
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key="not-needed")

    def one(example) -> RequestTiming:
        started = time.perf_counter()
        response = client.chat.completions.create(
            model=model, messages=example["messages"][:-1], tools=example["tools"], max_tokens=max_tokens,
        )
        tokens = response.usage.completion_tokens if response.usage else 0
        return RequestTiming(None, time.perf_counter() - started, tokens)

    for example in examples[:warmup]:
        one(example)
    return summarize([one(example) for example in tqdm(examples, desc=label)])


def prompt_tokens(tokenizer, example: dict) -> int:
    return len(tokenizer(render_prompt(tokenizer, example["messages"], example["tools"]),
                         add_special_tokens=False).input_ids)
