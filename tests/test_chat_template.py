import json
import re

from agentic_tuning.chat_template import render, render_prompt, template_messages, tokenize_for_training, tools_prefix
from agentic_tuning.conversations import assistant_calls
from agentic_tuning.formats import openai_to_hermes
from agentic_tuning.generation import shared_prefix_ids

SYSTEM = {"role": "system", "content": "Today is Monday, 2026-11-30. You manage tasks."}
CONVERSATION = [
    SYSTEM,
    {"role": "user", "content": "Mark the budget review task as done"},
    assistant_calls([("search_tasks", {"query": "budget review"})]),
    {"role": "tool", "tool_call_id": "call_0", "content": '{"ok": true, "result": [{"id": "task_7"}]}'},
    assistant_calls([("update_task", {"task_id": "task_7", "status": "done"})], first_id=1),
    {"role": "user", "content": "Thanks!"},
    {"role": "assistant", "content": "You're welcome!"},
]


def test_assistant_calls_render_exactly_as_the_hermes_converter_writes_them(tokenizer, tools):
    text = render(tokenizer, CONVERSATION, tools)
    for message in (CONVERSATION[2], CONVERSATION[4]):
        assert "<|im_start|>assistant\n" + openai_to_hermes(message) + "<|im_end|>" in text


def test_arguments_strings_are_not_double_encoded(tokenizer, tools):
    text = render(tokenizer, CONVERSATION, tools)
    assert '"arguments": {"query": "budget review"}' in text
    assert '\\"query\\"' not in text
    assert template_messages(CONVERSATION)[2]["tool_calls"][0]["function"]["arguments"] == {"query": "budget review"}


def test_tools_come_first_in_the_system_turn_and_results_in_a_user_turn(tokenizer, tools):
    text = render(tokenizer, CONVERSATION, tools)
    assert text.startswith(tools_prefix(tokenizer, tools))
    assert text.index("<tools>") < text.index("Today is Monday, 2026-11-30.")
    assert all(json.dumps(tool) in text for tool in tools)
    assert '<|im_start|>user\n<tool_response>\n{"ok": true' in text


def test_generation_prompt_ends_with_the_assistant_opening(tokenizer, tools):
    prompt = render_prompt(tokenizer, CONVERSATION[:5], tools)
    assert prompt.endswith("</tool_response><|im_end|>\n<|im_start|>assistant\n")
    assert "task_7\", \"status\"" not in prompt


def test_labels_are_masked_exactly_outside_assistant_turns(tokenizer, tools):
    encoded = tokenize_for_training(tokenizer, CONVERSATION, tools)
    text = render(tokenizer, CONVERSATION, tools)
    spans = [m.span(1) for m in re.finditer(r"<\|im_start\|>assistant\n(.*?<\|im_end\|>)", text, re.S)]
    assert len(spans) == 3
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    assert len(offsets) == len(encoded["input_ids"])
    for (start, end), token, label in zip(offsets, encoded["input_ids"], encoded["labels"]):
        inside = any(s <= start and end <= e for s, e in spans)
        assert label == (token if inside else -100)
    trained = tokenizer.decode([t for t, l in zip(encoded["input_ids"], encoded["labels"]) if l != -100])
    assert trained.count("<|im_end|>") == 3
    assert trained.endswith("You're welcome!<|im_end|>")


def test_every_prompt_shares_the_tool_schema_prefix(tokenizer, tools):
    prefix = shared_prefix_ids(tokenizer, tools)
    other = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "hi"}]
    for messages in (CONVERSATION, other):
        ids = tokenizer(render(tokenizer, messages, tools), add_special_tokens=False).input_ids
        assert ids[: len(prefix)] == prefix
    assert len(prefix) > 1000


def test_response_template_parses_calls_like_the_course_parser(tokenizer, tools):
    from agentic_tuning.formats import parse_model_output

    text = ('<tool_call>\n{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high"}}'
            '\n</tool_call>\n<tool_call>\n{"name": "list_tasks", "arguments": {"filter": "overdue"}}\n</tool_call>'
            "<|im_end|>")
    parsed = tokenizer.parse_response(text, prefix="<|im_start|>assistant\n")
    ours = parse_model_output(text, tools)
    assert [c["function"]["name"] for c in parsed["tool_calls"]] == [c["name"] for c in ours.calls]
    assert [c["function"]["arguments"] for c in parsed["tool_calls"]] == [c["arguments"] for c in ours.calls]
    assert tokenizer.parse_response("Hello there!<|im_end|>", prefix="")["content"] == "Hello there!"



def test_decision_tokens_open_each_assistant_turn_spell_each_tool_name_and_end_each_call(tokenizer, tools):
    from agentic_tuning.chat_template import decision_tokens

    row = tokenize_for_training(tokenizer, CONVERSATION, tools)
    decisions = decision_tokens(tokenizer, CONVERSATION, tools, row)
    picked = [tokenizer.decode([token]) for token, decided in zip(row["input_ids"], decisions) if decided]
    # "<" opens "<tool_call>"; "<|im_end|>" after "</tool_call>" ends the turn instead of calling again
    assert "".join(picked) == "<search_tasks<|im_end|><update_task<|im_end|>You"
    assert all(row["labels"][i] != -100 for i, decided in enumerate(decisions) if decided)


def test_after_each_parallel_call_the_choice_to_call_again_is_a_decision_token(tokenizer, tools):
    from agentic_tuning.chat_template import decision_tokens

    conversation = [SYSTEM, {"role": "user", "content": "Close task_1 and task_2"},
                    assistant_calls([("update_task", {"task_id": "task_1", "status": "done"}),
                                     ("update_task", {"task_id": "task_2", "status": "done"})])]
    row = tokenize_for_training(tokenizer, conversation, tools)
    decisions = decision_tokens(tokenizer, conversation, tools, row)
    picked = [tokenizer.decode([token]) for token, decided in zip(row["input_ids"], decisions) if decided]
    assert picked == ["<", "update", "_", "task", "\n", "update", "_", "task", "<|im_end|>"]


def test_argument_key_tokens_spell_each_key_of_each_call_and_the_brace_that_ends_them(tokenizer, tools):
    from agentic_tuning.chat_template import argument_key_tokens

    row = tokenize_for_training(tokenizer, CONVERSATION, tools)
    keys = argument_key_tokens(tokenizer, CONVERSATION, tools, row)
    picked = "".join(tokenizer.decode([token]) for token, key in zip(row["input_ids"], keys) if key)
    # whole tokens: the value's closing quote comes with its comma, both braces in one token
    assert picked == ' {"query":}} {"task_id":", "status":}}'
    assert all(row["labels"][i] != -100 for i, key in enumerate(keys) if key)  # not the tools in the prompt


def test_argument_key_spans_skip_list_items_and_commas_inside_values():
    from agentic_tuning.chat_template import argument_key_spans

    text = '{"name": "create_task", "arguments": {"title": "A, \\"b\\": c", "tags": ["x", "y"]}}'
    assert [text[start:end] for start, end in argument_key_spans(text)] == ['{"title":', ', "tags":', "}"]
