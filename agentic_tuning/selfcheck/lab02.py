"""Self-checks for lab 02: validate tool arguments against a subset of JSON Schema.

The subset: ``required``, ``type`` (string, integer, number, boolean, array, object, null), ``enum``
and ``additionalProperties: false``. A validator reports problems as ``(kind, argument)`` pairs with
the kinds the library's failure taxonomy uses: ``missing_required``, ``wrong_type``, ``bad_enum``,
``extra_key``. Every hand-made case below agrees with the ``jsonschema`` package on valid vs invalid.
"""

from __future__ import annotations

from collections import Counter

from ..conversations import read_jsonl, reference_calls
from ..paths import DATA_DIR
from ..tools import tool_schema

# (value, JSON type, expected answer, hint when the answer is wrong)
TYPE_CASES = [
    ("buy milk", "string", True, ""),
    (3, "string", False, "a number is not a string"),
    (3, "integer", True, ""),
    (3.5, "integer", False, "3.5 is a number but not an integer"),
    (3, "number", True, "every integer is also a number"),
    (2.5, "number", True, ""),
    (True, "boolean", True, ""),
    (True, "integer", False, "in Python isinstance(True, int) is True, but JSON booleans are not integers: "
                             "test for bool first"),
    (False, "number", False, "JSON booleans are not numbers: test for bool first"),
    (1, "boolean", False, "1 is an integer, not a JSON boolean"),
    (["a", "b"], "array", True, "a JSON array arrives as a Python list"),
    ("a, b", "array", False, "a string is not an array"),
    ({"a": 1}, "object", True, "a JSON object arrives as a Python dict"),
    (None, "null", True, "JSON null arrives as Python None"),
    (None, "string", False, "None (null) is not a string"),
]

_PRIORITY = {"type": "string", "enum": ["low", "medium", "high"]}
_TASK = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "priority": _PRIORITY, "estimate_hours": {"type": "number"},
                   "tags": {"type": "array"}, "done": {"type": "boolean"}},
    "required": ["title"],
    "additionalProperties": False,
}
_OPEN = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}

# (name, arguments, schema, expected problems, hint)
PROBLEM_CASES = [
    ("valid, required only", {"title": "Pay rent"}, _TASK, [], "a valid call has no problems: return []"),
    ("valid, every field", {"title": "Pay rent", "priority": "high", "estimate_hours": 1.5, "tags": ["home"],
                            "done": False}, _TASK, [], "a valid call has no problems: return []"),
    ("missing required", {"priority": "low"}, _TASK, [("missing_required", "title")],
     "look at schema['required'] and report each key absent from the arguments"),
    ("empty arguments", {}, _TASK, [("missing_required", "title")], "an empty object still misses 'title'"),
    ("wrong type", {"title": 42}, _TASK, [("wrong_type", "title")], "check each present argument's 'type'"),
    ("boolean is not a number", {"title": "x", "estimate_hours": True}, _TASK, [("wrong_type", "estimate_hours")],
     "use your matches_type: True is not a JSON number"),
    ("bad enum", {"title": "x", "priority": "urgent"}, _TASK, [("bad_enum", "priority")],
     "a value outside the property's 'enum' list is a bad_enum"),
    ("enum is case-sensitive", {"title": "x", "priority": "High"}, _TASK, [("bad_enum", "priority")],
     "enum values match exactly, so 'High' is not 'high'"),
    ("wrong type wins over enum", {"title": "x", "priority": 3}, _TASK, [("wrong_type", "priority")],
     "report only wrong_type when the type is already wrong (skip the enum check)"),
    ("extra key", {"title": "x", "colour": "red"}, _TASK, [("extra_key", "colour")],
     "with additionalProperties false, every key not in 'properties' is an extra_key"),
    ("extra key allowed", {"query": "budget", "limit": 5}, _OPEN, [],
     "without 'additionalProperties': False, unknown keys are allowed"),
    ("several problems", {"priority": "asap", "colour": "red", "done": "yes"}, _TASK,
     [("missing_required", "title"), ("bad_enum", "priority"), ("extra_key", "colour"), ("wrong_type", "done")],
     "report every problem, not just the first one"),
]


def check_matches_type(matches_type) -> None:
    """Run `matches_type(value, json_type)` on hand-made cases; AssertionError with a hint on the first miss."""
    for value, json_type, expected, hint in TYPE_CASES:
        got = matches_type(value, json_type)
        assert got is expected or got == expected, (
            f"matches_type({value!r}, {json_type!r}) returned {got!r}, expected {expected}. Hint: {hint or 'see the table'}")
    print(f"✅ matches_type is correct on all {len(TYPE_CASES)} cases")


def _valid_reference_calls(limit: int = 40) -> list[tuple[str, dict]]:
    calls = []
    for example in read_jsonl(DATA_DIR / "valid.jsonl"):
        calls += [(c["name"], c["arguments"]) for m in example["messages"] if m["role"] == "assistant"
                  for c in reference_calls(m)]
    return calls[:limit]


def check_find_problems(find_problems) -> None:
    """Run `find_problems(arguments, schema)` on hand-made cases and on real valid calls from data/valid.jsonl."""
    for name, arguments, schema, expected, hint in PROBLEM_CASES:
        got = find_problems(dict(arguments), schema)
        assert isinstance(got, list), f"{name}: return a list of (kind, argument) tuples, got {type(got).__name__}"
        got = [tuple(p) for p in got]
        assert Counter(got) == Counter(expected), (
            f"case '{name}': find_problems({arguments!r}, schema) returned {sorted(got)}, "
            f"expected {sorted(expected)} (any order). Hint: {hint}")
    for tool, arguments in _valid_reference_calls():
        got = find_problems(dict(arguments), tool_schema(tool))
        assert list(got) == [], (
            f"a valid reference call {tool}({arguments}) from data/valid.jsonl got {got}; it should have no problems")
    print(f"✅ find_problems is correct on {len(PROBLEM_CASES)} hand-made cases and real calls from data/valid.jsonl")


__all__ = ["TYPE_CASES", "PROBLEM_CASES", "check_matches_type", "check_find_problems"]
