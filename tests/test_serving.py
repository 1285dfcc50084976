"""Tests for serving the tuned model as an OpenAI-compatible agent backend.

The unmarked tests check agentic_tuning.server's contract with a scripted generator behind
FastAPI's TestClient (the official ``openai`` SDK parses its replies). The ``serving`` tests
export the reference adapter (or a 4-step smoke adapter when there is none), serve it with
``python -m agentic_tuning.serve`` and drive it with the openai SDK, the OpenAI Agents SDK
and LangChain. Greedy decoding makes them deterministic; they assert the contract and the
safety properties for whatever the model does, and the expected calls only for the
reference adapter.
"""

import datetime
import json
from dataclasses import dataclass

import pytest

from agentic_tuning.agent import default_system_prompt
from agentic_tuning.chat_template import END_OF_TURN
from agentic_tuning.executor import TaskExecutor, TaskStore
from agentic_tuning.generation import Generation
from agentic_tuning.server import RequestError, assistant_message, create_app, normalise_messages, normalise_tools
from agentic_tuning.tools import is_destructive

TODAY = datetime.date(2026, 12, 2)  # a Wednesday; "by Friday" is 2026-12-04
CREATE_REQUEST = "Create a high-priority task to review the Q4 budget by Friday"
DELETE_REQUEST = "Please delete task_2"
REQUEST_TIMEOUT_S = 300  # one generation takes seconds on 2 idle cores, minutes on a crowded machine
CALL = '<tool_call>\n{"name": "create_task", "arguments": {"title": "Review the Q4 budget", "priority": "high"}}\n</tool_call>'


def tool_names(tools):
    return {tool["function"]["name"] for tool in tools}


# ---------------------------------------------------------------- helpers, no model


def test_tools_lose_strict_and_extras_and_match_the_training_definitions(tools):
    sent = [{**tool, "function": {**tool["function"], "strict": True}, "extra": 1} for tool in tools]
    assert normalise_tools(sent) == tools
    assert normalise_tools(None) == []


@pytest.mark.parametrize("bad", [[{"type": "function"}], [{"function": {"name": 3}}], ["create_task"]])
def test_malformed_tools_are_request_errors(bad):
    with pytest.raises(RequestError):
        normalise_tools(bad)


