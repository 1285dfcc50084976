import pytest

from agentic_tuning.tools import load_tools


@pytest.fixture(scope="session")
def tools():
    return load_tools()


@pytest.fixture(scope="session")
def tokenizer():
    """The embedded SmolLM2 tokenizer with the project's tool chat template."""
    from agentic_tuning.chat_template import load_tokenizer, prepare_tokenizer
    from agentic_tuning.models import embedded_model_dir

    return prepare_tokenizer(load_tokenizer(str(embedded_model_dir())))


@pytest.fixture(scope="session")
def embedded_model():
    from agentic_tuning.models import load_model

    return load_model("embedded")
