"""Themes of free-text answers: codebook matching first, then clustering of the rest.

    themed = theme_answers(answers, builtin_codebook("framework-review", "barriers"))
    for theme in themed.themes:
        print(f"**{theme.label}:** {theme.count}")
"""

from .codebook import (
    CodebookError,
    CodebookTheme,
    builtin_codebook,
    builtin_codebooks,
    builtin_template_ids,
    load_codebook,
    parse_codebook,
)
from .csvfile import theme_csv
from .embed import (
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    WordLlamaEmbedder,
    answer_vector,
    default_embedder,
    embedder_dim,
    vector_from_bytes,
    vector_model,
    vector_to_bytes,
)
from .engine import theme_answers
from .matching import codebook_texts
from .segment import is_non_answer, split_points
from .themed import Theme, ThemedQuestion
from .themesfile import answer_keys, apply_themes_toml, export_themes_toml

__all__ = [
    "CodebookError",
    "CodebookTheme",
    "Embedder",
    "HashingEmbedder",
    "MiniLMEmbedder",
    "Theme",
    "ThemedQuestion",
    "WordLlamaEmbedder",
    "answer_keys",
    "answer_vector",
    "apply_themes_toml",
    "builtin_codebook",
    "builtin_codebooks",
    "builtin_template_ids",
    "codebook_texts",
    "default_embedder",
    "embedder_dim",
    "export_themes_toml",
    "is_non_answer",
    "load_codebook",
    "parse_codebook",
    "split_points",
    "theme_answers",
    "theme_csv",
    "vector_from_bytes",
    "vector_model",
    "vector_to_bytes",
]
