"""agentic-tuning: fine-tune a small language model into a reliable tool-calling agent backend."""

__version__ = "0.1.0"
