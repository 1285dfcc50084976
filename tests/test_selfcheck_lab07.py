"""The lab 07 self-check passes the reference solution and rejects unsafe gates and broken loops."""

import json

import pytest

from agentic_tuning.selfcheck import lab07
from agentic_tuning.tools import is_destructive, validate_arguments


# The solutions of solutions/07_lab_agent_loop.ipynb.
def gate(call, executor, confirm):
    name = call["function"]["name"]
    try:
        arguments = json.loads(call["function"]["arguments"])
    except json.JSONDecodeError as exc:
        return {"ok": False, "error": {"type": "invalid_json", "message": str(exc)}}
    problems = validate_arguments(name, arguments, executor.tools)
    if problems:
        return {"ok": False, "error": {"type": "invalid_call", "message": "; ".join(problems)}}
    if is_destructive(name) and confirm(call) is not True:
        return {"ok": False, "error": {"type": "denied_by_user", "message": f"the user did not approve {name}"}}
    return executor.execute(name, arguments)


def agent_loop(request, model, executor, confirm, max_steps=6, gate=gate):
    messages = [{"role": "user", "content": request}]
    for _ in range(max_steps):
        reply = model.complete(messages, executor.tools)
        messages.append(reply)
        if not reply.get("tool_calls"):
            break
        for call in reply["tool_calls"]:
            result = gate(call, executor, confirm)
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(result)})
    return messages


def test_the_reference_solutions_pass(capsys):
    lab07.check_gate(gate)
    lab07.check_agent_loop(agent_loop)
    assert capsys.readouterr().out.count("✅") == 2


def test_a_truthy_confirm_is_not_an_approval():
    def truthy_gate(call, executor, confirm):
        name = call["function"]["name"]
        if is_destructive(name) and not validate_arguments(name, json.loads(call["function"]["arguments"]), executor.tools):
            if not confirm(call):
                return {"ok": False, "error": {"type": "denied_by_user"}}
            return executor.execute(name, json.loads(call["function"]["arguments"]))
        return gate(call, executor, confirm)

    with pytest.raises(AssertionError, match="truthy"):
        lab07.check_gate(truthy_gate)


def test_asking_before_validating_is_rejected():
    def asks_first(call, executor, confirm):
        if is_destructive(call["function"]["name"]) and confirm(call) is not True:
            return {"ok": False, "error": {"type": "denied_by_user"}}
        return gate(call, executor, lambda c: True)

    with pytest.raises(AssertionError, match="validate first"):
        lab07.check_gate(asks_first)


def test_a_gate_without_validation_is_rejected():
    def no_validation(call, executor, confirm):
        name, arguments = call["function"]["name"], call["function"]["arguments"]
        if is_destructive(name) and confirm(call) is not True:
            return {"ok": False, "error": {"type": "denied_by_user"}}
        return executor.execute(name, arguments)  # the executor validates too, but raises on nothing

    with pytest.raises(AssertionError):
        lab07.check_gate(no_validation)


def test_a_gate_that_raises_on_bad_json_gets_a_hint():
    def raises(call, executor, confirm):
        arguments = json.loads(call["function"]["arguments"])
        return gate({**call, "function": {**call["function"], "arguments": json.dumps(arguments)}}, executor, confirm)

    with pytest.raises(AssertionError, match="catch the error"):
        lab07.check_gate(raises)


def test_a_loop_that_bypasses_the_gate_fails_the_denied_delete():
    def ungated(call, executor, confirm):
        return executor.execute(call["function"]["name"], call["function"]["arguments"])

    with pytest.raises(AssertionError, match="case 3: a denied delete_all_tasks changed the store"):
        lab07.check_agent_loop(lambda *a, **k: agent_loop(*a, **k, gate=ungated))


def test_a_loop_that_does_not_feed_results_back_is_rejected():
    def forgetful(request, model, executor, confirm, max_steps=6):
        messages = [{"role": "user", "content": request}]
        for _ in range(max_steps):
            reply = model.complete([{"role": "user", "content": request}], executor.tools)
            messages.append(reply)
            if not reply.get("tool_calls"):
                break
            for call in reply["tool_calls"]:
                messages.append({"role": "tool", "tool_call_id": call["id"],
                                 "content": json.dumps(gate(call, executor, confirm))})
        return messages

    with pytest.raises(Exception):
        lab07.check_agent_loop(forgetful)


def test_a_loop_without_a_step_limit_is_rejected():
    def unbounded(request, model, executor, confirm, max_steps=6):
        return agent_loop(request, model, executor, confirm, max_steps=100)

    with pytest.raises(AssertionError, match="max_steps=3"):
        lab07.check_agent_loop(unbounded)


def test_a_loop_that_only_runs_the_first_call_is_rejected():
    def first_only(request, model, executor, confirm, max_steps=6):
        messages = [{"role": "user", "content": request}]
        for _ in range(max_steps):
            reply = model.complete(messages, executor.tools)
            messages.append(reply)
            if not reply.get("tool_calls"):
                break
            call = reply["tool_calls"][0]
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(gate(call, executor, confirm))})
        return messages

    with pytest.raises(AssertionError, match="case 4"):
        lab07.check_agent_loop(first_only)
