"""The command line of the modules that copy a built split with one change (``reword``, ``request_order``,
``courtesy``, ``detail_pairs``, ``even_values``, ``described_tools``) or a chosen part of it (``even_wordings``,
``single_call_tools``): read ``--data``, change it, write ``--out``, say how much changed."""

from __future__ import annotations

import argparse
from typing import Callable

from ..conversations import read_jsonl, write_jsonl


def copy_split_main(argv, description: str, change: Callable[[list[dict], argparse.Namespace], tuple[list[dict], int]],
                    changed_what: str, add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None) -> None:
    """Parse ``argv`` (the module's own arguments from ``add_arguments``, then ``--data`` and ``--out``), apply
    ``change`` to the split read from ``--data`` and write the copy to ``--out``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--data", default="data/train.jsonl")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    examples, changed = change(read_jsonl(args.data), args)
    write_jsonl(args.out, examples)
    print(f"{changed} {changed_what} in {len(examples)} examples; written to {args.out}")
