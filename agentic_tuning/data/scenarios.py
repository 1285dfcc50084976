"""Generators for each data category. Each returns the conversation after the system prompt.

Every generator draws phrasings from one split's wording pools and values from one split's value
pools (the same split, but for dev, which pairs its own wordings with the test values). A date in
a call is the phrase the request used; ``agentic_tuning.dates`` checks it resolves, from the
example's own "today", to the day it was drawn for. Tool results in multi-turn examples come from
running the real executor on a seeded in-memory task store, which resolves those phrases.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from ..conversations import assistant_calls
from ..dates import format_date, resolve_date, resolve_time, sample_date_phrase, sample_time_phrase
from ..executor import TaskExecutor, TaskStore
from .phrasings import DETAIL_FRAGMENTS, PARALLEL_JOINERS, TEMPLATES, wording_pool
from .summaries import summarize_result
from .vocabulary import CHIT_CHAT, COMMENTS, DESCRIPTIONS, SUBTASKS, TAGS, TITLES

PRIORITIES = ("low", "medium", "high")
# The date forms and ranges of the data before dates moved into code, so that the same seed draws
# the same requests: only the dates in the calls and the system prompt differ.
DATE_KINDS = ("relative_day", "weekday", "in_n", "month_day", "end_of_week", "iso")
MAX_IN_N_DAYS = 7


@dataclass
class Turn:
    """A generated conversation (without system prompt) and what produced it."""

    messages: list[dict]
    category: str
    templates: list[str]
    values: list[str] = field(default_factory=list)


class Context:
    """Random choices for one example dated ``today``: wordings (phrasings, chit-chat) from the
    ``wording_split`` pools, free-text values from the ``value_split`` pools.

    With ``wording_decks`` (one dict shared by every example of a split) each pool of wordings is
    dealt from a shuffled deck, reshuffled when empty, so a split asks every wording of a pool
    about equally often; without, each draw is independent."""

    def __init__(self, rng: random.Random, wording_split: str, value_split: str, today: dt.date,
                 wording_decks: dict[str, list[int]] | None = None):
        self.rng, self.wording_split, self.value_split, self.today = rng, wording_split, value_split, today
        self.wording_decks = wording_decks
        self.values: list[str] = []
        self.known_ids: list[str] = []

    def wording_index(self, pool: str, size: int) -> int:
        """Which of the ``size`` wordings of ``pool`` to use."""
        if self.wording_decks is None:
            return self.rng.randrange(size)
        deck = self.wording_decks.setdefault(pool, [])
        if not deck:
            deck.extend(self.rng.sample(range(size), size))
        return deck.pop()

    def value(self, pool: dict) -> str:
        chosen = self.rng.choice(pool[self.value_split])
        self.values.append(chosen)
        return chosen

    def template(self, intent: str, key: str | None = None) -> tuple[str, str]:
        options = wording_pool(intent, self.wording_split, key)
        suffix = f"{key}/" if key else ""
        index = self.wording_index(f"{intent}/{suffix}", len(options))
        return options[index], f"{intent}/{suffix}{self.wording_split}/{index}"

    def date(self, bare: bool = False) -> tuple[str, str]:
        """A date phrase as the user says it and as the call carries it (without a leading by/on:
        the executor resolves it); ``bare`` drops the by/on from the user's words too."""
        while True:
            phrase, day = sample_date_phrase(self.rng, self.today, DATE_KINDS)
            if not (phrase.startswith("in ") and (day - self.today).days > MAX_IN_N_DAYS):
                break
        argument = phrase.removeprefix("by ").removeprefix("on ")
        assert resolve_date(argument, self.today) == day
        return (argument if bare else phrase), argument

    def reminder_time(self) -> tuple[str, str, str]:
        """Date phrase, time phrase and the call's "<date> at <time>" (the executor resolves it)."""
        date_phrase, _ = self.date(bare=True)
        time_phrase, (hour, minute) = sample_time_phrase(self.rng)
        assert resolve_time(time_phrase) == (hour, minute)
        return date_phrase, time_phrase, f"{date_phrase} at {time_phrase}"

    def task_id(self) -> tuple[str, str]:
        """How the user names a task id, and the id itself (one of ``known_ids`` when set)."""
        number = int(self.rng.choice(self.known_ids)[5:]) if self.known_ids else self.rng.randint(1, 999)
        spoken = self.rng.choices([f"task_{number}", f"task {number}", f"task #{number}"], [6, 3, 1])[0]
        return spoken, f"task_{number}"

    def priority(self) -> str:
        return self.rng.choice(PRIORITIES)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def topic(title: str) -> str:
    """The words a user would search for: the title without its verb and article."""
    words = title.split()[1:]
    while words and words[0].lower() in {"the", "a", "an", "my"}:
        words = words[1:]
    return " ".join(words)


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def assistant_text(text: str) -> dict:
    return {"role": "assistant", "content": text}