def test_history_arguments_strings_become_objects_and_developer_turns_system():
    messages = normalise_messages([
        {"role": "developer", "content": "Today is Wednesday."},
        {"role": "user", "content": [{"type": "text", "text": "Add it"}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "create_task", "arguments": '{"title": "A"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": '{"ok": true}'},
    ])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[1]["content"] == "Add it"
    assert messages[2]["content"] == ""
    assert messages[2]["tool_calls"][0]["function"] == {"name": "create_task", "arguments": {"title": "A"}}


@pytest.mark.parametrize("messages", [
    [],
    None,
    [{"role": "robot", "content": "hi"}],
    [{"role": "assistant", "tool_calls": [{"function": {"name": "create_task", "arguments": "{not json"}}]}],
    [{"role": "assistant", "tool_calls": [{"function": {"name": "create_task", "arguments": "[1, 2]"}}]}],
    [{"role": "assistant", "tool_calls": [{"type": "function"}]}],
    ["hello"],
])
def test_unrenderable_messages_are_request_errors(messages):
    with pytest.raises(RequestError):
        normalise_messages(messages)


@pytest.mark.parametrize("text,calls", [
    (CALL + END_OF_TURN, ["create_task"]),
    ("Sure, doing it now.\n" + CALL + END_OF_TURN, ["create_task"]),  # the prose is dropped: content is null
    ('<tool_call>\n{"name": "create_task", "arguments": {title: x}}\n</tool_call>' + END_OF_TURN, None),
    ('<tool_call>\n{"name": "create_task", "argum', None),  # cut off by the token limit
    ('<tool_call>\n{"arguments": {}}\n</tool_call>' + END_OF_TURN, None),
    ('<tool_call>\n{"name": "launch_rocket", "arguments": {}}\n</tool_call>' + END_OF_TURN, None),
    ("Which task should I delete?" + END_OF_TURN, None),
])
def test_only_parseable_calls_to_offered_tools_become_tool_calls(tools, text, calls):
    message = assistant_message(text, tools, call_prefix="call_x_")
    if calls:
        assert message["content"] is None
        assert [c["function"]["name"] for c in message["tool_calls"]] == calls
        assert all(c["id"].startswith("call_x_") and c["type"] == "function" for c in message["tool_calls"])
        assert all(isinstance(json.loads(c["function"]["arguments"]), dict) for c in message["tool_calls"])
    else:
        assert set(message) == {"role", "content"}
        assert isinstance(message["content"], str) and END_OF_TURN not in message["content"]


class ScriptedGenerator:
    """Stands in for a ChatGenerator: returns pre-written raw model text, records its inputs."""

    def __init__(self, *texts):
        self.texts = list(texts)
        self.seen = []

    def generate(self, messages, tools):
        self.seen.append((messages, tools))
        text = self.texts.pop(0)
        return Generation(text, prompt_tokens=100, generated_tokens=len(text) // 4, latency_s=0.01, reused_prefix_tokens=0)


def scripted_client(*texts):
    """The official openai SDK talking to the app in process, and the generator behind it."""
    import openai
    from fastapi.testclient import TestClient

    generator = ScriptedGenerator(*texts)
    http = TestClient(create_app(generator, "scripted"))
    return openai.OpenAI(base_url="http://testserver/v1", api_key="not-needed", http_client=http, max_retries=0), generator


def test_tool_calls_follow_the_openai_contract(tools):
    client, _ = scripted_client(CALL + END_OF_TURN)
    raw = client.chat.completions.with_raw_response.create(
        model="anything", messages=[{"role": "user", "content": CREATE_REQUEST}], tools=tools)
    choice = raw.http_response.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert "content" in choice["message"] and choice["message"]["content"] is None
    [call] = raw.parse().choices[0].message.tool_calls
    assert call.id and call.type == "function" and call.function.name == "create_task"
    assert json.loads(call.function.arguments) == {"title": "Review the Q4 budget", "priority": "high"}


def test_malformed_or_cut_off_output_is_plain_content_not_an_error(tools):
    client, _ = scripted_client('<tool_call>\n{"name": "create_task", "arguments": {title}}\n</tool_call>' + END_OF_TURN,
                                '<tool_call>\n{"name": "create_task", "argum')
    broken, cut_off = (client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], tools=tools)
                       for _ in range(2))
    assert broken.choices[0].message.tool_calls is None and broken.choices[0].finish_reason == "stop"
    assert "<tool_call>" in broken.choices[0].message.content
    assert cut_off.choices[0].message.tool_calls is None and cut_off.choices[0].finish_reason == "length"


def test_strict_sampling_options_and_history_arguments_are_accepted(tools):
    client, generator = scripted_client("Done." + END_OF_TURN)
    history = [
        {"role": "user", "content": CREATE_REQUEST},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_0", "type": "function", "function": {
            "name": "create_task", "arguments": '{"title": "Review the Q4 budget", "priority": "high"}'}}]},
        {"role": "tool", "tool_call_id": "call_0", "content": '{"ok": true, "result": {"id": "task_1"}}'},
    ]
    strict_tools = [{**t, "function": {**t["function"], "strict": True}} for t in tools]
    reply = client.chat.completions.create(model="m", messages=history, tools=strict_tools, temperature=0.7,
                                           top_p=0.9, max_tokens=50, stream=False)
    assert reply.choices[0].message.content == "Done." and reply.choices[0].finish_reason == "stop"
    seen_messages, seen_tools = generator.seen[0]
    assert seen_tools == tools
    assert seen_messages[1]["tool_calls"][0]["function"]["arguments"] == {"title": "Review the Q4 budget", "priority": "high"}


def test_unservable_requests_are_400s():
    import openai

    client, generator = scripted_client()
    with pytest.raises(openai.BadRequestError, match="streaming"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
    bad_history = [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "create_task", "arguments": "{oops"}}]}]
    with pytest.raises(openai.BadRequestError, match="malformed message"):
        client.chat.completions.create(model="m", messages=bad_history)
    assert generator.seen == []


# ---------------------------------------------------------------- the served model


