"""Tests for the agent loop and safety gate in agentic_tuning.agent, with scripted fake models."""

import copy
import datetime
import json
from types import SimpleNamespace

import pytest

from agentic_tuning.agent import EndpointModel, InProcessModel, run_agent
from agentic_tuning.conversations import assistant_calls
from agentic_tuning.dates import today_line
from agentic_tuning.executor import TaskExecutor, TaskStore

TODAY = datetime.date(2025, 6, 11)  # a Wednesday; "by Friday" is 2025-06-13


class ScriptedModel:
    """Replies in order with pre-written assistant messages, or callables of the messages so far."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.seen = []

    def complete(self, messages, tools):
        self.seen.append(copy.deepcopy(messages))
        reply = self.replies.pop(0)
        return reply(messages) if callable(reply) else reply


class ScriptedGenerator:
    """Stands in for a ChatGenerator: returns pre-written raw model text."""

    def __init__(self, *texts):
        self.texts = list(texts)

    def generate(self, messages, tools):
        return SimpleNamespace(text=self.texts.pop(0))


def calls(*pairs, first_id=0):
    return assistant_calls(list(pairs), first_id)


def answer(text):
    return {"role": "assistant", "content": text}


def tool_results(run):
    return [json.loads(m["content"]) for m in run.messages if m["role"] == "tool"]


@pytest.fixture
def store():
    with TaskStore(today=TODAY) as s:
        yield s


@pytest.fixture
def executor(store):
    return TaskExecutor(store)


@pytest.fixture
def seeded(store):
    store.add_task("Buy milk")                              # task_1
    store.add_task("Review the Q4 budget", priority="high")  # task_2
    return store


def test_create_task_request_runs_and_returns_final_answer(executor, store):
    model = ScriptedModel(
        calls(("create_task", {"title": "Review Q4 budget", "due_date": "2025-06-13", "priority": "high"})),
        answer("Created 'Review Q4 budget', due Friday."),
    )
    run = run_agent("Create a high-priority task to review the Q4 budget by Friday", model, executor)

    assert run.stopped_reason == "final_answer" and run.steps == 2
    assert run.final_answer == "Created 'Review Q4 budget', due Friday."
    [task] = store.all_tasks()
    assert (task["title"], task["due_date"], task["priority"]) == ("Review Q4 budget", "2025-06-13", "high")
    assert [(d.name, d.verdict) for d in run.decisions] == [("create_task", "execute")]
    assert [m["role"] for m in run.messages] == ["system", "user", "assistant", "tool", "assistant"]
    assert run.messages[0]["content"].startswith(today_line(TODAY))
    assert run.messages[3]["tool_call_id"] == "call_0"
    assert tool_results(run)[0]["ok"] is True
    # the model saw its own call and the tool result before answering
    assert model.seen[1] == run.messages[:4]


def test_search_result_id_is_fed_back_and_used_for_update(executor, seeded):
    def update_found_task(messages):
        found = json.loads(messages[-1]["content"])["result"]
        return calls(("update_task", {"task_id": found[0]["id"], "status": "done"}), first_id=1)

    model = ScriptedModel(
        calls(("search_tasks", {"query": "budget review"})),
        update_found_task,
        answer("Marked 'Review the Q4 budget' as done."),
    )
    run = run_agent("Mark the budget review task as done", model, executor)

    assert run.stopped_reason == "final_answer"
    assert seeded.get_task("task_2")["status"] == "done"
    assert seeded.get_task("task_1")["status"] == "todo"
    assert [d.arguments for d in run.decisions] == [{"query": "budget review"}, {"task_id": "task_2", "status": "done"}]


DESTRUCTIVE_CALLS = [("delete_task", {"task_id": "task_2"}), ("delete_all_tasks", {"scope": "all"})]


@pytest.mark.parametrize("confirm", [None, lambda call: False, lambda call: "yes"], ids=["default", "denied", "truthy"])
@pytest.mark.parametrize("call", DESTRUCTIVE_CALLS, ids=lambda c: c[0])
def test_unconfirmed_destructive_call_is_not_executed(executor, seeded, call, confirm):
    before = seeded.snapshot()
    model = ScriptedModel(calls(call), answer("I did not delete anything."))
    run = run_agent("Add a task to call the dentist", model, executor, confirm=confirm)

    assert seeded.snapshot() == before
    [decision] = run.decisions
    assert (decision.name, decision.verdict, decision.approved) == (call[0], "confirm", False)
    [result] = tool_results(run)
    assert result["ok"] is False and result["error"]["type"] == "denied_by_user"
    assert run.final_answer == "I did not delete anything."


@pytest.mark.parametrize("call", DESTRUCTIVE_CALLS, ids=lambda c: c[0])
def test_confirmed_destructive_call_is_executed(executor, seeded, call):
    asked = []
    model = ScriptedModel(calls(call), answer("Deleted."))
    run = run_agent("Delete it", model, executor, confirm=lambda c: asked.append(c) or True)

    assert seeded.get_task("task_2") is None
    assert [c["function"]["name"] for c in asked] == [call[0]]
    [decision] = run.decisions
    assert (decision.verdict, decision.approved) == ("confirm", True)
    assert tool_results(run)[0]["ok"] is True


@pytest.mark.parametrize("name, arguments, error_type", [
    ("create_task", {"title": "Review budget", "priority": "urgent"}, "invalid_arguments"),
    ("delete_task", {"task_id": "2"}, "invalid_arguments"),
    ("update_task", '{"task_id": "task_2", "status": ', "invalid_json"),
    ("archive_task", {"task_id": "task_2"}, "unknown_tool"),
])
def test_invalid_call_is_rejected_even_if_confirm_would_approve(executor, seeded, name, arguments, error_type):
    before = seeded.snapshot()
    asked = []
    message = calls((name, {}))
    message["tool_calls"][0]["function"]["arguments"] = (
        arguments if isinstance(arguments, str) else json.dumps(arguments))
    model = ScriptedModel(message, answer("Sorry, that did not work."))
    run = run_agent("Do something", model, executor, confirm=lambda c: asked.append(c) or True)

    assert seeded.snapshot() == before
    assert asked == []
    [decision] = run.decisions
    assert (decision.name, decision.verdict, decision.approved) == (name, "reject", None)
    [result] = tool_results(run)
    assert result["ok"] is False and result["error"]["type"] == error_type
    assert result["error"]["details"]
    assert run.final_answer == "Sorry, that did not work."


def test_schema_error_names_the_bad_argument(executor, store):
    model = ScriptedModel(calls(("create_task", {"title": "x", "priority": "urgent"})), answer("ok"))
    run = run_agent("Create an urgent task", model, executor)
    assert "priority" in tool_results(run)[0]["error"]["message"]
    assert store.all_tasks() == []


def test_stops_at_step_limit(executor):
    model = ScriptedModel(*(calls(("list_tasks", {"filter": "all"}), first_id=i) for i in range(10)))
    run = run_agent("What's on my list?", model, executor, max_steps=3)

    assert (run.stopped_reason, run.steps, run.final_answer) == ("step_limit", 3, None)
    assert len(model.seen) == 3
    assert len(run.decisions) == 3


def test_in_process_model_runs_raw_tool_call_text(executor, store):
    generator = ScriptedGenerator(
        '<tool_call>\n{"name": "create_task", "arguments": {"title": "Call the dentist"}}\n</tool_call><|im_end|>',
        '<tool_call>\n{"name": "add_comment", "arguments": {"task_id": "task_1", "text": "ask about Tuesday"}}\n</tool_call>',
        "Done: the task is created and commented.<|im_end|>",
    )
    run = run_agent("Add a task to call the dentist and note to ask about Tuesday", InProcessModel(generator), executor)

    assert run.final_answer == "Done: the task is created and commented."
    assert [t["title"] for t in store.all_tasks()] == ["Call the dentist"]
    assert store.snapshot()["comments"][0]["text"] == "ask about Tuesday"
    ids = [m["tool_call_id"] for m in run.messages if m["role"] == "tool"]
    assert len(set(ids)) == 2


def test_in_process_schema_violation_goes_to_the_gate(executor, store):
    generator = ScriptedGenerator(
        '<tool_call>\n{"name": "create_task", "arguments": {"title": "Budget", "priority": "urgent"}}\n</tool_call>',
        "Sorry, I could not create it.",
    )
    run = run_agent("Create an urgent task", InProcessModel(generator), executor)

    assert [d.verdict for d in run.decisions] == ["reject"]
    assert tool_results(run)[0]["error"]["type"] == "invalid_arguments"
    assert store.all_tasks() == []


@pytest.mark.parametrize("text", [
    "Sure! I will create that task for you.",
    '<tool_call>\n{"name": "create_task", "arguments": {"title": "Bud',
    '<tool_call>\n{"name": "create_task", "arguments": {title: Budget}}\n</tool_call>',
])
def test_malformed_model_output_is_a_final_answer(executor, store, text):
    run = run_agent("Create a budget task", InProcessModel(ScriptedGenerator(text)), executor)

    assert (run.stopped_reason, run.steps) == ("final_answer", 1)
    assert run.final_answer == text.strip()
    assert run.decisions == [] and store.all_tasks() == []


class FakeMessage:
    """Mimics the pydantic ChatCompletionMessage of the openai SDK."""

    def __init__(self, **fields):
        self.fields = fields

    def model_dump(self, exclude_none=False):
        return {k: v for k, v in self.fields.items() if not (exclude_none and v is None)}


class FakeCompletions:
    def __init__(self, *messages):
        self.messages = list(messages)
        self.requests = []

    def create(self, **kwargs):
        self.requests.append(copy.deepcopy(kwargs))
        return SimpleNamespace(choices=[SimpleNamespace(message=self.messages.pop(0))])


def fake_client(*messages):
    return SimpleNamespace(chat=SimpleNamespace(completions=FakeCompletions(*messages)))


def test_endpoint_model_normalises_openai_messages(tools):
    tool_call = {"id": "call_abc", "type": "function", "index": 0,
                 "function": {"name": "list_tasks", "arguments": '{"filter": "all"}'}}
    client = fake_client(
        FakeMessage(role="assistant", content="", refusal=None, tool_calls=[tool_call]),
        FakeMessage(role="assistant", content="You have no tasks.", refusal=None, tool_calls=None),
    )
    model = EndpointModel("http://localhost:8000/v1", "smollm2-tools", client=client)
    messages = [{"role": "user", "content": "What's on my list?"}]

    assert model.complete(messages, tools) == {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "call_abc", "type": "function",
                        "function": {"name": "list_tasks", "arguments": '{"filter": "all"}'}}],
    }
    assert model.complete(messages, tools) == {"role": "assistant", "content": "You have no tasks."}
    request = client.chat.completions.requests[0]
    assert request == {"model": "smollm2-tools", "messages": messages, "tools": tools}


def test_endpoint_model_drives_the_agent(executor, store):
    tool_call = {"id": "call_1", "type": "function",
                 "function": {"name": "create_task", "arguments": '{"title": "Renew passport"}'}}
    client = fake_client(
        FakeMessage(role="assistant", content=None, tool_calls=[tool_call]),
        FakeMessage(role="assistant", content="Created 'Renew passport'.", tool_calls=None),
    )
    run = run_agent("Remind me to renew my passport", EndpointModel("http://x/v1", "m", client=client), executor)

    assert run.final_answer == "Created 'Renew passport'."
    assert [t["title"] for t in store.all_tasks()] == ["Renew passport"]
    sent = client.chat.completions.requests[1]["messages"]
    assert sent[-1]["role"] == "tool" and sent[-1]["tool_call_id"] == "call_1"


def test_conversation_request_keeps_its_system_prompt(executor):
    conversation = [{"role": "system", "content": "Custom."}, {"role": "user", "content": "Hi"}]
    run = run_agent(conversation, ScriptedModel(answer("Hello!")), executor, system_prompt="ignored")
    assert run.messages[:2] == conversation
    assert run_agent("Hi", ScriptedModel(answer("Hello!")), executor, system_prompt="Be brief.").messages[0] == {
        "role": "system", "content": "Be brief."}