# ---- single calls -------------------------------------------------------------------------


def create_request(ctx: Context) -> tuple[str, dict, str]:
    """A create_task request with a random subset of optional details."""
    title = ctx.value(TITLES)
    args: dict = {"title": capitalize(title)}
    with_priority = ctx.rng.random() < 0.3
    template, template_id = ctx.template("create_with_priority" if with_priority else "create")
    slots = {"title": title, "Title": capitalize(title)}
    if with_priority:
        slots["priority"] = args["priority"] = ctx.priority()
    details = []
    if ctx.rng.random() < 0.6:
        phrase, args["due_date"] = ctx.date()
        fragment = " " + phrase if phrase.startswith(("by ", "on ")) else ctx.rng.choice(DETAIL_FRAGMENTS["date"])
        details.append(fragment.format(date=phrase))
    if not with_priority and ctx.rng.random() < 0.4:
        args["priority"] = ctx.priority()
        details.append(ctx.rng.choice(DETAIL_FRAGMENTS["priority"]).format(priority=args["priority"]))
    if ctx.rng.random() < 0.25:
        tag, tag2 = ctx.value(TAGS), ctx.value(TAGS)
        if tag2 != tag and ctx.rng.random() < 0.3:
            args["tags"] = [tag, tag2]
            details.append(ctx.rng.choice(DETAIL_FRAGMENTS["two_tags"]).format(tag=tag, tag2=tag2))
        else:
            args["tags"] = [tag]
            details.append(ctx.rng.choice(DETAIL_FRAGMENTS["tags"]).format(tag=tag))
    ctx.rng.shuffle(details)
    if ctx.rng.random() < 0.15:
        args["description"] = capitalize(ctx.value(DESCRIPTIONS))
        details.append(ctx.rng.choice(DETAIL_FRAGMENTS["description"]).format(description=args["description"]))
    request = template.format(details="".join(details), **slots)
    return request, {"name": "create_task", "arguments": args}, template_id


def list_request(ctx: Context) -> tuple[str, dict, str]:
    tagged = ctx.rng.random() < 0.3
    intent = "list_tagged" if tagged else "list"
    filter_name = ctx.rng.choice(list(TEMPLATES[intent][ctx.wording_split]))
    template, template_id = ctx.template(intent, filter_name)
    args = {"filter": filter_name}
    if tagged:
        args["tag"] = ctx.value(TAGS)
    return template.format(tag=args.get("tag", "")), {"name": "list_tasks", "arguments": args}, template_id


def search_request(ctx: Context) -> tuple[str, dict, str]:
    query = topic(ctx.value(TITLES))
    template, template_id = ctx.template("search")
    return template.format(query=query), {"name": "search_tasks", "arguments": {"query": query}}, template_id


def update_request(ctx: Context) -> tuple[str, dict, str]:
    spoken, task_id = ctx.task_id()
    field_name = ctx.rng.choice(["status", "status", "priority", "due_date", "title"])
    args = {"task_id": task_id}
    if field_name == "status":
        status = ctx.rng.choices(["done", "in_progress", "todo"], [5, 3, 1])[0]
        template, template_id = ctx.template("update_status", status)
        args["status"] = status
        return capitalize(template.format(id=spoken)), {"name": "update_task", "arguments": args}, template_id
    template, template_id = ctx.template(f"update_{field_name}")
    slots = {"id": spoken}
    if field_name == "priority":
        slots["priority"] = args["priority"] = ctx.priority()
    elif field_name == "due_date":
        slots["date"], args["due_date"] = ctx.date(bare=True)
    else:
        title = ctx.value(TITLES)
        slots["Title"] = args["title"] = capitalize(title)
    return capitalize(template.format(**slots)), {"name": "update_task", "arguments": args}, template_id


def delete_request(ctx: Context) -> tuple[str, dict, str]:
    spoken, task_id = ctx.task_id()
    template, template_id = ctx.template("delete")
    return template.format(id=spoken), {"name": "delete_task", "arguments": {"task_id": task_id}}, template_id


def delete_all_request(ctx: Context) -> tuple[str, dict, str]:
    scope = ctx.rng.choice(["completed", "completed", "all"])
    template, template_id = ctx.template("delete_all", scope)
    return template, {"name": "delete_all_tasks", "arguments": {"scope": scope}}, template_id


def subtask_request(ctx: Context) -> tuple[str, dict, str]:
    spoken, task_id = ctx.task_id()
    sub = ctx.value(SUBTASKS)
    template, template_id = ctx.template("add_subtask")
    call = {"name": "add_subtask", "arguments": {"task_id": task_id, "title": capitalize(sub)}}
    return template.format(id=spoken, sub=sub), call, template_id


