"""Self-check for lab 04: build the loss mask of a rendered conversation by hand.

The learner writes ``build_labels(text, input_ids, offsets) -> list[int]``: ``text`` is a
conversation rendered with the course's chat template, ``input_ids`` its tokens and ``offsets``
each token's ``(start, end)`` character span in ``text``. A token keeps its id as label when it
lies inside an assistant turn's content, from just after ``<|im_start|>assistant\\n`` up to and
including that turn's ``<|im_end|>``; every other token gets -100. The check compares the
result with ``chat_template.tokenize_for_training``, which gets the same mask from the
template's ``{% generation %}`` markers.
"""

from __future__ import annotations

from ..chat_template import render, tokenize_for_training
from ..conversations import assistant_calls, read_jsonl
from ..paths import DATA_DIR
from ..tools import load_tools

IGNORE = -100

HAND_MADE = [
    {"role": "system", "content": "Today is Monday, 2026-11-30. You manage tasks."},
    {"role": "user", "content": "Mark the budget review task as done"},
    assistant_calls([("search_tasks", {"query": "budget review"})]),
    {"role": "tool", "tool_call_id": "call_0", "content": '{"ok": true, "result": [{"id": "task_7"}]}'},
    assistant_calls([("update_task", {"task_id": "task_7", "status": "done"})], first_id=1),
    {"role": "user", "content": "Thanks!"},
    {"role": "assistant", "content": "You're welcome!"},
]


def default_tokenizer():
    """The embedded SmolLM2 tokenizer with the course's tool chat template."""
    from ..chat_template import load_tokenizer, prepare_tokenizer
    from ..models import embedded_model_dir

    return prepare_tokenizer(load_tokenizer(str(embedded_model_dir())))


def encode_with_offsets(tokenizer, messages: list[dict], tools: list[dict] | None) -> dict:
    """The rendered text of a conversation, its token ids and each token's character offsets."""
    text = render(tokenizer, messages, tools)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    return {"text": text, "input_ids": list(encoded["input_ids"]),
            "offsets": [tuple(span) for span in encoded["offset_mapping"]]}


def check_conversations() -> list[tuple[str, list[dict], list[dict]]]:
    """(name, messages, tools): the hand-made multi-turn chat and the first train example of each category."""
    tools = load_tools()
    conversations = [("hand-made multi-turn chat", HAND_MADE, tools)]
    seen = set()
    for example in read_jsonl(DATA_DIR / "train.jsonl"):
        if example["category"] not in seen:
            seen.add(example["category"])
            conversations.append((f"first train example of category {example['category']!r}",
                                  example["messages"], example["tools"]))
    return conversations


def check_build_labels(build_labels, tokenizer=None) -> None:
    """Compare ``build_labels`` with ``tokenize_for_training``; print a success line or raise AssertionError."""
    tokenizer = default_tokenizer() if tokenizer is None else tokenizer
    conversations = check_conversations()
    tokens = 0
    for name, messages, tools in conversations:
        encoded = encode_with_offsets(tokenizer, messages, tools)
        expected = tokenize_for_training(tokenizer, messages, tools)
        assert encoded["input_ids"] == expected["input_ids"], "internal: the rendered text must tokenize the same"
        got = build_labels(encoded["text"], list(encoded["input_ids"]), list(encoded["offsets"]))
        got = list(got)
        assert len(got) == len(expected["labels"]), (
            f"{name}: build_labels returned {len(got)} labels for {len(expected['labels'])} tokens; "
            "return exactly one label per token.")
        for position, (mine, right) in enumerate(zip(got, expected["labels"])):
            if mine != right:
                start, end = encoded["offsets"][position]
                context = encoded["text"][max(0, start - 40): end + 20]
                assert False, (
                    f"{name}: token {position} {tokenizer.decode([encoded['input_ids'][position]], clean_up_tokenization_spaces=False)!r} got label "
                    f"{mine}, expected {right}.\ncontext: {context!r}\nHint: "
                    + ("this token is part of an assistant turn (the content after '<|im_start|>assistant\\n' up to "
                       "and including its '<|im_end|>'): its label is its own token id."
                       if right != IGNORE else
                       "this token is outside the assistant content (system, user and tool turns, the "
                       "'<|im_start|>assistant\\n' header and the newline after '<|im_end|>'): its label is -100."))
        tokens += len(got)
    print(f"✅ build_labels matches tokenize_for_training on {len(conversations)} conversations ({tokens} tokens).")


__all__ = ["IGNORE", "HAND_MADE", "default_tokenizer", "encode_with_offsets", "check_conversations", "check_build_labels"]
