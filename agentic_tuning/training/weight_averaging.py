"""An exponential moving average of the trained (LoRA) weights, which replaces them when training ends.

After every optimizer step each average moves ``1 - decay`` of the way towards its weight, so it spans about
``1 / (1 - decay)`` of the last steps: the adapter saved is less tied to the last few batches than the final
weights are (Polyak and Juditsky, 1992; Morales-Brotons et al., 2024, arXiv:2411.18704)."""

from __future__ import annotations

import torch
from transformers import TrainerCallback


class WeightAveraging(TrainerCallback):
    def __init__(self, decay: float):
        if not 0 < decay < 1:
            raise ValueError(f"weight_average_decay must be above 0 and below 1, or null for none, not {decay!r}")
        self.decay = decay
        self.averaged: list[tuple[torch.nn.Parameter, torch.Tensor]] = []

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        """Pairs each trained weight with its average, which starts at the weight."""
        self.averaged = [(parameter, parameter.detach().clone())
                         for parameter in model.parameters() if parameter.requires_grad]

    @torch.no_grad()
    def on_step_end(self, args, state, control, **kwargs):
        for parameter, average in self.averaged:
            average.lerp_(parameter, 1 - self.decay)

    @torch.no_grad()
    def on_train_end(self, args, state, control, **kwargs):
        for parameter, average in self.averaged:
            parameter.copy_(average)
