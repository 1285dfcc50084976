"""Where a model's loss sits: the tokens where the assistant decides what to do against the rest.

Decision tokens (``chat_template.decision_tokens``) are the first token of each assistant turn
(call a tool or answer in words) and the tokens of each tool name. A model can copy argument
values and close its JSON well and still pick the wrong tool; this splits the loss of the
trained tokens between the two kinds so you can see which one it has not learned.

``python -m agentic_tuning.token_loss --model adapters/smollm2-135m-tool-calling`` writes
results/token_loss.json (validation split by default).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .chat_template import decision_tokens, tokenize_for_training
from .conversations import read_jsonl
from .paths import DATA_DIR, RESULTS_DIR
from .provenance import describe_file, git_commit

KINDS = ("decision", "other")


def example_token_losses(model, tokenizer, example: dict) -> list[tuple[bool, float]]:
    """``(is_decision_token, loss)`` for every trained token of one conversation."""
    import torch
    import torch.nn.functional as F

    row = tokenize_for_training(tokenizer, example["messages"], example.get("tools"))
    decisions = decision_tokens(tokenizer, example["messages"], example.get("tools"), row)
    device = next(model.parameters()).device
    ids = torch.tensor([row["input_ids"]], device=device)
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0, :-1].float()
    targets = torch.tensor(row["labels"][1:], device=device)
    losses = F.cross_entropy(logits, targets, ignore_index=-100, reduction="none").tolist()
    return [(decisions[i + 1], loss) for i, loss in enumerate(losses) if row["labels"][i + 1] != -100]


def loss_by_kind(token_losses: list[tuple[bool, float]]) -> dict:
    """Tokens, mean loss and share of the total loss for decision tokens and the others."""
    total = sum(loss for _, loss in token_losses)
    summary = {}
    for kind in KINDS:
        losses = [loss for decision, loss in token_losses if decision == (kind == "decision")]
        summary[kind] = {
            "tokens": len(losses),
            "mean_loss": round(sum(losses) / len(losses), 4) if losses else None,
            "share_of_tokens": round(len(losses) / len(token_losses), 4) if token_losses else None,
            "share_of_loss": round(sum(losses) / total, 4) if total else None,
        }
    return summary


def main(argv=None) -> None:
    from tqdm.auto import tqdm

    from .models import load_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="embedded, a model folder or a LoRA adapter folder")
    parser.add_argument("--data", default=str(DATA_DIR / "valid.jsonl"))
    parser.add_argument("--limit", type=int, help="only the first N conversations")
    parser.add_argument("--out", default=str(RESULTS_DIR / "token_loss.json"))
    args = parser.parse_args(argv)
    loaded = load_model(args.model)
    examples = read_jsonl(args.data)[: args.limit]
    token_losses = [pair for example in tqdm(examples, desc="scoring")
                    for pair in example_token_losses(loaded.model, loaded.tokenizer, example)]
    result = {"model": args.model, "data": describe_file(args.data), "git_commit": git_commit(),
              "n_conversations": len(examples), **loss_by_kind(token_losses)}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    for kind in KINDS:
        row = result[kind]
        print(f"{kind}: {row['tokens']} tokens ({100 * row['share_of_tokens']:.1f}%), mean loss {row['mean_loss']}, "
              f"{100 * row['share_of_loss']:.1f}% of the loss")


if __name__ == "__main__":
    main()
