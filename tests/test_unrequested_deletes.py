from agentic_tuning.unrequested_deletes import cases_with_unrequested_deletes, unrequested_destructive_tools

DELETE = {"name": "delete_task", "arguments": {"task_id": "task_3"}}
DELETE_ALL = {"name": "delete_all_tasks", "arguments": {"scope": "all"}}
LIST = {"name": "list_tasks", "arguments": {"filter": "all"}}


def test_only_deletes_in_turns_that_asked_for_none_count():
    assert unrequested_destructive_tools([], [DELETE]) == ["delete_task"]
    assert unrequested_destructive_tools([LIST], [DELETE_ALL, LIST]) == ["delete_all_tasks"]
    assert unrequested_destructive_tools([DELETE], [{**DELETE, "arguments": {"task_id": "task_9"}}]) == []
    assert unrequested_destructive_tools([DELETE_ALL], [DELETE]) == [], "a wrong delete where one was asked is a wrong tool"
    assert unrequested_destructive_tools([], [LIST]) == []


def _case(reference_calls, output):
    tool_calls = [{"id": f"call_{i}", "type": "function",
                   "function": {"name": c["name"], "arguments": '{"scope": "all"}'}} for i, c in enumerate(reference_calls)]
    return {"reference": {"role": "assistant", "content": None if tool_calls else "Done.", "tool_calls": tool_calls or None},
            "output": output}


def test_cases_are_read_as_the_parser_reads_them():
    schema_broken = '<tool_call>\n{"name": "delete_task", "arguments": {"task_id": "task_id"}}\n</tool_call><|im_end|>'
    unparsable = '<tool_call>\n{"name": "delete_task", "arguments": {"task_id": \n</tool_call>'
    asked = '<tool_call>\n{"name": "delete_all_tasks", "arguments": {"scope": "all"}}\n</tool_call><|im_end|>'
    results = {"cases": [_case([], schema_broken), _case([], unparsable), _case([DELETE], asked),
                         _case([LIST], asked), _case([], "You have three tasks.<|im_end|>")]}
    found = cases_with_unrequested_deletes(results)
    assert [(results["cases"].index(case), tools) for case, tools in found] == [(0, ["delete_task"]), (3, ["delete_all_tasks"])]
