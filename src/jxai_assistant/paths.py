"""Where the project's data lives: the corpus (read-only inputs), the cache (rebuildable), the data dir (user data)."""

from __future__ import annotations

import os
from pathlib import Path

DOCUMENT_FILENAME = "嘉兴市推动人工智能高质量发展实施方案_征求意见稿.txt"


def corpus_dir() -> Path:
    """Return the corpus directory (env ``JXAI_CORPUS_DIR`` overrides the checkout's ``corpus/``)."""
    override = os.environ.get("JXAI_CORPUS_DIR")
    if override:
        return Path(override)
    # src/jxai_assistant/paths.py -> repository root; the package is installed editable (README).
    return Path(__file__).resolve().parents[2] / "corpus"


def document_path() -> Path:
    """Return the path of the verbatim policy document."""
    return corpus_dir() / DOCUMENT_FILENAME


def cache_dir() -> Path:
    """Return the cache directory for rebuildable artefacts (env ``JXAI_CACHE_DIR``)."""
    return Path(os.environ.get("JXAI_CACHE_DIR") or Path.home() / ".cache" / "jxai-assistant")


def data_dir() -> Path:
    """Return the directory for user data such as feedback (env ``JXAI_DATA_DIR``)."""
    return Path(os.environ.get("JXAI_DATA_DIR") or Path.home() / ".local" / "share" / "jxai-assistant")
