"""SK3xx: code blocks."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.model import Skill
from skillkit.rules import rule


@rule("SK301", "unclosed-code-fence", Severity.ERROR)
def unclosed_code_fence(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a fenced code block (three or more backticks or tildes) that no matching fence closes,
    in `SKILL.md` and in `references/` Markdown files. Fences follow CommonMark: a block opened with
    four backticks may hold three-backtick lines, and fences inside lists and block quotes count.

    ## Why is this bad?
    An open fence turns the rest of the file (or of its list item or quote) into code: the sections
    after it vanish for readers and agents alike.

    ## Example
    ```` ```python ```` followed by code and a heading, with no closing ```` ``` ````. Use instead: close the
    block with a line of at least as many backticks.
    """
    for doc in skill.markdown_docs():
        for fence in doc.fences:
            if not fence.closed:
                fence_text = fence.char * fence.length
                yield Violation(
                    f"code fence `{fence_text}{fence.info}` opened here is never closed; add a line `{fence_text}`",
                    fence.start,
                    None,
                    path=None if doc is skill.body else doc.path,
                )
