"""Sentence vectors for answers: MiniLM on onnxruntime, WordLlama, or a hashing fallback.

`default_embedder` takes the first that loads: all-MiniLM-L6-v2 (a 6-layer sentence
encoder, int8 ONNX weights shipped in `data/` and checked against their published
SHA-256; BERT's uncased WordPiece tokenizer built by Hugging Face
`tokenizers` from the vocabulary shipped in `data/`; run by onnxruntime: no PyTorch,
nothing downloaded), then WordLlama's 256-d static embedding, then hashed words. A
fallback is logged as a warning and carries a `fallback_note` for the report's footer.

Every vector is float32 and L2-normalised, so a dot product is a cosine. The vector
of one answer depends on that answer alone, so the app can store it with the answer
(`vector_to_bytes`, with `vector_model` beside it) and theming can reuse it later;
vectors of another model are never compared (see `vector_model`).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .cluster import unit_rows
from .memory import big_blocks_mapped
from .segment import split_points
from .spelling import VOCAB, respell

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"
VOCAB_FILE = VOCAB  # data/minilm-vocab.txt; provenance and licence: data/README.md
MODEL_FILE = DATA / "minilm-l6-v2-int8.onnx"  # likewise
# The SHA-256 published with that ONNX file (data/README.md); a file that differs is not run.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

# Phone shorthand expanded before embedding; the model has never seen most of it.
SHORTHAND = {
    "govt": "government", "gov": "government", "ppl": "people", "mtgs": "meetings",
    "mtg": "meeting", "mgmt": "management", "mngt": "management", "cttee": "committee",
    "orgs": "organisations", "org": "organisation", "info": "information",
    "comms": "communication", "vol": "voluntary", "vcs": "voluntary sector",
    "vcse": "voluntary sector", "3rd": "third", "w/": "with", "b/c": "because",
    "bc": "because", "tbh": "", "imo": "", "imho": "", "v": "very", "thru": "through",
    "n": "and", "&": "and", "+": "and", "esp": "especially", "prob": "probably",
    "probs": "probably", "def": "definitely", "hrs": "hours", "yrs": "years",
    "cos": "because", "coz": "because", "wrk": "work", "wk": "work", "ur": "your",
    "u": "you", "r": "are", "pls": "please", "eg": "for example", "dept": "department",
    "depts": "departments", "reps": "representatives", "rep": "representative",
    "ctee": "committee", "resourcing": "resources", "dosh": "money", "cash": "money",
    # Apostrophes a phone leaves out: the tokenizer reads "cant" as "can" and "wont" as "won".
    "cant": "can't", "wont": "won't", "dont": "don't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't", "werent": "weren't",
    "havent": "haven't", "hasnt": "hasn't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "theyre": "they're", "ive": "i've", "noone": "no one",
    # Text-speak and the north-west's everyday words for what partners talk about (only
    # words met in the dev sets or common knowledge; none taken from the unseen sets' notes).
    "b4": "before", "shud": "should", "shld": "should", "cud": "could", "wud": "would",
    "wld": "would", "obvs": "obviously", "tho": "though", "some1": "someone",
    "every1": "everyone", "any1": "anyone", "lol": "", "readies": "money",
    "wonga": "money", "skint": "broke", "summat": "something", "owt": "anything",
    "nowt": "nothing", "gaffer": "boss", "mither": "bother",
    "natter": "chat", "yonks": "years",
}
# Phrases whose words mean something else alone ("top brass" are senior leaders).
PHRASES = {re.compile(r"\btop brass\b", re.IGNORECASE): "senior leaders"}
_TOKEN = re.compile(r"[A-Za-z0-9/&+']+|[^\sA-Za-z0-9]")
# Function words: they carry little of what an answer is about.
FUNCTION_WORDS = frozenset(
    "a an the and or of to in on for with at by from is are was were be been it its this that "
    "we our us they their them i my me you your not no too very so as but all any more most "
    "just have has had do does did there here what who which".split()
)


@lru_cache(maxsize=1 << 15)
def _token_as_meant(token: str) -> str:
    """One token as `normalise` gives it: its shorthand's meaning ("" for "tbh"), or the
    token with its typing slip put right."""
    low = token.lower()
    return SHORTHAND[low] if low in SHORTHAND else respell(token)


# Kept: the lexical score, the character n-grams and the encoder each ask it of the same
# texts (the bank's answers once per process, a question's points at every call).
@lru_cache(maxsize=1 << 15)
def normalise(text: str) -> str:
    """Text as the model should see it: shorthand expanded, typing slips put right
    (`spelling.respell`: "goverment", "definately"), spacing collapsed."""
    for phrase, meaning in PHRASES.items():
        text = phrase.sub(meaning, text)
    return " ".join(filter(None, map(_token_as_meant, _TOKEN.findall(text))))


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# An embedder may also have `dim` (its vector length) and `match_min` (the codebook
# score below which a point is left to clustering, calibrated for its cosine scale).


def embedder_dim(embedder: Embedder) -> int:
    """The length of the embedder's vectors (its `dim`, else measured once)."""
    dim = getattr(embedder, "dim", None)
    return int(dim) if dim else int(embedder.embed(["dimension"]).shape[1])


