from agentic_tuning.conversations import assistant_calls
from agentic_tuning.data.leakage import (
    free_text_values,
    leakage_report,
    nearest_train_requests,
    normalize,
    today_dates,
    user_requests,
)


def example(tools, request, calls, today="2026-03-02"):
    return {"messages": [{"role": "system", "content": f"Today is Monday, {today}. Be brief."},
                         {"role": "user", "content": request}, assistant_calls(calls)], "tools": tools}


def test_normalize_ignores_case_spacing_and_punctuation():
    assert normalize("Add a  task: Review the Q4 budget!") == "add a task review the q4 budget"


def test_free_text_values_skip_enums_ids_and_dates(tools):
    ex = example(tools, "x", [("create_task", {"title": "Pay Rent", "priority": "high", "due_date": "2026-03-05",
                                                 "tags": ["Home", "money"]}),
                               ("add_comment", {"task_id": "task_3", "text": "done!"})])
    assert free_text_values([ex]) == {"pay rent", "home", "money", "done"}


def test_today_dates_come_from_the_system_prompt(tools):
    assert today_dates([example(tools, "x", [], today="2027-01-09")]) == {"2027-01-09"}


def test_report_counts_shared_requests_values_and_dates(tools):
    train = [example(tools, "Create a task: pay rent", [("create_task", {"title": "pay rent"})])]
    copy = [example(tools, "create a task pay rent!", [("create_task", {"title": "Pay rent"})])]
    fresh = [example(tools, "New task to walk the dog", [("create_task", {"title": "walk the dog"})],
                     today="2026-05-01")]
    assert leakage_report(train, copy) == {"shared_user_requests": 1, "shared_free_text_values": 1,
                                           "shared_today_dates": 1}
    assert set(leakage_report(train, fresh).values()) == {0}
    assert user_requests(copy) == {"create a task pay rent"}


def test_nearest_train_requests_finds_near_duplicates(tools):
    train = [example(tools, r, []) for r in ("list my overdue tasks", "what is due today")]
    test = [example(tools, r, []) for r in ("list my overdue tasks please", "hello there")]
    nearest = nearest_train_requests(train, test)
    assert list(nearest.test_request) == ["list my overdue tasks please", "hello there"]
    assert nearest.loc[0, "nearest_train_request"] == "list my overdue tasks"
    assert nearest.loc[0, "jaccard"] == 0.8
    assert nearest.loc[1, "jaccard"] == 0.0