def comment_request(ctx: Context) -> tuple[str, dict, str]:
    spoken, task_id = ctx.task_id()
    text = ctx.value(COMMENTS)
    template, template_id = ctx.template("add_comment")
    call = {"name": "add_comment", "arguments": {"task_id": task_id, "text": capitalize(text)}}
    return template.format(id=spoken, text=text), call, template_id


def reminder_request(ctx: Context) -> tuple[str, dict, str]:
    spoken, task_id = ctx.task_id()
    date_phrase, time_phrase, remind_at = ctx.reminder_time()
    template, template_id = ctx.template("set_reminder")
    call = {"name": "set_reminder", "arguments": {"task_id": task_id, "remind_at": remind_at}}
    return template.format(id=spoken, date=date_phrase, time=time_phrase), call, template_id


SINGLE_REQUESTS = {
    "create_task": create_request,
    "list_tasks": list_request,
    "search_tasks": search_request,
    "update_task": update_request,
    "delete_task": delete_request,
    "delete_all_tasks": delete_all_request,
    "add_subtask": subtask_request,
    "add_comment": comment_request,
    "set_reminder": reminder_request,
}


def as_turn(ctx: Context, category: str, request: str, calls: list[dict], templates: list[str]) -> Turn:
    reference = assistant_calls([(c["name"], c["arguments"]) for c in calls])
    return Turn([user(request), reference], category, templates, ctx.values)


def single(ctx: Context) -> Turn:
    tool = ctx.rng.choice(list(SINGLE_REQUESTS))
    request, call, template_id = SINGLE_REQUESTS[tool](ctx)
    return as_turn(ctx, "single", request, [call], [template_id])


def parallel(ctx: Context) -> Turn:
    """Two independent calls asked for in one request."""
    first, second = ctx.rng.sample(
        ["create_task", "update_task", "add_comment", "set_reminder", "delete_task", "add_subtask", "list_tasks"], 2
    )
    request_a, call_a, template_a = SINGLE_REQUESTS[first](ctx)
    request_b, call_b, template_b = SINGLE_REQUESTS[second](ctx)
    joiner = ctx.rng.choice(PARALLEL_JOINERS)
    tail = capitalize(request_b) if joiner.startswith(".") else request_b[:1].lower() + request_b[1:]
    request = request_a.rstrip("?.!") + joiner + tail
    return as_turn(ctx, "parallel", request, [call_a, call_b], [template_a, template_b])


# ---- replies without a tool call ----------------------------------------------------------


def no_tool(ctx: Context) -> Turn:
    pool = CHIT_CHAT[ctx.wording_split]
    index = ctx.wording_index("chit_chat", len(pool))
    prompt, reply = pool[index]
    ctx.values.append(prompt)
    return Turn([user(prompt), assistant_text(reply)], "no_tool", [f"chit_chat/{ctx.wording_split}/{index}"],
                ctx.values)


def clarification(ctx: Context) -> Turn:
    """A required argument is missing: the reference asks for it instead of guessing."""
    options = TEMPLATES["clarify"][ctx.wording_split]
    index = ctx.wording_index("clarify", len(options))
    request, question = options[index]
    spoken, _ = ctx.task_id()
    messages = [user(request.format(id=spoken)), assistant_text(question.format(id=spoken))]
    return Turn(messages, "clarification", [f"clarify/{ctx.wording_split}/{index}"], ctx.values)


# ---- multi-turn ---------------------------------------------------------------------------


def seeded_store(ctx: Context, titles: list[str]) -> TaskStore:
    store = TaskStore(":memory:", today=ctx.today, first_task_id=ctx.rng.randint(2, 400))
    for title in titles:
        due = format_date(ctx.today + dt.timedelta(days=ctx.rng.randint(-3, 10)))
        store.add_task(capitalize(title), due_date=due, priority=ctx.priority())
    return store


def tool_message(call_id: str, result: dict) -> dict:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(result, ensure_ascii=False)}


def compact_tasks(result: dict) -> dict:
    """Executor results with only the task fields a model needs, to keep prompts short."""
    keep = ("id", "title", "due_date", "priority", "status")
    value = result.get("result")
    if isinstance(value, list):
        return {"ok": True, "result": [{k: task[k] for k in keep} for task in value]}
    if isinstance(value, dict) and "created_at" in value:
        return {"ok": True, "result": {k: value[k] for k in keep}}
    return result