def made_by(kept: Mapping[str, Any], model: str) -> bool:
    """Whether a shipped `.npz` of vectors or maps (the answer bank's, the answer map, the
    learned view) was made under this `vector_model` by the model file of the published
    SHA-256: anything else would mix vectors of two encoders."""
    return str(kept["model"]) == model and str(kept["model_sha256"]) == MODEL_SHA256


def vector_model(embedder: Embedder) -> str:
    """What to store beside answer vectors: model name and dimension, e.g. `name/384`.

    Vectors stored under another `vector_model` than the embedder's must not be passed
    to `theme_answers` (it also drops any whose length differs from the embedder's).
    """
    return f"{embedder.name}/{embedder_dim(embedder)}"


def _unit(matrix: np.ndarray) -> np.ndarray:
    return unit_rows(np.asarray(matrix, dtype=np.float32))


def _token_weights(tokens: Sequence[str]) -> np.ndarray:
    """Pooling weights: content words 1, function words and punctuation 0.2, markers 0.

    Plain mean pooling lets "we", "the" and the [CLS]/[SEP] markers pull every short
    answer towards every other; on the dev sets this pooling raised codebook accuracy
    (0.76 to 0.79 on the held-out set) and clustering (mean ARI 0.30 to 0.35).
    """
    out = np.ones(len(tokens), dtype=np.float32)
    for j, token in enumerate(tokens):
        bare = token.removeprefix("##")
        if token in ("[CLS]", "[SEP]"):
            out[j] = 0.0
        elif bare in FUNCTION_WORDS or not bare.isalnum():
            out[j] = 0.2
    if not out.any():  # nothing but markers: fall back to them
        out[:] = 1.0
    return out


class ModelFileError(RuntimeError):
    """The model file is missing or is not the published one."""


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def minilm_model_file() -> Path:
    """The int8 ONNX file of all-MiniLM-L6-v2 shipped with the engine (data/README.md)."""
    return MODEL_FILE


