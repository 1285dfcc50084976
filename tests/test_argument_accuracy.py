import json

from agentic_tuning import argument_accuracy as aa
from agentic_tuning.formats import hermes_to_openai
from agentic_tuning.paths import TOOLS_PATH

TOOLS = json.loads(TOOLS_PATH.read_text(encoding="utf-8"))


def _hermes(*calls):
    return "".join(f"<tool_call>\n{json.dumps({'name': n, 'arguments': a})}\n</tool_call>" for n, a in calls)


def _case(index, reference_calls, output):
    reference = hermes_to_openai(_hermes(*reference_calls)) if reference_calls \
        else {"role": "assistant", "content": "Hello!"}
    return {"index": index, "reference": reference, "output": output, "is_tool_case": bool(reference_calls)}


REMINDER = ("set_reminder", {"task_id": "task_3", "remind_at": "2026-12-01T21:00"})
CREATE = ("create_task", {"title": "Buy milk", "due_date": "2026-12-04"})
RESULTS = {"cases": [
    _case(0, [REMINDER], _hermes(("set_reminder", {"task_id": "task_3", "remind_at": "2026-12-01T19:00"}))),
    _case(1, [REMINDER], _hermes(REMINDER)),
    _case(2, [CREATE], _hermes(("search_tasks", {"query": "milk"}))),
    _case(3, [CREATE, REMINDER], _hermes(("create_task", {"title": "buy milk", "due_date": "2026-12-04"}))),
    _case(4, [], "Hello! What would you like to do?"),
]}
EXAMPLES = [{"tools": TOOLS}] * len(RESULTS["cases"])


def test_accuracy_by_argument_counts_right_tool_and_right_value_per_name():
    rows = {row["argument"]: row for row in aa.accuracy_by_argument(RESULTS, EXAMPLES)}
    assert set(rows) == {"task_id", "remind_at", "title", "due_date"}
    assert {k: rows["remind_at"][k] for k in ("n_reference", "n_called", "n_matched")} == {
        "n_reference": 3, "n_called": 2, "n_matched": 1}
    assert (rows["task_id"]["n_called"], rows["task_id"]["n_matched"]) == (2, 2)
    assert (rows["due_date"]["n_reference"], rows["due_date"]["n_called"], rows["due_date"]["n_matched"]) == (2, 1, 1)
    assert rows["remind_at"]["accuracy"] == 0.5 and rows["remind_at"]["tools"] == ["set_reminder"]


def test_accuracy_by_argument_counts_the_arguments_added_to_a_right_call():
    invented = _case(0, [CREATE], _hermes(("create_task", dict(CREATE[1], priority="low", description="Soon"))))
    rows = {row["argument"]: row for row in aa.accuracy_by_argument({"cases": [invented]}, EXAMPLES)}
    assert {name: row["n_unasked"] for name, row in rows.items()} == {
        "title": 0, "due_date": 0, "priority": 1, "description": 1}
    assert (rows["priority"]["n_reference"], rows["priority"]["accuracy"]) == (0, None)
    assert rows["title"]["accuracy"] == 1.0
    assert rows["priority"]["unasked_by_tool"] == {"create_task": 1} and rows["title"]["unasked_by_tool"] == {}


def test_unasked_by_tool_sums_each_tools_unasked_arguments_most_first():
    renamed = _case(1, [("update_task", {"task_id": "task_3", "status": "done"})],
                    _hermes(("update_task", {"task_id": "task_3", "status": "done", "priority": "high"})))
    invented = _case(0, [CREATE], _hermes(("create_task", dict(CREATE[1], priority="low", description="Soon"))))
    rows = aa.accuracy_by_argument({"cases": [invented, renamed]}, EXAMPLES)
    assert {row["argument"]: row["unasked_by_tool"] for row in rows}["priority"] == {"create_task": 1, "update_task": 1}
    assert list(aa.unasked_by_tool(rows).items()) == [("create_task", 2), ("update_task", 1)]
    assert aa.unasked_by_tool(aa.accuracy_by_argument(RESULTS, EXAMPLES)) == {}


def test_accuracy_by_argument_puts_the_lowest_accuracy_first():
    rows = aa.accuracy_by_argument(RESULTS, EXAMPLES)
    assert [row["argument"] for row in rows] == ["remind_at", "due_date", "task_id", "title"]


def test_tool_cases_asking_for_counts_cases_not_calls():
    assert aa.tool_cases_asking_for(RESULTS, {"due_date", "remind_at"}) == 4
    assert aa.tool_cases_asking_for(RESULTS, {"due_date"}) == 2
    assert aa.tool_cases_asking_for(RESULTS, {"scope"}) == 0
