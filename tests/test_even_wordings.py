import random
from collections import Counter

import pytest

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.even_wordings import category_counts, main, select_even_wordings, spread, times_asked
from agentic_tuning.paths import DATA_DIR


def _example(category: str, *templates: str, line: int = 0) -> dict:
    return {"category": category, "templates": list(templates), "line": line}


def test_category_counts_follow_the_shares_and_add_up():
    examples = [_example("single")] * 6 + [_example("parallel")] * 3 + [_example("no_tool")]
    assert category_counts(examples, 10) == {"single": 6, "parallel": 3, "no_tool": 1}
    counts = category_counts(examples, 7)
    assert sum(counts.values()) == 7 and counts["single"] == 4 and counts["parallel"] == 2


def test_a_rare_wording_is_asked_as_often_as_a_common_one():
    examples = [_example("single", "common", line=i) for i in range(10)] + [_example("single", "rare", line=10),
                                                                              _example("single", "rare", line=11)]
    for seed in range(5):
        chosen = select_even_wordings(examples, 4, seed)
        assert Counter(example["templates"][0] for example in chosen) == {"common": 2, "rare": 2}
        assert len({example["line"] for example in chosen}) == 4, "no example is chosen twice"


def test_the_train_split_copy_asks_every_wording_with_the_split_s_mix():
    examples = read_jsonl(DATA_DIR / "train.jsonl")
    chosen = select_even_wordings(examples, 880, seed=0)
    asked = times_asked(chosen, examples)
    assert min(asked.values()) > 0, "every wording of the split is asked"
    drawn = times_asked(random.Random(0).sample(examples, 880), examples)
    assert max(asked.values()) - min(asked.values()) < max(drawn.values()) - min(drawn.values())
    assert Counter(example["category"] for example in chosen) == Counter(category_counts(examples, 880))
    assert chosen == select_even_wordings(examples, 880, seed=0)


@pytest.mark.parametrize("n", [0, 13])
def test_more_examples_than_the_split_has_or_none_are_refused(n):
    with pytest.raises(ValueError, match="choose between 1 and 12"):
        select_even_wordings([_example("single", "a")] * 12, n)


def test_the_command_writes_the_chosen_examples(tmp_path, capsys):
    out = tmp_path / "even.jsonl"
    main(["--examples", "30", "--out", str(out)])
    assert len(read_jsonl(out)) == 30
    printed = capsys.readouterr().out
    assert "in 30 examples; written to" in printed and "in a uniform draw of as many (random.Random(0).sample)" in printed


def test_the_spread_counts_wordings_never_asked():
    examples = [_example("single", "a"), _example("single", "b"), _example("single", "c")]
    asked = times_asked([examples[0], examples[0], examples[1]], examples)
    assert asked == {"a": 2, "b": 1, "c": 0}
    assert spread(asked) == "each asked 0 to 2 times, 1 never and 1 once"