def bert_tokenizer(vocab_file: Path = VOCAB_FILE, max_tokens: int = 128) -> Any:
    """BERT's uncased WordPiece tokenizer (as all-MiniLM-L6-v2 was trained with), built by
    Hugging Face `tokenizers` from a vocab.txt: lower-cased, accents stripped, Chinese
    characters split, [CLS] … [SEP], cut at `max_tokens`, no padding."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece

    vocab = WordPiece.read_file(str(vocab_file))
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


PAD_STEP = 8  # token widths a text is padded to: its own length rounded up to a multiple


def padded_width(lengths: np.ndarray) -> np.ndarray:
    """The width each text is run at: its token count rounded up to `PAD_STEP`."""
    return -(-np.asarray(lengths) // PAD_STEP) * PAD_STEP


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384-d sentence encoder), int8 ONNX, on onnxruntime.

    Same pipeline as sentence-transformers' model (BERT uncased WordPiece, pooling over
    real tokens, L2 norm), but the pooling weighs content words above function words.
    The weights are the ONNX file in `data/`, checked against its published SHA-256; the
    tokenizer is built from the vocabulary in `data/` (see `bert_tokenizer`).
    """

    # Content-weighted pooling (see _token_weights), each text padded to a width of its own
    # (see _embed_unique): vectors made before the fixed width differ in their last bits.
    # "respell": texts are embedded with their typing slips put right (`normalise`), so
    # vectors stored before that are made afresh.
    name = "all-minilm-l6-v2-int8-content-pad8-respell"
    dim = 384
    # 5th percentile of the best codebook scores of answers that a coder put in a codebook
    # theme, on the two dev sets (bench/match_threshold.py: 0.341).
    match_min = 0.34
    # The same for a codebook of labels and descriptions only (bench/match_threshold.py
    # --sparse: 0.305): without examples every score sits lower.
    match_min_sparse = 0.305
    # The 1st percentiles (bench/match_threshold.py: 0.261, --sparse 0.221): a point no new
    # theme takes still goes to the codebook theme it fits best above these.
    match_floor = 0.26
    match_floor_sparse = 0.22
    MAX_TOKENS = 128  # answers are short; longer points are cut (sentence-transformers: 256)
    BATCH = 64  # most texts run at once
    # Most padded tokens run at once (rows × width). onnxruntime's working memory grows
    # with rows × width² (attention) and its arena keeps its largest: 64 texts of 128
    # tokens took 750 MB more, 16 of them (this budget) about 60 MB. A text's vector does
    # not depend on the batch it runs in, only on its padded width.
    BATCH_TOKENS = 2048
    # Texts tokenised at once: the tokenizer's encodings of 40,000 points held together
    # cost some 100 MB, and the vectors do not depend on this either.
    CHUNK = 1024

    def __init__(self, threads: int = 0, model_file: Path | None = None,
                 sha256: str = MODEL_SHA256) -> None:
        import onnxruntime as ort

        model_file = model_file or minilm_model_file()
        if not model_file.is_file():
            raise ModelFileError(f"{model_file} is missing")
        found = file_sha256(model_file)
        if found != sha256:
            raise ModelFileError(
                f"{model_file} has SHA-256 {found}, not the published {sha256}")
        self._tokenizer = bert_tokenizer(max_tokens=self.MAX_TOKENS)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # No arena: onnxruntime's arena keeps the largest batch's working memory for good
        # (190 MB more after one pass of every width); without it that memory is freed after
        # each batch and, big blocks being mapped (`memory.big_blocks_mapped`), given back to
        # the system: after a pass 113 MB resident for the session instead of 350 MB, for
        # some 10% more CPU (bench/README.md). The vectors are the same to the last bit.
        big_blocks_mapped()
        options.enable_cpu_mem_arena = False
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Each distinct text is run once (short answers repeat: "no funding"). A dict, not
        # np.unique: that makes a fixed-width array as wide as the longest text, per text.
        cleaned = [normalise(t) or "-" for t in texts]
        row = {text: n for n, text in enumerate(dict.fromkeys(cleaned))}
        vectors = self._embed_unique(list(row))
        if len(row) == len(cleaned):
            return vectors
        return vectors[[row[text] for text in cleaned]]

    def _embed_unique(self, cleaned: list[str]) -> np.ndarray:
        out = np.empty((len(cleaned), self.dim), dtype=np.float32)
        for start in range(0, len(cleaned), self.CHUNK):
            part = cleaned[start:start + self.CHUNK]
            out[start:start + len(part)] = self._pooled(part)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def batch_rows(self, width: int) -> int:
        """How many texts of a padded width run at once (see `BATCH_TOKENS`)."""
        return max(1, min(self.BATCH, self.BATCH_TOKENS // width))

    def _pooled(self, cleaned: list[str]) -> np.ndarray:
        """Pooled, not yet normalised, vectors of some texts."""
        out = np.zeros((len(cleaned), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(cleaned)
        lengths = np.array([len(e.ids) for e in encodings])
        widths = padded_width(lengths)
        # Texts of one padded width share a batch. onnxruntime's output for a text changes
        # in its last bits with the width it is padded to (not with the other rows), so a
        # width fixed by the text alone gives it the same vector in the worker's batch as in
        # the report's: stored and fresh vectors, and so the themes, agree.
        for width in np.unique(widths):
            same = np.flatnonzero(widths == width)
            step = self.batch_rows(int(width))
            for start in range(0, len(same), step):
                rows = same[start:start + step]
                ids = np.zeros((len(rows), int(width)), dtype=np.int64)
                mask = np.zeros((len(rows), int(width)), dtype=np.int64)
                weights = np.zeros((len(rows), int(width)), dtype=np.float32)
                for r, i in enumerate(rows):
                    ids[r, : lengths[i]] = encodings[i].ids
                    mask[r, : lengths[i]] = 1
                    weights[r, : lengths[i]] = _token_weights(encodings[i].tokens)
                feeds = {"input_ids": ids, "attention_mask": mask}
                if "token_type_ids" in self._inputs:
                    feeds["token_type_ids"] = np.zeros_like(ids)
                hidden = self._session.run(None, feeds)[0]
                pooled = np.einsum("bwd,bw->bd", hidden, weights)
                out[rows] = pooled / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)
        return out


class WordLlamaEmbedder:
    """WordLlama's 256-d static embedding, loaded from the files its wheel ships."""

    name = "wordllama-l2-supercat-256-respell"  # "respell": see MiniLMEmbedder.name
    dim = 256
    # Calibrated as MiniLM's (bench/match_threshold.py --embedder wordllama: 0.242).
    match_min = 0.24
    match_min_sparse = 0.19  # bench/match_threshold.py --embedder wordllama --sparse: 0.191
    match_floor, match_floor_sparse = 0.18, 0.135  # their 1st percentiles: 0.183, 0.135

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        # The default offline load looks in a cache folder; the weights sit in the package.
        self._model = WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.embed([normalise(t) or "-" for t in texts], norm=False)
        return _unit(vectors)


class HashingEmbedder:
    """A model-free fallback: hashed words, word pairs and character trigrams."""

    name = "hashing-1024-respell"  # "respell": see MiniLMEmbedder.name
    match_min = 0.21  # calibrated as MiniLM's (bench/match_threshold.py --embedder hashing)
    match_min_sparse = 0.15  # and with --sparse: 0.154
    match_floor, match_floor_sparse = 0.15, 0.1  # their 1st percentiles: 0.148, 0.097

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        words = [w[:6] for w in re.findall(r"[a-z0-9]+", normalise(text).lower())]
        grams = [f"#{w[i:i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        pairs = [f"{a}_{b}" for a, b in itertools.pairwise(words)]
        return words + words + pairs + grams

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dim] += 1.0 if value >> 63 else -1.0
        return _unit(out)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """MiniLM, else WordLlama, else hashing; loaded once. A fallback is logged as a warning
    and carries `fallback_note`, which reports print in their footer."""
    reasons: list[str] = []
    fallback: Embedder | None = None
    for kind in (MiniLMEmbedder, WordLlamaEmbedder):
        try:
            fallback = kind()
            break
        except Exception as exc:  # missing package or file, or a model that will not load
            reasons.append(f"{kind.__name__}: {exc}")
    if fallback is None:
        fallback = HashingEmbedder()
    if reasons:
        note = (f"Themes were worked out with the fallback model {fallback.name}, because "
                f"the default model could not be loaded ({'; '.join(reasons)}); they are "
                "less accurate than usual.")
        log.warning("%s", note)
        fallback.fallback_note = note  # type: ignore[attr-defined]
    return fallback


# Kept: every question themed against a built-in codebook asks it of each of the bank's
# 3,000-odd answers (matching.bank_scores), which was a sixth of theming 1,000 answers.
@lru_cache(maxsize=8192)
def answer_text(answer: str) -> str:
    """The text whose vector stands for a whole answer (its single point, if just one)."""
    points = split_points(answer)
    return points[0] if len(points) == 1 else answer.strip()


def answer_vector(answer: str, embedder: Embedder | None = None) -> np.ndarray:
    """The vector to store with one answer; theme_answers accepts these as `vectors`."""
    return (embedder or default_embedder()).embed([answer_text(answer)])[0]


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Bytes for storage: float32, native order."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    """The vector stored by `vector_to_bytes`."""
    return np.frombuffer(blob, dtype=np.float32).copy()
