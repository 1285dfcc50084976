"""Self-check for lab 01: a small failure classifier for raw model output.

The learner writes ``classify(output_text, reference_message, tools) -> str`` returning one of
``LAB_CLASSES``, with these rules, first match wins:

1. no complete ``<tool_call>...</tool_call>`` block in the text: ``no_tool_call``;
2. a block whose text is not a JSON object with "name" and an object "arguments": ``malformed_json``;
3. text outside the blocks (ignoring whitespace and ``<|im_end|>``): ``extra_prose``;
4. the multiset of called names differs from the reference's: ``wrong_tool``;
5. the calls' arguments (parsed, compared as JSON, calls in any order) differ: ``wrong_arguments``;
6. otherwise ``correct``.

The reference is an OpenAI assistant turn whose ``arguments`` are JSON strings. The library's
taxonomy (``metrics.FAILURE_CLASSES``) splits some of these further: an unknown tool name is
``unknown_tool`` there, a value outside its schema ``schema_violation``.
"""

from __future__ import annotations

from ..conversations import assistant_calls
from ..tools import load_tools

LAB_CLASSES = ("correct", "no_tool_call", "malformed_json", "extra_prose", "wrong_tool", "wrong_arguments")

CREATE = assistant_calls([("create_task", {"title": "Review the Q4 budget", "priority": "high", "due_date": "2026-12-04"})])
SEARCH = assistant_calls([("search_tasks", {"query": "budget review"})])
PARALLEL = assistant_calls([("list_tasks", {"filter": "overdue"}), ("create_task", {"title": "Call the dentist"})])


def _block(payload: str) -> str:
    return f"<tool_call>\n{payload}\n</tool_call>"


CREATE_CALL = '{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high", "due_date": "2026-12-04"}}'

# (output text, reference turn, expected class, hint shown when the answer differs)
CASES = [
    (_block(CREATE_CALL) + "<|im_end|>", CREATE, "correct",
     "one well-formed <tool_call> block that matches the reference is 'correct'; <|im_end|> is not prose."),
    (_block('{"name": "create_task", "arguments": {"due_date": "2026-12-04", "title": "Review the Q4 budget", "priority": "high"}}'),
     CREATE, "correct",
     "compare parsed arguments (json.loads the reference's arguments string), not text: key order does not matter."),
    (_block('{"name": "search_tasks", "arguments": {"query": "budget review"}}'), SEARCH, "correct",
     "a matching search_tasks call is 'correct'."),
    (_block('{"name": "create_task", "arguments": {"title": "Call the dentist"}}') + "\n"
     + _block('{"name": "list_tasks", "arguments": {"filter": "overdue"}}'), PARALLEL, "correct",
     "parallel calls may come in any order: compare them order-insensitively."),
    ("I'll create a high-priority task called Review the Q4 budget, due this Friday.", CREATE, "no_tool_call",
     "text without any <tool_call> block is 'no_tool_call'."),
    ("Sure. Here is the call: create_task(title='Review the Q4 budget', priority='high')", CREATE, "no_tool_call",
     "a Python-style call written in prose is not a <tool_call> block: 'no_tool_call'."),
    (_block('{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high"}'), CREATE,
     "malformed_json", "a block whose text json.loads rejects (here a missing '}') is 'malformed_json'."),
    (_block("{'name': 'create_task', 'arguments': {'title': 'Review the Q4 budget'}}"), CREATE, "malformed_json",
     "single quotes are not JSON: 'malformed_json'."),
    (_block('{"name": "create_task"}'), CREATE, "malformed_json",
     "a block needs both 'name' and 'arguments' (an object): 'malformed_json'."),
    (_block('["create_task", {"title": "Review the Q4 budget"}]'), CREATE, "malformed_json",
     "a block must hold a JSON object, not a list: 'malformed_json'."),
    ("Sure, I'll add that for you.\n" + _block(CREATE_CALL), CREATE, "extra_prose",
     "text outside the blocks makes it 'extra_prose', even when the call itself is right."),
    (_block(CREATE_CALL) + "\nDone! The task is created.<|im_end|>", CREATE, "extra_prose",
     "prose after the block counts too: 'extra_prose'."),
    (_block('{"name": "list_tasks", "arguments": {"filter": "due_this_week"}}'), CREATE, "wrong_tool",
     "a different tool name is 'wrong_tool' (checked before the arguments)."),
    (_block('{"name": "create_todo", "arguments": {"title": "Review the Q4 budget"}}'), CREATE, "wrong_tool",
     "a name that is not a tool at all is also 'wrong_tool' here."),
    (_block('{"name": "list_tasks", "arguments": {"filter": "overdue"}}'), PARALLEL, "wrong_tool",
     "compare the multiset of names: a missing (or extra) call is 'wrong_tool'."),
    (_block('{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "medium", "due_date": "2026-12-04"}}'),
     CREATE, "wrong_arguments", "right tool, a different value ('medium' instead of 'high'): 'wrong_arguments'."),
    (_block('{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high"}}'), CREATE,
     "wrong_arguments", "a missing argument (due_date) is 'wrong_arguments'."),
    (_block('{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high", "due_date": "2026-12-04", "tags": ["finance"]}}'),
     CREATE, "wrong_arguments", "an extra argument (tags) is 'wrong_arguments' too."),
    (_block('{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "urgent", "due_date": "2026-12-04"}}'),
     CREATE, "wrong_arguments", "a value the schema does not allow ('urgent') is 'wrong_arguments' here."),
]


def check_classify(classify, tools: list[dict] | None = None) -> None:
    """Run ``classify`` on the hand-made cases; print a success line or raise AssertionError with a hint."""
    tools = load_tools() if tools is None else tools
    for number, (text, reference, expected, hint) in enumerate(CASES, start=1):
        got = classify(text, reference, tools)
        assert got in LAB_CLASSES, (
            f"case {number}: classify returned {got!r}; it must return one of {', '.join(LAB_CLASSES)}.")
        assert got == expected, (
            f"case {number} of {len(CASES)}: expected {expected!r}, got {got!r}.\n"
            f"output text: {text!r}\nHint: {hint}")
    print(f"✅ classify is correct on all {len(CASES)} hand-made cases.")


__all__ = ["LAB_CLASSES", "CASES", "check_classify"]
