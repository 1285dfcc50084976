"""ApprovalButtons: never waits for a human who is not there, never approves without a click."""

import asyncio
import datetime
import threading
import time

import pytest

from agentic_tuning import approval_widgets as aw
from agentic_tuning.agent import run_agent
from agentic_tuning.agent_demo import ScriptedModel, answer, calls
from agentic_tuning.executor import TaskExecutor, TaskStore

DELETE = calls(("delete_task", {"task_id": "task_1"}))


class Shown(list):
    """Stands in for IPython's display: records the widgets it was given."""

    def __call__(self, widget):
        self.append(widget)


@pytest.fixture
def store():
    with TaskStore(today=datetime.date(2026, 12, 2)) as s:
        s.add_task("Buy milk")
        yield s


def ask(approval, store):
    """Run one agent turn that emits a delete, with the approval buttons as the gate's callback."""
    model = ScriptedModel(DELETE, answer("Done."))
    return asyncio.run(approval.run("Clean up my list", model, TaskExecutor(store)))


def test_unattended_denies_at_once_and_says_so(store, capsys):
    shown = Shown()
    approval = aw.ApprovalButtons(unattended=True, timeout_s=30, display=shown)
    started = time.perf_counter()
    run = ask(approval, store)
    assert time.perf_counter() - started < 5  # did not wait for the 30 s timeout
    assert [t["title"] for t in store.all_tasks()] == ["Buy milk"]
    [decision] = approval.decisions
    assert (decision.tool, decision.approved, decision.reason) == ("delete_task", False, aw.UNATTENDED)
    assert run.decisions[0].approved is False
    assert "unattended" in capsys.readouterr().out
    [prompt] = approval.prompts
    assert shown == [prompt.box]
    assert prompt.approve.disabled and prompt.deny.disabled and "unattended" in prompt.status.value


def test_no_click_within_the_timeout_denies(store):
    approval = aw.ApprovalButtons(unattended=False, timeout_s=0.2, display=Shown(), verbose=False)
    ask(approval, store)
    assert store.get_task("task_1") is not None
    assert approval.decisions[0].reason == aw.timed_out(0.2) == "denied: no click within 0.2 s"
    approval.prompts[0].approve.click()  # a late click changes nothing
    assert approval.decisions[0].approved is False and approval.prompts[0].answer is None


def click_when_shown(approval, button: str):
    def worker():
        while not approval.prompts:
            time.sleep(0.01)
        getattr(approval.prompts[0], button).click()

    threading.Thread(target=worker, daemon=True).start()


def test_a_click_on_approve_runs_the_call(store):
    approval = aw.ApprovalButtons(unattended=False, timeout_s=10, display=Shown(), verbose=False)
    click_when_shown(approval, "approve")
    run = ask(approval, store)
    assert store.all_tasks() == []
    assert approval.decisions[0].reason == aw.APPROVED and run.decisions[0].approved is True


def test_a_click_on_deny_keeps_the_store(store):
    approval = aw.ApprovalButtons(unattended=False, timeout_s=10, display=Shown(), verbose=False)
    click_when_shown(approval, "deny")
    ask(approval, store)
    assert store.get_task("task_1") is not None and approval.decisions[0].reason == aw.DENIED


def test_on_the_main_thread_it_denies_at_once_instead_of_blocking(store):
    approval = aw.ApprovalButtons(unattended=False, timeout_s=30, display=Shown(), verbose=False)
    started = time.perf_counter()
    run_agent("Clean up", ScriptedModel(DELETE, answer("ok")), TaskExecutor(store), confirm=approval)
    assert time.perf_counter() - started < 5
    assert approval.decisions[0].reason == aw.MAIN_THREAD and store.get_task("task_1") is not None


def test_table_and_describe_call():
    approval = aw.ApprovalButtons(unattended=True, display=Shown(), verbose=False)
    approval(DELETE["tool_calls"][0])
    table = approval.table()
    assert list(table.columns) == ["tool", "arguments", "approved", "reason"]
    assert table.loc[0, "arguments"] == 'delete_task({"task_id": "task_1"})'
    with pytest.raises(ValueError):
        aw.ApprovalButtons(unattended=True, timeout_s=0, display=Shown())


def test_a_real_kernel_delivers_a_click_to_an_awaiting_cell():
    """The reason for `await approval.run(...)`: while the cell awaits, the kernel still handles clicks."""
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")
    try:
        code = (
            "from agentic_tuning.approval_widgets import ApprovalButtons\n"
            "from agentic_tuning.agent_demo import ScriptedModel, answer, calls\n"
            "from agentic_tuning.executor import TaskExecutor, TaskStore\n"
            "store = TaskStore(); store.add_task('Buy milk')\n"
            "model = ScriptedModel(calls(('delete_task', {'task_id': 'task_1'})), answer('Deleted.'))\n"
            "approval = ApprovalButtons(unattended=False, timeout_s=60, verbose=False)\n"
            "run = await approval.run('Delete task_1', model, TaskExecutor(store))\n"
            "print('RESULT', len(store.all_tasks()), approval.decisions[0].reason)\n"
        )
        msg_id = kc.execute(code)
        approve_id, output, deadline = None, "", time.time() + 60
        while time.time() < deadline:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            content = msg["content"]
            if msg["msg_type"] == "comm_open" and approve_id is None:
                state = content["data"].get("state", {})
                if state.get("description") == "Approve":
                    approve_id = content["comm_id"]
            if msg["msg_type"] == "display_data" and approve_id:  # the box is shown: click Approve
                click = {"comm_id": approve_id, "data": {"method": "custom", "content": {"event": "click"}}}
                kc.shell_channel.send(kc.session.msg("comm_msg", click))
            if msg["msg_type"] == "stream":
                output += content["text"]
            if msg["msg_type"] == "error":
                pytest.fail("\n".join(content["traceback"]))
            if msg["msg_type"] == "status" and content["execution_state"] == "idle":
                break
        assert f"RESULT 0 {aw.APPROVED}" in output
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
