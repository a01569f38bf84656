"""The sentence encoders behind theming: MiniLM on onnxruntime, its fallbacks, stored vectors."""

from __future__ import annotations

import numpy as np
import pytest

from surveys.themes import (
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    WordLlamaEmbedder,
    answer_vector,
    builtin_codebook,
    default_embedder,
    embedder_dim,
    theme_answers,
    vector_model,
)
from surveys.themes import embed as embed_module

ANSWERS = [
    "no money and no staff to run anything",
    "the LAA took over every meeting",
    "two tier councils, county and district both involved",
    "we never hear back, communication is poor",
    "agencies working in silos; nobody is accountable",
]


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The packaged model, loaded once for the session (it is a required dependency)."""
    return MiniLMEmbedder()


def test_default_embedder_is_minilm() -> None:
    assert default_embedder().name == MiniLMEmbedder.name


def test_minilm_vectors(minilm: MiniLMEmbedder) -> None:
    v = minilm.embed(["no money", "better networking", ""])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert minilm.embed([]).shape == (0, 384)
    # A vector depends on its text alone, to the last bit, not on the batch it was embedded
    # in: the worker's stored vectors and a report's fresh ones must agree exactly.
    long = ["a much longer answer about the partnership and its many meetings " * 5]
    alone = minilm.embed(["no money"])[0]
    assert np.array_equal(minilm.embed([*long, "no money"])[1], alone)
    texts = [f"{'the partnership meets ' * (n % 9)}answer {n} about funding" for n in range(90)]
    together = minilm.embed(texts)
    one_by_one = np.vstack([minilm.embed([t]) for t in texts[::7]])
    assert np.array_equal(together[::7], one_by_one)
    assert np.array_equal(minilm.embed(texts[::-1])[::-1], together)


class _ShapeSpy:
    """Stands in for the onnxruntime session, noting the shape of each batch it is given."""

    def __init__(self, session: object) -> None:
        self.session = session
        self.shapes: list[tuple[int, int]] = []

    def run(self, names: object, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        self.shapes.append(feeds["input_ids"].shape)
        return self.session.run(names, feeds)  # type: ignore[attr-defined, no-any-return]


def test_minilm_batches_are_bounded_by_tokens(minilm: MiniLMEmbedder,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # onnxruntime's memory grows with rows x width^2 and its arena keeps the largest batch:
    # long answers run a few at a time, short ones many.
    texts = [f"answer {n}: " + "the partnership board meets far too often " * 20
             for n in range(40)] + [f"no money {n}" for n in range(100)]
    spy = _ShapeSpy(minilm._session)
    monkeypatch.setattr(minilm, "_session", spy)
    together = minilm.embed(texts)
    assert max(rows * width for rows, width in spy.shapes) <= minilm.BATCH_TOKENS
    assert max(rows for rows, _ in spy.shapes) == minilm.BATCH
    assert (minilm.BATCH_TOKENS // minilm.MAX_TOKENS, minilm.MAX_TOKENS) in spy.shapes
    # Tokenised a few at a time, in another order, the vectors are the same to the last bit.
    monkeypatch.setattr(minilm, "CHUNK", 7)
    assert np.array_equal(minilm.embed(texts[::-1])[::-1], together)
    monkeypatch.setattr(minilm, "BATCH_TOKENS", 10**6)
    assert np.array_equal(minilm.embed(texts), together)


def test_minilm_meaning_beats_shared_words(minilm: MiniLMEmbedder) -> None:
    v = minilm.embed(["no money", "lack of funding", "poor communication"])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_minilm_matches_codebook(minilm: MiniLMEmbedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    themed = theme_answers(ANSWERS, codebook, embedder=minilm)
    label = {t.id: t.label for t in themed.themes}
    mains = [label[a[0]] for a in themed.assignments]
    assert mains[:4] == ["Lack of resources", "LAA", "Two tier local government", "Communication"]


def test_vector_model_names_model_and_dimension(minilm: MiniLMEmbedder) -> None:
    assert vector_model(minilm) == "all-minilm-l6-v2-int8-content-pad8-respell/384"
    assert vector_model(HashingEmbedder(64)) == "hashing-1024-respell/64"
    assert embedder_dim(minilm) == 384

    class NoDim:
        name = "nodim"

        def embed(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 7), dtype=np.float32) / np.sqrt(7)

    assert vector_model(NoDim()) == "nodim/7"


def test_stored_vectors_of_another_dimension_are_ignored(minilm: MiniLMEmbedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    fresh = theme_answers(ANSWERS, codebook, embedder=minilm)
    # Vectors stored by an older model (256-d): never compared, the answers are re-embedded.
    old = np.random.default_rng(0).normal(size=(len(ANSWERS), 256)).astype(np.float32)
    assert theme_answers(ANSWERS, codebook, embedder=minilm, vectors=old).assignments == (
        fresh.assignments
    )
    # Mixed rows: this model's vectors are used, others (None, 256-d) recomputed.
    mixed: list[np.ndarray | None] = [answer_vector(a, minilm) for a in ANSWERS]
    mixed[1] = None
    mixed[2] = old[2]
    assert theme_answers(ANSWERS, codebook, embedder=minilm, vectors=mixed).assignments == (
        fresh.assignments
    )
    with pytest.raises(ValueError, match="one row per answer"):
        theme_answers(ANSWERS, codebook, embedder=minilm, vectors=old[:2])


def test_stored_vectors_are_used(minilm: MiniLMEmbedder) -> None:
    """A stored vector of the right length stands for its answer (no re-embedding; only
    the candidate phrases that name the themes are embedded)."""
    calls: list[str] = []

    class Counting:
        name = minilm.name
        dim = minilm.dim
        match_min = minilm.match_min

        def embed(self, texts: list[str]) -> np.ndarray:
            calls.extend(texts)
            return minilm.embed(texts)

    single = [*ANSWERS[:2], "nobody is accountable", "poor communication"]  # one point each
    stored = np.stack([answer_vector(a, minilm) for a in single])
    with_vectors = theme_answers(single, embedder=Counting(), vectors=stored)
    assert not set(single) & set(calls)
    assert with_vectors.assignments == theme_answers(single, embedder=minilm).assignments


def test_fallback_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise OSError("model file missing")

    default_embedder.cache_clear()
    try:
        monkeypatch.setattr(embed_module.MiniLMEmbedder, "__init__", broken)
        assert isinstance(default_embedder(), WordLlamaEmbedder)
        default_embedder.cache_clear()
        monkeypatch.setattr(embed_module.WordLlamaEmbedder, "__init__", broken)
        fallback: Embedder = default_embedder()
        assert isinstance(fallback, HashingEmbedder)
        assert fallback.embed(["no money"]).shape == (1, 1024)
    finally:
        monkeypatch.undo()
        default_embedder.cache_clear()
    assert default_embedder().name == MiniLMEmbedder.name


def test_pooling_weighs_content_words_above_function_words() -> None:
    from surveys.themes.embed import _token_weights

    weights = _token_weights(["[CLS]", "the", "fund", "##ing", "was", "cut", "!", "[SEP]"])
    assert weights.tolist() == pytest.approx([0, 0.2, 1, 1, 0.2, 1, 0.2, 0])
    assert _token_weights(["[CLS]", "[SEP]"]).tolist() == [1.0, 1.0]
