import datetime as dt
import random
import re
from collections import Counter

import pytest

from agentic_tuning.conversations import read_jsonl, reference_calls
from agentic_tuning.data import SPLIT_SIZES, build_dataset, build_split, today_pools
from agentic_tuning.data.phrasings import TEMPLATES
from agentic_tuning.data.scenarios import CATEGORIES, Context, split_shares, topic
from agentic_tuning.data.stats import dataset_stats
from agentic_tuning.data.vocabulary import CHIT_CHAT, SYSTEM_INSTRUCTIONS, TITLES
from agentic_tuning.dates import DATE_ARGUMENT_RESOLVERS, format_date, parse_today_line
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.tools import validate_arguments


@pytest.fixture(scope="module")
def small():
    return build_dataset(seed=3, sizes={"train": 600, "valid": 20, "dev": 150, "dev_wide": 150, "test": 150})


def test_every_call_in_every_conversation_is_schema_valid(small):
    for split in small.values():
        for example in split:
            for message in example["messages"]:
                for call in reference_calls(message):
                    assert validate_arguments(call["name"], call["arguments"], example["tools"]) == []


def test_reference_turn_shape(small):
    for example in small["train"]:
        last = example["messages"][-1]
        assert last["role"] == "assistant"
        if last.get("tool_calls"):
            assert last["content"] is None
            for i, call in enumerate(last["tool_calls"]):
                assert call["type"] == "function" and call["id"].startswith("call_")
                assert isinstance(call["function"]["arguments"], str)
        else:
            assert isinstance(last["content"], str) and last["content"]


def test_tool_results_answer_the_call_before_them(small):
    for example in small["train"]:
        messages = example["messages"]
        for i, message in enumerate(messages):
            if message["role"] == "tool":
                previous_ids = {c["id"] for c in messages[i - 1].get("tool_calls") or []}
                assert message["tool_call_id"] in previous_ids


def test_system_prompt_states_the_date_of_the_example(small):
    for example in small["test"]:
        system = example["messages"][0]
        assert system["role"] == "system"
        assert parse_today_line(system["content"]) == dt.date.fromisoformat(example["today"])


def test_test_split_holds_out_phrasings_values_and_dates(small):
    overlap = dataset_stats(small, seed=3)["train_test_overlap"]
    assert overlap == {"phrasing_templates": 0, "user_requests": 0, "free_text_values": 0, "today_dates": 0}
    pools = today_pools(3)
    assert not set(pools["train"]) & set(pools["test"])


@pytest.mark.parametrize("split", ["train", "dev", "dev_wide", "test"])
def test_category_shares_follow_their_targets(small, split):
    shares = dataset_stats(small, seed=3)["splits"][split]["category_shares"]
    for name, target in split_shares(split).items():
        assert shares[name] == pytest.approx(target, abs=1 / len(small[split]))


@pytest.mark.parametrize("dev", ["dev", "dev_wide"])
def test_dev_splits_have_wordings_of_their_own_and_the_test_values(small, dev):
    stats = dataset_stats(small, seed=3)
    assert stats[f"train_{dev}_overlap"] == {"phrasing_templates": 0, "user_requests": 0, "free_text_values": 0,
                                             "today_dates": 0}
    assert stats[f"{dev}_test_overlap"]["phrasing_templates"] == stats[f"{dev}_test_overlap"]["user_requests"] == 0
    assert {e["today"] for e in small[dev]} <= {format_date(day) for day in today_pools(3)["test"]}
    titles = {value for e in small[dev] for value in e["values"]} & (set(TITLES["train"]) | set(TITLES["test"]))
    assert titles and titles <= set(TITLES["test"])


def test_the_wide_dev_split_asks_more_wordings_than_dev_and_none_of_its_wordings(small):
    stats = dataset_stats(small, seed=3)
    assert stats["dev_dev_wide_overlap"]["phrasing_templates"] == stats["dev_dev_wide_overlap"]["user_requests"] == 0
    assert stats["splits"]["dev_wide"]["n_templates"] > 2 * stats["splits"]["dev"]["n_templates"]


