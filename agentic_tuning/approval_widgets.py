"""Approve / Deny buttons in a notebook as the agent's ``confirm`` callback, with a bounded wait.

:class:`ApprovalButtons` is what ``run_agent(..., confirm=...)`` calls before a destructive tool
call runs. It shows the call with an Approve and a Deny button and returns True only for a click
on Approve. It never waits for a human when nobody is there:

* ``unattended=True`` (CI, ``make course``, the smoke profile): it denies at once and says so;
* no click within ``timeout_s`` seconds: it denies and says so; a later click changes nothing;
* called on the kernel's main thread: a click cannot reach a cell that keeps the kernel busy, so
  it denies at once and says how to run the agent instead: ``await approval.run(request, model,
  executor)`` runs ``run_agent`` in a worker thread while the cell awaits it, and a kernel that
  handles comm messages during an awaiting cell (ipykernel 7.4, the one this repo installs, does;
  older kernels, e.g. on Colab, may not) delivers the click. Where clicks never arrive, the
  timeout denies.

Every decision is kept in ``decisions`` (and printed), so a notebook can show what was asked.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import threading
from dataclasses import dataclass

APPROVED = "approved by a click on Approve"
DENIED = "denied by a click on Deny"
UNATTENDED = "denied automatically: the run is unattended (settings.unattended), nobody can approve it"
MAIN_THREAD = ("denied: a click cannot reach a cell that blocks the kernel; "
               "run the agent with `await approval.run(request, model, executor)` to be asked")


def timed_out(timeout_s: float) -> str:
    return f"denied: no click within {timeout_s:g} s"


@dataclass
class Approval:
    """One question the user was asked and how it was settled."""

    tool: str
    arguments: str
    approved: bool
    reason: str


def describe_call(call: dict) -> str:
    """``name(arguments)`` of an OpenAI tool call, arguments as the model sent them."""
    arguments = call["function"]["arguments"]
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    return f"{call['function']['name']}({arguments})"


class _Prompt:
    """The widget for one call: a description, Approve and Deny, and a status line."""

    def __init__(self, call: dict):
        import ipywidgets as widgets

        self.answer: bool | None = None
        self.clicked = threading.Event()
        self._lock = threading.Lock()
        self.question = widgets.HTML(
            f"⚠️ The model wants to run the destructive call <code>{html.escape(describe_call(call))}</code>.")
        self.approve = widgets.Button(description="Approve", button_style="danger", icon="check")
        self.deny = widgets.Button(description="Deny", button_style="success", icon="times")
        self.status = widgets.HTML("waiting for your click…")
        self.approve.on_click(lambda _: self._click(True))
        self.deny.on_click(lambda _: self._click(False))
        self.box = widgets.VBox([self.question, widgets.HBox([self.approve, self.deny]), self.status])

    def _click(self, answer: bool) -> None:
        with self._lock:
            if self.answer is None and not self.clicked.is_set():
                self.answer = answer
                self.clicked.set()

    def settle(self, approved: bool, reason: str) -> None:
        """Freeze the buttons and show the decision; clicks after this change nothing."""
        with self._lock:
            self.clicked.set()
        self.approve.disabled = self.deny.disabled = True
        self.status.value = f"{'✅' if approved else '⛔'} {html.escape(reason)}"


class _OnLoopExecutor:
    """An executor whose ``execute`` runs on the event loop's thread; everything else passes through."""

    def __init__(self, executor, loop: asyncio.AbstractEventLoop):
        self._executor, self._loop = executor, loop

    def __getattr__(self, name):
        return getattr(self._executor, name)

    def execute(self, name: str, arguments):
        async def call():
            return self._executor.execute(name, arguments)

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result()


class ApprovalButtons:
    """A ``confirm`` callback that asks with buttons and denies unless Approve is clicked in time."""

    def __init__(self, *, unattended: bool, timeout_s: float = 60.0, display=None, verbose: bool = True):
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.unattended = unattended
        self.timeout_s = timeout_s
        self.verbose = verbose
        self.decisions: list[Approval] = []
        self.prompts: list[_Prompt] = []
        if display is None:
            from IPython.display import display
        self._display = display

    def __call__(self, call: dict) -> bool:
        prompt = _Prompt(call)
        self.prompts.append(prompt)
        self._display(prompt.box)
        if self.unattended:
            return self._settle(call, prompt, False, UNATTENDED)
        if threading.current_thread() is threading.main_thread():
            return self._settle(call, prompt, False, MAIN_THREAD)
        if not prompt.clicked.wait(self.timeout_s):
            return self._settle(call, prompt, False, timed_out(self.timeout_s))
        approved = prompt.answer is True
        return self._settle(call, prompt, approved, APPROVED if approved else DENIED)

    def _settle(self, call: dict, prompt: _Prompt, approved: bool, reason: str) -> bool:
        prompt.settle(approved, reason)
        self.decisions.append(Approval(call["function"]["name"], describe_call(call), approved, reason))
        if self.verbose:
            print(f"{'✅' if approved else '⛔'} {describe_call(call)}: {reason}")
        return approved

    async def run(self, request, model, executor, **kwargs):
        """``await approval.run(request, model, executor)``: ``run_agent`` with ``confirm=self``, in a
        worker thread while the cell awaits it, so button clicks can arrive.

        The executor's calls are sent back to the event loop's thread, where the SQLite store was
        opened (a SQLite connection only works in the thread that created it).
        """
        from .agent import run_agent

        on_loop = _OnLoopExecutor(executor, asyncio.get_running_loop())
        return await asyncio.to_thread(functools.partial(run_agent, request, model, on_loop, confirm=self, **kwargs))

    def table(self):
        """The decisions so far as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame([vars(d) for d in self.decisions], columns=["tool", "arguments", "approved", "reason"])


__all__ = ["ApprovalButtons", "Approval", "describe_call", "timed_out", "APPROVED", "DENIED", "UNATTENDED",
           "MAIN_THREAD"]