@dataclass
class Served:
    base_url: str
    name: str
    reference: bool  # the committed reference adapter, not a smoke-trained stand-in


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The tuned model exported and served on a free local port; stopped after the session."""
    from agentic_tuning.benchmark import REFERENCE_ADAPTER
    from agentic_tuning.serve import export_servable, model_name, running_server

    workdir = tmp_path_factory.mktemp("serving")
    reference = (REFERENCE_ADAPTER / "adapter_config.json").exists()
    if reference:
        adapter = REFERENCE_ADAPTER
    else:
        from agentic_tuning import train

        train.run("smoke", out=str(workdir / "smoke"), max_steps=4)
        adapter = workdir / "smoke" / "adapter"
    folder = export_servable(str(adapter), workdir / "servable")
    with running_server(folder, workdir / "server.log") as base_url:
        yield Served(base_url, model_name(str(adapter)), reference)


@pytest.fixture
def store():
    with TaskStore(today=TODAY) as s:
        yield s


@pytest.fixture
def seeded(store):
    store.add_task("Buy milk")                              # task_1
    store.add_task("Review the Q4 budget", priority="high")  # task_2
    return store


SYSTEM = default_system_prompt(TODAY)


@pytest.mark.model
@pytest.mark.serving
def test_openai_sdk_gets_parseable_tool_calls(served, tools):
    import openai

    client = openai.OpenAI(base_url=served.base_url, api_key="not-needed", timeout=REQUEST_TIMEOUT_S, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model=served.name, tools=tools, temperature=0, stream=False,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": CREATE_REQUEST}])
    wire = raw.http_response.json()["choices"][0]
    choice = raw.parse().choices[0]
    if choice.message.tool_calls:
        assert wire["message"]["content"] is None and choice.finish_reason == "tool_calls"
        for call in choice.message.tool_calls:
            assert call.id and call.type == "function" and call.function.name in tool_names(tools)
            assert isinstance(call.function.arguments, str) and isinstance(json.loads(call.function.arguments), dict)
    else:
        assert isinstance(choice.message.content, str) and choice.finish_reason in ("stop", "length")
    if served.reference:
        assert [call.function.name for call in choice.message.tool_calls] == ["create_task"]


def agents_tools(executor, executed):
    """Agents SDK tools with the exact tools.json schemas, each running the real executor.

    ``FunctionTool`` is what ``@function_tool`` builds; built directly, it keeps the schemas
    the model was trained on. Destructive tools need approval.
    """
    from agents import FunctionTool

    def invoker(name):
        async def invoke(context, arguments: str) -> str:
            result = executor.execute(name, arguments)
            executed.append((name, result))
            return json.dumps(result)
        return invoke

    return [
        FunctionTool(name=t["function"]["name"], description=t["function"]["description"],
                     params_json_schema=t["function"]["parameters"], on_invoke_tool=invoker(t["function"]["name"]),
                     strict_json_schema=False, needs_approval=is_destructive(t["function"]["name"]))
        for t in executor.tools
    ]


def denied(name):
    """A rejection in the executor's error format, as the SafetyGate reports one."""
    message = f"the user did not approve {name}; nothing was changed"
    return json.dumps({"ok": False, "error": {"type": "denied_by_user", "message": message, "details": []}})


def agents_agent(served, executor, executed):
    from agents import Agent, OpenAIChatCompletionsModel, set_tracing_disabled
    from openai import AsyncOpenAI

    set_tracing_disabled(True)
    client = AsyncOpenAI(base_url=served.base_url, api_key="not-needed", timeout=REQUEST_TIMEOUT_S, max_retries=0)
    return Agent(name="tasks", instructions=SYSTEM, tools=agents_tools(executor, executed),
                 model=OpenAIChatCompletionsModel(model=served.name, openai_client=client))


@pytest.mark.model
@pytest.mark.serving
def test_agents_sdk_runs_the_tuned_model_end_to_end(served, store):
    from agents import Runner

    executed = []
    result = Runner.run_sync(agents_agent(served, TaskExecutor(store), executed), CREATE_REQUEST, max_turns=4)

    created = [r["result"] for name, r in executed if name == "create_task" and r["ok"]]
    assert store.all_tasks() == created
    if served.reference:
        assert isinstance(result.final_output, str) and not result.interruptions
        assert created and created[0]["priority"] == "high"


