import pytest
from jsonschema import Draft202012Validator

from agentic_tuning.selfcheck import lab02

PYTHON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
                "object": dict, "null": type(None)}


def matches_type(value, json_type):
    """The reference solution of exercise 1."""
    if isinstance(value, bool):
        return json_type == "boolean"
    return isinstance(value, PYTHON_TYPES[json_type])


def find_problems(arguments, schema):
    """The reference solution of exercise 2."""
    properties = schema.get("properties", {})
    problems = [("missing_required", key) for key in schema.get("required", []) if key not in arguments]
    for key, value in arguments.items():
        if key not in properties:
            if schema.get("additionalProperties", True) is False:
                problems.append(("extra_key", key))
        elif "type" in properties[key] and not matches_type(value, properties[key]["type"]):
            problems.append(("wrong_type", key))
        elif "enum" in properties[key] and value not in properties[key]["enum"]:
            problems.append(("bad_enum", key))
    return problems


def test_reference_solutions_pass(capsys):
    lab02.check_matches_type(matches_type)
    lab02.check_find_problems(find_problems)
    assert capsys.readouterr().out.count("✅") == 2


def test_cases_agree_with_jsonschema():
    for value, json_type, expected, _ in lab02.TYPE_CASES:
        assert Draft202012Validator({"type": json_type}).is_valid(value) == expected, (value, json_type)
    for name, arguments, schema, expected, _ in lab02.PROBLEM_CASES:
        assert Draft202012Validator(schema).is_valid(arguments) == (expected == []), name


def test_rejects_bool_as_integer():
    def naive(value, json_type):
        return isinstance(value, PYTHON_TYPES[json_type])

    with pytest.raises(AssertionError, match="test for bool first"):
        lab02.check_matches_type(naive)


def test_rejects_a_validator_that_stops_at_the_first_problem():
    def first_only(arguments, schema):
        return find_problems(arguments, schema)[:1]

    with pytest.raises(AssertionError, match="several problems"):
        lab02.check_find_problems(first_only)


def test_rejects_a_validator_that_forbids_extra_keys_by_default():
    def strict(arguments, schema):
        return find_problems(arguments, {**schema, "additionalProperties": False})

    with pytest.raises(AssertionError, match="extra key allowed"):
        lab02.check_find_problems(strict)


def test_rejects_reporting_enum_on_top_of_wrong_type():
    def both(arguments, schema):
        problems = find_problems(arguments, schema)
        enum = schema["properties"].get("priority", {}).get("enum")
        if enum and "priority" in arguments and arguments["priority"] not in enum:
            problems.append(("bad_enum", "priority"))
        return list(dict.fromkeys(problems))

    with pytest.raises(AssertionError, match="wrong type wins over enum"):
        lab02.check_find_problems(both)


def test_rejects_a_non_list_answer():
    with pytest.raises(AssertionError, match="return a list"):
        lab02.check_find_problems(lambda arguments, schema: None)
