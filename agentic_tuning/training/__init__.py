"""Fine-tuning: profiles, backends (Unsloth on NVIDIA GPUs, transformers + PEFT anywhere) and the trainer."""