def test_wording_decks_deal_every_wording_before_repeating_one():
    decks = {}
    ctx = Context(random.Random(0), "dev_wide", "test", dt.date(2026, 1, 1), decks)
    counts = Counter(ctx.wording_index("pool", 4) for _ in range(10))
    assert sorted(counts) == [0, 1, 2, 3] and max(counts.values()) - min(counts.values()) <= 1
    independent = Context(random.Random(0), "dev", "test", dt.date(2026, 1, 1))
    reference = random.Random(0)
    assert [independent.wording_index("pool", 4) for _ in range(10)] == [reference.randrange(4) for _ in range(10)]


def test_the_wide_dev_split_asks_the_wordings_of_each_pool_equally_often(small):
    uses = Counter(t for e in small["dev_wide"] for t in e["templates"])
    by_pool: dict[str, list[int]] = {}
    for template_id, count in uses.items():
        by_pool.setdefault(template_id.rsplit("/", 1)[0], []).append(count)
    assert all(max(counts) - min(counts) <= 1 for counts in by_pool.values())
    dev_uses = Counter(t for e in small["dev"] for t in e["templates"])
    assert max(uses.values()) < max(dev_uses.values())


def wordings(pool: dict | list) -> list[str]:
    """The texts of a (possibly nested) pool of templates or (request, reply) pairs."""
    if isinstance(pool, dict):
        return [text for options in pool.values() for text in wordings(options)]
    return [option[0] if isinstance(option, tuple) else option for option in pool]


@pytest.mark.parametrize("first, second", [("train", "dev"), ("train", "test"), ("dev", "test"), ("train", "dev_wide"),
                                           ("dev", "dev_wide"), ("dev_wide", "test")])
def test_no_wording_text_is_in_two_pools(first, second):
    """Template ids differ by construction; this compares the words themselves."""
    pools = [*TEMPLATES.values(), CHIT_CHAT, SYSTEM_INSTRUCTIONS]
    shared = {text for pool in pools for text in wordings(pool[first])} & \
        {text for pool in pools for text in wordings(pool[second])}
    assert not shared


def test_train_mix_weights_up_not_calling_a_tool():
    train, test = split_shares("train"), split_shares("test")
    assert set(train) == set(test) == set(CATEGORIES)
    assert sum(train.values()) == pytest.approx(1.0)
    assert train["clarification"] > test["clarification"] and train["no_tool"] > test["no_tool"]


def test_every_tool_is_covered(small, tools):
    names = {call["name"] for e in small["train"] for call in reference_calls(e["messages"][-1])}
    assert names == {t["function"]["name"] for t in tools}


def test_build_is_deterministic():
    assert build_split("valid", 30, seed=5) == build_split("valid", 30, seed=5)
    assert build_split("valid", 30, seed=5) != build_split("valid", 30, seed=6)


def test_date_arguments_are_the_users_words_and_resolve_to_the_right_day(small):
    """A request saying "tomorrow" carries "tomorrow", which the executor stores as today + 1."""
    checked = 0
    for example in small["train"]:
        today = dt.date.fromisoformat(example["today"])
        request = [message for message in example["messages"] if message["role"] == "user"][-1]["content"]
        calls = reference_calls(example["messages"][-1])
        if len(calls) == 1 and re.search(r"(?<!after )\btomorrow\b", request) and "due_date" in calls[0]["arguments"]:
            due_date = calls[0]["arguments"]["due_date"]
            assert due_date == "tomorrow"
            assert DATE_ARGUMENT_RESOLVERS["date-phrase"](due_date, today) == (today + dt.timedelta(1)).isoformat()
            checked += 1
    assert checked > 0


def test_topic_drops_the_verb_and_article():
    assert topic("review the Q4 budget") == "Q4 budget"
    assert topic("call mom") == "mom"


def test_committed_splits_match_a_fresh_build():
    """data/*.jsonl must be what `python -m agentic_tuning.data` writes (seed 0)."""
    fresh = build_dataset(seed=0)
    for split, size in SPLIT_SIZES.items():
        committed = read_jsonl(DATA_DIR / f"{split}.jsonl")
        assert len(committed) == size
        assert committed == fresh[split], f"data/{split}.jsonl is stale: run python -m agentic_tuning.data"
