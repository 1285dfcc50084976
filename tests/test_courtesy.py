from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.courtesy import COURTESY_PHRASES, add_courtesy
from agentic_tuning.paths import DATA_DIR


def _calls_and_requests(example):
    messages = example["messages"]
    return [(message["content"], answer) for message, answer in zip(messages, messages[1:])
            if message["role"] == "user" and answer.get("tool_calls")]


def test_add_courtesy_appends_a_phrase_to_requests_a_call_answers_and_nothing_else():
    examples = read_jsonl(DATA_DIR / "train.jsonl")[:300]
    polite, changed = add_courtesy(examples, rate=0.5)
    assert 0 < changed and polite == add_courtesy(examples, rate=0.5)[0]
    seen = 0
    for before, after in zip(examples, polite):
        assert len(before["messages"]) == len(after["messages"])
        for old, new in zip(before["messages"], after["messages"]):
            if old == new:
                continue
            assert old["role"] == "user" and not old["content"].endswith(("?", ".", "!"))
            assert any(new["content"] == old["content"] + phrase for phrase in COURTESY_PHRASES)
            seen += 1
        assert [answer for _, answer in _calls_and_requests(before)] == [answer for _, answer in _calls_and_requests(after)]
    assert seen == changed


def test_add_courtesy_at_rate_zero_changes_nothing():
    examples = read_jsonl(DATA_DIR / "train.jsonl")[:50]
    assert add_courtesy(examples, rate=0.0) == (examples, 0)


def test_no_courtesy_phrase_ends_a_request_of_a_scored_split():
    for split in ("dev", "dev_wide", "test"):
        for example in read_jsonl(DATA_DIR / f"{split}.jsonl"):
            for request, _ in _calls_and_requests(example):
                assert not request.endswith(tuple(COURTESY_PHRASES)), (split, request)


def test_add_courtesy_on_every_request_reaches_the_ones_answered_without_a_call():
    examples = read_jsonl(DATA_DIR / "train.jsonl")[:300]
    polite, _ = add_courtesy(examples, rate=1.0, calls_only=False)
    answered_in_words = [
        (old["content"], new["content"]) for before, after in zip(examples, polite)
        for old, new, answer in zip(before["messages"], after["messages"], before["messages"][1:])
        if old["role"] == "user" and not answer.get("tool_calls") and old["content"][-1:].isalnum()]
    assert answered_in_words and all(new != old for old, new in answered_in_words)


def test_add_courtesy_for_some_tools_leaves_the_other_requests_alone():
    examples = read_jsonl(DATA_DIR / "train.jsonl")[:300]
    polite, changed = add_courtesy(examples, rate=1.0, tools={"create_task"})
    assert changed > 0
    for before, after in zip(examples, polite):
        for old, new, answer in zip(before["messages"], after["messages"], before["messages"][1:]):
            if old != new:
                assert "create_task" in {call["function"]["name"] for call in answer.get("tool_calls") or []}
