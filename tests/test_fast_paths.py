"""Issue 22: the substring pre-checks in front of SK405's and SK504's patterns never change a verdict."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from skillkit.rules.links import _named
from skillkit.substance import _norm, template_phrase, template_phrases

# ASCII name characters, separators, and the characters that IGNORECASE folds to ASCII letters but
# str.lower() does not (`İ`, `ı`, `ſ`), plus the Kelvin sign, which lower() does fold.
TEXT = st.text(alphabet="abcISsKik./-_ \n\u0130\u0131\u017f\u212a`", max_size=40)
WORD = st.text(alphabet="abcISsKik./-_", min_size=1, max_size=6)


def _named_by_regex(text: str, word: str) -> bool:
    return re.search(r"(?<![\w.-])" + re.escape(word) + r"(?![\w-]|\.\w)", text, re.IGNORECASE) is not None


@settings(max_examples=3000, deadline=None)
@given(TEXT, WORD)
@example("read \u017fcripts/fill.py", "scripts")   # `ſ` matches `s` under IGNORECASE only
@example("see \u0130ndex.md", "index.md")            # `İ` matches `i` under IGNORECASE only
@example("the \u212aey", "key")                      # the Kelvin sign: lower() folds it too
def test_named_agrees_with_the_regex_alone(text: str, word: str) -> None:
    assert _named(text, word) == _named_by_regex(text, word)


def _phrase_by_norm(text: str) -> str | None:
    normal = f" {_norm(text)} "
    return next((p for p in template_phrases() if f" {p} " in normal), None)


PHRASE_LINE = st.builds(
    lambda phrase, prefix, suffix, upper: (prefix + (phrase.upper() if upper else phrase) + suffix),
    st.sampled_from(template_phrases()), st.text(max_size=8), st.text(max_size=8), st.booleans(),
)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(PHRASE_LINE, st.text(max_size=60)))
@example("TODO: Name the first common task.")
@example("- [ ] The cause, then the fix.")
def test_template_phrase_agrees_with_the_full_normalisation(line: str) -> None:
    assert template_phrase(line) == _phrase_by_norm(line)