@pytest.mark.model
@pytest.mark.serving
def test_agents_sdk_destructive_call_waits_for_approval_and_rejection_changes_nothing(served, seeded):
    from agents import Runner

    before, executed = seeded.snapshot(), []
    agent = agents_agent(served, TaskExecutor(seeded), executed)
    result = Runner.run_sync(agent, DELETE_REQUEST, max_turns=4)
    interrupted = [item.tool_name for item in result.interruptions]
    for _ in range(3):  # reject every pending call, and any the model retries
        if not result.interruptions:
            break
        state = result.to_state()
        for item in result.interruptions:
            state.reject(item, rejection_message=denied(item.tool_name))
        result = Runner.run_sync(agent, state, max_turns=4)
        interrupted += [item.tool_name for item in result.interruptions]

    assert all(is_destructive(name) for name in interrupted)
    assert not [name for name, _ in executed if is_destructive(name)]
    assert seeded.snapshot() == before
    if served.reference:
        assert interrupted[0] == "delete_task"


@pytest.mark.model
@pytest.mark.serving
def test_langchain_bind_tools_yields_tool_calls(served, tools):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=served.base_url, api_key="not-needed", model=served.name, temperature=0,
                     timeout=REQUEST_TIMEOUT_S, max_retries=0)
    message = llm.bind_tools(tools).invoke([SystemMessage(SYSTEM), HumanMessage(CREATE_REQUEST)])

    assert isinstance(message, AIMessage)
    assert message.tool_calls or message.invalid_tool_calls or isinstance(message.content, str)
    for call in message.tool_calls:
        assert call["id"] and call["name"] in tool_names(tools) and isinstance(call["args"], dict)
    if served.reference:
        assert [call["name"] for call in message.tool_calls] == ["create_task"]


def langchain_tools(executor, executed):
    """LangChain tools with the exact tools.json schemas, each running the real executor.

    Every call that reaches the executor is appended to ``executed`` as ``(name, result)``, as
    ``agents_tools`` does.
    """
    from langchain_core.tools import StructuredTool

    def runner(name):
        def run(**arguments):
            result = executor.execute(name, arguments)
            executed.append((name, result))
            return json.dumps(result)
        return run

    return [StructuredTool(name=t["function"]["name"], description=t["function"]["description"],
                           args_schema=t["function"]["parameters"], func=runner(t["function"]["name"]))
            for t in executor.tools]


@pytest.mark.model
@pytest.mark.serving
def test_langchain_human_in_the_loop_interrupts_a_delete_and_rejection_deletes_nothing(served, seeded):
    from langchain.agents import create_agent
    from langchain.agents.middleware import HumanInTheLoopMiddleware
    from langchain_openai import ChatOpenAI
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.types import Command

    before, executed = [task["id"] for task in seeded.all_tasks()], []
    llm = ChatOpenAI(base_url=served.base_url, api_key="not-needed", model=served.name, temperature=0,
                     timeout=REQUEST_TIMEOUT_S, max_retries=0)
    gate = HumanInTheLoopMiddleware(interrupt_on={"delete_task": True, "delete_all_tasks": True})
    agent = create_agent(llm, tools=langchain_tools(TaskExecutor(seeded), executed), system_prompt=SYSTEM,
                         middleware=[gate], checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "delete"}, "recursion_limit": 12}
    result = agent.invoke({"messages": [{"role": "user", "content": DELETE_REQUEST}]}, config, version="v2")
    interrupted = []
    for _ in range(3):  # reject every gated call, and any the model retries
        if not result.interrupts:
            break
        requests = [request for interrupt in result.interrupts for request in interrupt.value["action_requests"]]
        interrupted += [request["name"] for request in requests]
        decisions = [{"type": "reject", "message": "The user rejected this deletion."} for _ in requests]
        result = agent.invoke(Command(resume={"decisions": decisions}), config, version="v2")

    # The gate's promise: no destructive call runs. After a rejection the model may still take
    # a non-destructive action (the executed list shows which), which the gate allows.
    assert all(is_destructive(name) for name in interrupted)
    assert not [name for name, _ in executed if is_destructive(name)]
    assert [task["id"] for task in seeded.all_tasks()][:len(before)] == before
    if served.reference:
        assert interrupted[0] == "delete_task"
