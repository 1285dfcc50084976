"""Latency of the tuned embedded model per request, in-process and through the endpoint.

    .venv/bin/python benchmarks/latency.py [--requests 24] [--endpoint URL --served-model NAME | --no-endpoint]

Writes results/latency.json and results/latency.png. Configurations: the merged model with and
without reusing the shared tool-schema prefix's KV cache, the adapter applied unmerged, and the
same requests through the OpenAI-compatible server: by default the benchmark exports the adapter
and starts ``agentic_tuning.serve`` on a free port itself; ``--endpoint`` times a server you run.
"""

import argparse
import datetime as dt
import json
import platform

import matplotlib.pyplot as plt
import torch

from agentic_tuning.benchmark import REFERENCE_ADAPTER
from agentic_tuning.conversations import read_jsonl
from agentic_tuning.generation import ChatGenerator
from agentic_tuning.latency import SEED_CLAIM, time_endpoint, time_in_process
from agentic_tuning.models import load_model
from agentic_tuning.paths import DATA_DIR, RESULTS_DIR
from agentic_tuning.provenance import git_commit
from agentic_tuning.report import latency_table
from agentic_tuning.serve import model_name, running_server, servable_dir


def in_process_configs(adapter: str, examples: list[dict]) -> dict:
    merged = load_model(adapter, merge_adapter=True)
    unmerged = load_model(adapter, merge_adapter=False)
    configs = {
        "merged + prefix cache": ChatGenerator(merged.model, merged.tokenizer, reuse_prefix=True),
        "merged, no prefix cache": ChatGenerator(merged.model, merged.tokenizer, reuse_prefix=False),
        "unmerged adapter + prefix cache": ChatGenerator(unmerged.model, unmerged.tokenizer, reuse_prefix=True),
    }
    return {name: time_in_process(gen, examples, label=name) for name, gen in configs.items()}


def plot(results: dict, path) -> None:
    names = list(results["configurations"])
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for offset, (key, label) in enumerate([("first_token_s", "time to first token"), ("total_s", "total")]):
        for stat, alpha in (("p50", 1.0), ("p95", 0.45)):
            values = [results["configurations"][n][key][stat] or 0 for n in names]
            positions = [i + (offset - 0.5) * 0.4 for i in range(len(names))]
            ax.barh(positions, values, height=0.38, alpha=alpha, color=["#2a7ab9", "#e08a2c"][offset],
                    label=f"{label} {stat}")
    low, high = SEED_CLAIM["p95_s"]
    ax.axvspan(low, high, color="green", alpha=0.12, label="seed's claim: p95 300-500 ms")
    ax.set_yticks(range(len(names)), names)
    ax.set(xscale="log", xlabel="seconds per request (log)", title="Tuned SmolLM2-135M on this CPU")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", default=str(REFERENCE_ADAPTER))
    parser.add_argument("--requests", type=int, default=24)
    parser.add_argument("--endpoint", help="base URL of a running OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--served-model", help="model name on --endpoint")
    parser.add_argument("--no-endpoint", action="store_true", help="in-process configurations only")
    args = parser.parse_args()
    examples = read_jsonl(DATA_DIR / "test.jsonl")[: args.requests]
    configurations = in_process_configs(args.adapter, examples)
    if args.endpoint:
        configurations["through the endpoint"] = time_endpoint(args.endpoint, args.served_model, examples)
    elif not args.no_endpoint:
        with running_server(servable_dir(args.adapter)) as base_url:
            configurations["through the endpoint"] = time_endpoint(base_url, model_name(args.adapter), examples)
    results = {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "adapter": args.adapter,
        "requests": f"first {len(examples)} conversations of data/test.jsonl",
        "machine": {"processor": platform.processor() or platform.machine(), "torch_threads": torch.get_num_threads(),
                    "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None},
        "seed_claim": SEED_CLAIM,
        "configurations": configurations,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "latency.json").write_text(json.dumps(results, indent=1) + "\n")
    plot(results, RESULTS_DIR / "latency.png")
    print("\n".join(latency_table(results)))


if __name__ == "__main__":
    main()
