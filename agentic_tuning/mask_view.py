"""Show which tokens of a tokenized conversation carry loss (notebook 04 and lab 04).

``labels`` are the training labels of ``chat_template.tokenize_for_training``: the token id
where the model is trained to predict the token, ``IGNORE`` (-100) where it is not.
"""

from __future__ import annotations

import html

IGNORE = -100
LOSS_STYLE = "background:#c8ecc8;color:#0b4f0b;border-bottom:2px solid #2e8b2e"
MASKED_STYLE = "color:#8a8a8a"
BOX_STYLE = ("font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;line-height:1.6;"
             "white-space:pre-wrap;word-break:break-all;border:1px solid #ddd;padding:8px;border-radius:4px")


def loss_counts(labels: list[int]) -> dict:
    """Tokens that carry loss, tokens that do not, the total, and the loss share."""
    loss = sum(label != IGNORE for label in labels)
    return {"loss_tokens": loss, "no_loss_tokens": len(labels) - loss, "total_tokens": len(labels),
            "loss_share": loss / len(labels) if labels else 0.0}


def token_text(tokenizer, ids: list[int]) -> str:
    """The exact text of ``ids`` (no clean-up of spaces, which would alter BPE text)."""
    return tokenizer.decode(list(ids), clean_up_tokenization_spaces=False)


def token_rows(tokenizer, input_ids: list[int], labels: list[int], start: int = 0, stop: int | None = None) -> list[dict]:
    """One row per token in ``[start, stop)``: position, token text, id, label and whether it carries loss."""
    stop = len(input_ids) if stop is None else stop
    return [
        {"position": i, "token": token_text(tokenizer, [input_ids[i]]), "id": input_ids[i], "label": labels[i],
         "loss": labels[i] != IGNORE}
        for i in range(start, min(stop, len(input_ids)))
    ]


def first_assistant_span(labels: list[int]) -> tuple[int, int]:
    """``(start, stop)`` positions of the first run of tokens that carry loss; (0, 0) if none do."""
    start = next((i for i, label in enumerate(labels) if label != IGNORE), None)
    if start is None:
        return 0, 0
    stop = next((i for i in range(start, len(labels)) if labels[i] == IGNORE), len(labels))
    return start, stop


def _token_span(text: str, token_id: int, position: int, label: int) -> str:
    shown = html.escape(text).replace("\n", "↵\n")
    style = LOSS_STYLE if label != IGNORE else MASKED_STYLE
    tip = f"position {position}, id {token_id}, label {label}"
    return f'<span style="{style}" title="{tip}">{shown}</span>'


def mask_html(tokenizer, input_ids: list[int], labels: list[int], *, skip: int = 0) -> str:
    """HTML of the tokens, those that carry loss highlighted in green, the rest grey.

    The first ``skip`` tokens (e.g. the shared tool-schema prefix, which never carries loss)
    are replaced by one note. Hovering a token shows its position, id and label.
    """
    if any(label != IGNORE for label in labels[:skip]):
        raise ValueError("the skipped tokens must carry no loss")
    counts = loss_counts(labels)
    legend = (f'<div style="margin-bottom:6px"><span style="{LOSS_STYLE}">trained: loss on '
              f'{counts["loss_tokens"]} tokens</span> &nbsp; <span style="{MASKED_STYLE}">label -100: '
              f'{counts["no_loss_tokens"]} tokens</span></div>')
    parts = [f'<span style="{MASKED_STYLE};font-style:italic">[… {skip} tokens of tool schemas, no loss …]</span>\n'] if skip else []
    parts += [_token_span(token_text(tokenizer, [input_ids[i]]), input_ids[i], i, labels[i]) for i in range(skip, len(input_ids))]
    return f'{legend}<div style="{BOX_STYLE}">{"".join(parts)}</div>'


__all__ = ["IGNORE", "loss_counts", "token_text", "token_rows", "first_assistant_span", "mask_html"]
