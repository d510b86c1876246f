"""What carries content: the shared test behind the hollow-content rules and the score.

A line is *substantive* when, once its Markdown markup (heading marks, list markers, checkboxes,
`Step 3:` labels, emphasis), template markers (`TODO`, `...`; a line of lorem ipsum says nothing) and the scaffold's own
placeholder sentences are taken out (a link counts as its text), at least two words are left. A step is *concrete* when it names
a command, a file or a value (an inline code span, a path, a flag, a number). A code block carries
content when it has a line that is not blank, a comment or an ellipsis. The template's placeholder
sentences are read from ``templates/*.tmpl`` themselves, so the check follows the template.
"""

from __future__ import annotations

import re
from functools import lru_cache

from skillkit.lazyre import lazy_compile
from skillkit.model import Fence, MarkdownDoc
from skillkit.packaged import package_folder

#: Text of the scaffold that follows a `TODO` marker, kept when it is this many words or more.
MIN_PHRASE_WORDS = 4
MARKUP = lazy_compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?)?")
STEP_LABEL = lazy_compile(r"^(?:step|phase|stage|workflow|part|task)\s*\d+[a-z]?\s*[:.)-]?\s*", re.IGNORECASE)
ELLIPSIS = lazy_compile(r"\.{3,}|…")
LOREM = lazy_compile(r"\blorem ipsum\b", re.IGNORECASE)
MARKER = lazy_compile(r"\b(?:TODO|TBD|FIXME|XXX)\b:?")
#: A command, a file or a value: an inline code span, a path or file name, a flag, a number or an assignment.
CONCRETE = lazy_compile(
    r"`[^`\s][^`]*`|\b[\w.-]+/[\w./-]+|\b[\w-]+\.(?:py|sh|json|ya?ml|toml|md|txt|csv|cfg|ini|ipynb|pt|bin|safetensors|"
    r"gguf|onnx|wav|mp3|mp4|log|html|js|ts)\b|(?<![\w-])--?[a-z][\w-]*|\b\d+(?:\.\d+)*\s*(?:[a-z%]+\b)?|\w+=\S"
)
# Neither part may run into another `[` or `(`: an unclosed `[a](` repeated along a line would otherwise make
# every start scan to the line's end (quadratic; tests/test_linear_time.py).
LINK = lazy_compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
#: Comment openers by code block language (a shell line starting with `--` is a flag, not a comment).
HASH_COMMENT = lazy_compile(r"^\s*#")
SLASH_COMMENT = lazy_compile(r"^\s*(?://|/\*|\*)")
DASH_COMMENT = lazy_compile(r"^\s*--")
COMMENTS = {
    **dict.fromkeys(("python", "py", "python3", "bash", "sh", "shell", "zsh", "console", "yaml", "yml", "toml",
                     "dockerfile", "r", "ini", "conf"), HASH_COMMENT),
    **dict.fromkeys(("javascript", "js", "typescript", "ts", "c", "cpp", "cuda", "rust", "go", "java"), SLASH_COMMENT),
    **dict.fromkeys(("sql", "lua"), DASH_COMMENT),
}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


@lru_cache(maxsize=1)
def template_phrases() -> tuple[str, ...]:
    """The scaffold's placeholder sentences: the text after each `TODO` of the templates (normalised),
    cut at `{field}` slots, with at least ``MIN_PHRASE_WORDS`` words."""
    phrases: set[str] = set()
    folder = package_folder("skillkit.templates")
    for item in folder.iterdir():
        if not item.name.endswith(".tmpl"):
            continue
        for line in item.read_text(encoding="utf-8").split("\n"):
            for after in re.split(r"\bTODO\b:?", line)[1:]:
                for piece in re.split(r"\{\w+\}|\bTODO\b", after):
                    phrase = _norm(piece)
                    if len(phrase.split()) >= MIN_PHRASE_WORDS:
                        phrases.add(phrase)
    return tuple(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def _phrase_keys() -> re.Pattern[str]:
    """The longest word of each placeholder sentence: every word of ``_norm(text)`` is a substring of
    ``text.lower()``, so a line whose lower case holds none of these holds no sentence."""
    keys = sorted({max(p.split(), key=len) for p in template_phrases()})
    return re.compile("|".join(re.escape(k) for k in keys) or r"(?!)")


def template_phrase(text: str) -> str | None:
    """The first of the scaffold's placeholder sentences that ``text`` holds, or ``None``."""
    if not _phrase_keys().search(text.lower()):
        return None  # most lines: one search instead of normalising the line and 13 substring tests
    normal = f" {_norm(text)} "
    return next((p for p in template_phrases() if f" {p} " in normal), None)


def strip_markup(line: str) -> str:
    """The words of a Markdown line: without heading/list/checkbox marks, a `Step N:` label, emphasis."""
    text = MARKUP.sub("", line, count=1)
    text = STEP_LABEL.sub("", text.replace("**", "").replace("__", ""))
    return text.strip()


def content_words(line: str) -> list[str]:
    """The words a line says once markup, template markers, ellipses, lorem ipsum and the scaffold's
    placeholder sentences are removed."""
    if LOREM.search(line):
        return []
    text = LINK.sub(r"\1", ELLIPSIS.sub(" ", MARKER.sub(" ", strip_markup(line))))
    normal = f" {_norm(text)} "
    for phrase in template_phrases():
        normal = normal.replace(f" {phrase} ", " ")
    return [w for w in normal.split() if len(w) > 1 or w.isdigit()]


def is_substantive(line: str, min_words: int = 2) -> bool:
    return len(content_words(line)) >= min_words


def is_concrete(line: str) -> bool:
    """A substantive line that names a command, a file or a value (a `Step 3:` label is not a value)."""
    text = strip_markup(line)
    return is_substantive(line) and bool(CONCRETE.search(MARKER.sub(" ", text)))


def code_lines(doc: MarkdownDoc, fence: Fence) -> list[str]:
    last = fence.end - 1 if fence.closed else fence.end
    return doc.lines[fence.start : max(fence.start, last)]


def fence_has_content(doc: MarkdownDoc, fence: Fence, comments_count: bool = False) -> bool:
    """True when the block has a line that is not blank, an ellipsis or (unless ``comments_count``) a
    comment of the block's language."""
    comment = None if comments_count else COMMENTS.get(fence.language)
    for line in code_lines(doc, fence):
        bare = ELLIPSIS.sub("", line).strip()
        if not bare or bare == "pass" or (comment is not None and comment.match(bare)):
            continue
        return True
    return False


def substantive_lines(doc: MarkdownDoc) -> int:
    """Distinct lines that carry content: prose lines that are substantive (each text counted once) and
    code lines that are not blank or comments (fence markers excluded)."""
    seen: set[str] = set()
    count = 0
    code = doc.code_lines
    starts = {f.start for f in doc.fences} | {f.end for f in doc.fences if f.closed}
    comment = {n: COMMENTS.get(f.language) for f in doc.fences for n in range(f.start, f.end + 1)}
    for number in range(doc.first_line, len(doc.lines) + 1):
        line = doc.lines[number - 1]
        if number in starts:
            continue
        if number in code:
            bare = line.strip()
            pattern = comment.get(number)
            if bare and not ELLIPSIS.fullmatch(bare) and not (pattern is not None and pattern.match(bare)):
                count += 1
            continue
        words = content_words(line)
        key = " ".join(w.lower() for w in words)
        if len(words) >= 2 and key not in seen:
            seen.add(key)
            count += 1
    return count