def action_on(ctx: Context, key: str, intent: str, slots: dict, task_id: str) -> tuple[str, dict, str]:
    """A request about one task (named by ``slots``) and the call that performs it."""
    template, template_id = ctx.template(intent, key)
    args: dict = {"task_id": task_id}
    name = "update_task"
    if key == "done":
        args["status"] = "done"
    elif key == "priority":
        slots["priority"] = args["priority"] = ctx.priority()
    elif key == "due_date":
        slots["date"], args["due_date"] = ctx.date(bare=True)
    elif key == "delete":
        name = "delete_task"
    elif key == "comment":
        name, text = "add_comment", ctx.value(COMMENTS)
        slots["text"], args["text"] = text, capitalize(text)
    elif key == "reminder":
        name = "set_reminder"
        slots["date"], slots["time"], args["remind_at"] = ctx.reminder_time()
    return capitalize(template.format(**slots)), {"name": name, "arguments": args}, template_id


def by_name(ctx: Context) -> Turn:
    """ "Mark the budget review task as done": search first, then act on the returned id."""
    title = ctx.value(TITLES)
    others = [t for t in ctx.rng.sample(TITLES[ctx.value_split], 3) if t != title][:2]
    store = seeded_store(ctx, [title, *others])
    target = next(t for t in store.all_tasks() if t["title"] == capitalize(title))
    query = topic(title)
    key = ctx.rng.choice(list(TEMPLATES["by_name"][ctx.wording_split]))
    request, action, template_id = action_on(ctx, key, "by_name", {"ref": f"the {query} task"}, target["id"])
    search = assistant_calls([("search_tasks", {"query": query})])
    if ctx.rng.random() < 0.4:
        return Turn([user(request), search], "multi_turn", [template_id], ctx.values)
    result = compact_tasks(TaskExecutor(store).execute("search_tasks", {"query": query}))
    messages = [user(request), search, tool_message("call_0", result),
                assistant_calls([(action["name"], action["arguments"])], first_id=1)]
    return Turn(messages, "multi_turn", [template_id], ctx.values)


def follow_up(ctx: Context) -> Turn:
    """ "Make it high priority" after a create_task result: act on the id the tool returned."""
    request, create, create_template = create_request(ctx)
    store = seeded_store(ctx, [])
    result = compact_tasks(TaskExecutor(store).execute("create_task", create["arguments"]))
    key = ctx.rng.choice(list(TEMPLATES["follow_up"][ctx.wording_split]))
    follow, action, template_id = action_on(ctx, key, "follow_up", {}, result["result"]["id"])
    messages = [
        user(request),
        assistant_calls([("create_task", create["arguments"])]),
        tool_message("call_0", result),
        assistant_text(summarize_result("create_task", create["arguments"], result)),
        user(follow),
        assistant_calls([(action["name"], action["arguments"])], first_id=1),
    ]
    return Turn(messages, "multi_turn", [create_template, template_id], ctx.values)


def final_answer(ctx: Context) -> Turn:
    """After the tool result, the reference is a short answer in words, not another call."""
    store = seeded_store(ctx, ctx.rng.sample(TITLES[ctx.value_split], ctx.rng.randint(1, 4)))
    if ctx.rng.random() < 0.8:
        ctx.known_ids = [task["id"] for task in store.all_tasks()]
    tool = ctx.rng.choice(list(SINGLE_REQUESTS))
    request, call, template_id = SINGLE_REQUESTS[tool](ctx)
    result = compact_tasks(TaskExecutor(store).execute(call["name"], call["arguments"]))
    messages = [
        user(request),
        assistant_calls([(call["name"], call["arguments"])]),
        tool_message("call_0", result),
        assistant_text(summarize_result(call["name"], call["arguments"], result)),
    ]
    return Turn(messages, "final_answer", [template_id], ctx.values)


CATEGORIES = {
    "single": (single, 0.42),
    "parallel": (parallel, 0.10),
    "no_tool": (no_tool, 0.10),
    "clarification": (clarification, 0.08),
    "multi_turn": (lambda ctx: (by_name if ctx.rng.random() < 0.6 else follow_up)(ctx), 0.20),
    "final_answer": (final_answer, 0.10),
}
"""Each category's generator and its share of the valid, dev and test splits."""

TRAIN_SHARES = {
    "single": 0.38,
    "parallel": 0.10,
    "no_tool": 0.12,
    "clarification": 0.12,
    "multi_turn": 0.20,
    "final_answer": 0.08,
}
"""The train split's mix. Deciding *not* to call a tool (chit-chat, a missing argument) is the
hardest habit for a small model, so it gets more examples than its share of the test split;
answers after a tool result are easy and get fewer."""


def split_shares(split: str) -> dict[str, float]:
    return TRAIN_SHARES if split == "train" else {name: share for name, (_, share) in CATEGORIES.items()}
