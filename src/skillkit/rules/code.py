"""SK3xx: code blocks."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.lazymodel import Field
from skillkit.lazyre import lazy_compile
from skillkit.model import Skill
from skillkit.rules import Options, rule


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


# --------------------------------------------------------------------------- block contents

import ast  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import textwrap  # noqa: E402

from skillkit.model import Fence, MarkdownDoc  # noqa: E402
from skillkit.parse import safe_loader_class  # noqa: E402


PYTHON_TAGS = frozenset({"python", "py", "python3"})
YAML_TAGS = frozenset({"yaml", "yml"})
JSON_TAGS = frozenset({"json"})
TOML_TAGS = frozenset({"toml"})
SHELL_TAGS = frozenset({"bash", "sh", "shell"})


_FIRST_CONTENT = lazy_compile(r"^[ \t]*\S", re.MULTILINE)


def dedent(text: str) -> str:
    """``textwrap.dedent``, returning ``text`` as it is when its first non-blank line is not indented
    (then there is no common margin; the usual case, and dedent's regexes cost more than a parse)."""
    first = _FIRST_CONTENT.search(text)
    if first is None or first.group(0)[0] not in " \t":
        return text
    return textwrap.dedent(text)


def fence_body(doc: MarkdownDoc, fence: Fence) -> tuple[int, str]:
    """``(first_content_line, text)`` of a fence, with list indentation and ``>`` quote markers removed."""
    last = fence.end - 1 if fence.closed else fence.end
    lines = doc.lines[fence.start : last]  # fence.start is 1-based: this starts on the line after it
    if lines and all(line.lstrip().startswith(">") or not line.strip() for line in lines):
        lines = [re.sub(r"^\s*>\s?", "", line) for line in lines]
    return fence.start + 1, dedent("\n".join(lines))


def _docs_with_path(skill: Skill) -> Iterator[tuple[MarkdownDoc, object]]:
    for doc in skill.markdown_docs():
        yield doc, (None if doc is skill.body else doc.path)


@rule("SK302", "code-fence-missing-language", Severity.WARNING)
def code_fence_missing_language(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a fenced code block without a language tag (the info string after the opening fence).

    ## Why is this bad?
    The tag tells the agent (and skillkit's syntax checks) what the block is: Python to run, YAML
    to write to a file, or output to compare against. Untagged blocks are guessed at, and never checked.

    ## Example
    ```` ``` ```` then `pip install vllm`. Use instead: ```` ```bash ````; use `text` for output.
    """
    for doc, path in _docs_with_path(skill):
        for fence in doc.fences:
            if not fence.language:
                yield Violation("code block has no language tag; add one (`text` for output)", fence.start, None,
                                path=path)  # type: ignore[arg-type]


_PROMPT = lazy_compile(r"^(>>>|\.\.\.)( |$)")
_MAGIC = lazy_compile(r"^(\s*)([!%].*)$")
_ELIDED_FIRST = lazy_compile(r"\(\s*\.\.\.\s*,")
_ELIDED_LAST = lazy_compile(r",\s*\.\.\.\s*\)")


_ELISION_LINE = lazy_compile(r"^(\s*)\.\.\.(,?)\s*(#.*)?$")


def _open_bracket(text: str) -> str:
    """The innermost bracket still open at the end of ``text`` ("" if none); strings and comments skipped."""
    stack: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            index = text.find("\n", index)
            if index == -1:
                break
        elif char in "\"'":
            quote = text[index : index + 3] if text[index : index + 3] in ('"""', "'''") else char
            end = index + len(quote)
            while end < len(text) and text[end : end + len(quote)] != quote and not (len(quote) == 1 and text[end] == "\n"):
                end += 2 if text[end] == "\\" else 1
            index = end + len(quote) - 1
        elif char in "([{":
            stack.append(char)
        elif char in ")]}" and stack:
            stack.pop()
        index += 1
    return stack[-1] if stack else ""


def _elide_arguments(lines: list[str]) -> list[str]:
    """A line holding only `...` inside a call, list or dict (`Trainer(\n  lr=1e-4,\n  ...\n)`) elides
    arguments or items: it becomes an empty unpacking (`*()`, `**{}`), valid after keyword arguments too.
    A `...` body (`def f():\n    ...`) is outside any bracket and stays."""
    out = list(lines)
    for number, line in enumerate(lines):
        match = _ELISION_LINE.match(line)
        if match is None:
            continue
        bracket = _open_bracket("\n".join(out[:number]))
        if bracket:
            out[number] = match.group(1) + ("**{}" if bracket == "{" else "*()") + ","
    return out


# `<Task>`, `<problem>`: one word in angle brackets, a slot of a pattern (`a<b>c` would parse either way)
_PY_SLOT = lazy_compile(r"<([A-Za-z][\w.-]*)>")
_ELIDED_BODY = lazy_compile(r"^\s*#.*(?:\.\.\.|\u2026)")


def _opens_block(previous: list[str]) -> bool:
    """The last code line before this one opens a block (`class T(Env):`, `def run(x):`)."""
    for line in reversed(previous):
        code = line.split("#", 1)[0].rstrip()
        if code:
            return code.endswith(":")
        if line.strip() and not line.lstrip().startswith("#"):
            return False
    return False


def normalise_python(text: str) -> str:
    """Prepare a documentation snippet for ``ast.parse``: doctest prompts, notebook magics, elisions."""
    lines = text.split("\n")
    if any(line.startswith(">>>") for line in lines):
        lines = [_PROMPT.sub("", line) if _PROMPT.match(line) else "" for line in lines]
    out = []
    continued = False  # inside a notebook line continued with `\` (`!uv pip install \`)
    for line in lines:
        if continued:
            continued = line.rstrip().endswith("\\")
            out.append("")
            continue
        if line.lstrip()[:1] in ("!", "%"):
            magic = _MAGIC.match(line)
            if magic:
                continued = line.rstrip().endswith("\\")
                line = f"{magic.group(1)}pass  # {magic.group(2)}"
        elif _ELIDED_BODY.match(line) and _opens_block(out):
            line = re.sub(r"#", "...  #", line, count=1)  # `class T(Env):` + `# ... implement ...`: an elided body
        if "..." in line:
            line = _ELIDED_FIRST.sub("(", line)
            line = _ELIDED_LAST.sub(")", line)
        out.append(line)
    if any(_ELISION_LINE.match(line) for line in out):
        out = _elide_arguments(out)
    text = "\n".join(out)
    if "<" in text:  # `from tdc.<problem> import <Task>`: slots of a pattern, to be replaced
        text = _PY_SLOT.sub(lambda m: "SLOT_" + re.sub(r"\W", "_", m.group(1)), text)
    return dedent(text)


# `if self.mask:` or `def run(x):` read as a YAML key is Python's block header
_PY_HEAD = lazy_compile(r"(?:if|elif|else|for|while|with|def|class|try|except|finally|async|return|lambda)\b")


def _looks_like_yaml(text: str) -> bool:
    try:
        import yaml

        data = yaml.load(text, Loader=safe_loader_class())
    except Exception:  # noqa: BLE001
        return False
    # keys that are names (`model`, `lora_r`), not a signature read as a key (`parse(query` of `parse(query: str)`)
    return isinstance(data, dict) and len(data) > 0 and all(
        isinstance(key, str) and re.fullmatch(r"[\w.-]+(?: [\w.-]+)*", key) and not _PY_HEAD.match(key) for key in data)


@rule("SK303", "python-block-syntax", Severity.WARNING)
def python_block_syntax(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Parses every `python` (`py`, `python3`) block with `ast.parse` and reports the first syntax error
    at its line. Doctest prompts (`>>>`), notebook lines (`!pip`, `%time`, with backslash continuations) and
    `...` elisions in calls (`f(a, ...)`, or a line of `...` among the arguments or items) and bodies
    (`class T(Env):` then only `# ... implement ...`) are tolerated, and so are `<slot>` words of a
    pattern (`from tdc.<problem> import <Task>`); tag a deliberate fragment `python-fragment` or a
    console session `pycon`.

    ## Why is this bad?
    Agents copy snippets verbatim. A snippet that does not parse fails on first use, and often hides
    a wrong claim (YAML or pseudo-code in a Python fence).

    ## Example
    A `python` block holding `model = load(path` with no closing parenthesis. Use instead: code that
    runs.
    """
    for doc, path in _docs_with_path(skill):
        for fence in doc.fences:
            if fence.language not in PYTHON_TAGS:
                continue
            first, text = fence_body(doc, fence)
            problem = python_problem(normalise_python(text))
            if problem is None:
                continue
            lineno, offset, message = problem
            if lineno is None:  # the parser gave up on the whole block
                yield Violation(f"python block does not parse: {message}", fence.start, None, path=path)  # type: ignore[arg-type]
                continue
            hint = "; it looks like YAML: tag it `yaml`" if _looks_like_yaml(text) else ""
            line = first + lineno - 1
            yield Violation(f"python block does not parse: {message}{hint}", min(line, fence.end), offset,
                            path=path)  # type: ignore[arg-type]


def _json_lines_problem(text: str) -> tuple[int, int | None, str] | None:
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            try:
                json.loads(line)
            except json.JSONDecodeError as exc:
                return (number, exc.colno, f"{exc.msg} (read as JSON Lines)")
    return None


def _drop_elisions(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip() not in ("...", "# ..."))


#: JSON and TOML blocks nested deeper than this are reported, not parsed: the parsers recurse once per
#: level (tomllib hit Python's recursion limit at about 300) and an integer over Python's 4,300-digit
#: limit raised ValueError; both were internal errors of SK304.
MAX_DATA_DEPTH = 100
_JSON_TOKEN = lazy_compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')
_TOML_TOKEN = lazy_compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'
)


def _too_deep(text: str, tokens: re.Pattern[str]) -> tuple[int, int | None, str] | None:
    """Where ``[``/``{`` nesting outside strings (and comments) passes MAX_DATA_DEPTH, as a problem."""
    if text.count("[") + text.count("{") <= MAX_DATA_DEPTH:
        return None
    depth = 0
    for match in tokens.finditer(text):
        char = match.group(0)
        if char in ("[", "{"):
            depth += 1
            if depth > MAX_DATA_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                return (line, column, f"nested deeper than {MAX_DATA_DEPTH} levels; not parsed")
        elif char in ("]", "}"):
            depth = max(0, depth - 1)
    return None


def _data_problem(lang: str, text: str) -> tuple[int, int | None, str] | None:
    """``(line, column, message)`` of the first reason a YAML, JSON or TOML block does not load, else None.
    Never raises: whatever a parser throws on hostile input is a finding."""
    from skillkit.parse import huge_integer

    try:
        if lang in YAML_TAGS:
            import yaml

            try:
                for _ in yaml.compose_all(text, Loader=safe_loader_class()):
                    pass
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                return (mark.line + 1 if mark else 1, mark.column + 1 if mark else None,
                        getattr(exc, "problem", None) or str(exc).splitlines()[0])
        elif lang in JSON_TAGS:
            deep = _too_deep(text, _JSON_TOKEN)
            if deep is not None:
                return deep
            try:
                json.loads(text)
            except json.JSONDecodeError as exc:
                if exc.msg == "Extra data":  # JSON Lines: one document per line is fine
                    return _json_lines_problem(text)
                return (exc.lineno, exc.colno, exc.msg)
        else:
            deep = _too_deep(text, _TOML_TOKEN)
            if deep is not None:
                return deep
            from skillkit.toml import tomllib

            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
                message = str(exc).split(" (at line")[0]
                return (int(found.group(1)), int(found.group(2)), message) if found else (1, None, message)
    except RecursionError:
        return (1, None, "nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - a parser's failure on hostile input is a finding, not a crash
        return (1, None, huge_integer(exc) or f"{type(exc).__name__}: {exc}")
    return None


_ELLIPSIS = lazy_compile(r"\.\.\.|\u2026")
_ELIDED_NOTE = lazy_compile(r"[ \t]*[A-Za-z][^\"\[\]{}\n,:.\u2026]*(?:\.\.\.|\u2026)")


def _next_char(text: str, index: int) -> tuple[str, int]:
    """The first character at or after ``index`` that is not white space, and its index."""
    while index < len(text) and text[index].isspace():
        index += 1
    return (text[index], index) if index < len(text) else ("", index)


def elide_json(text: str) -> str:
    """JSON with its `...` elisions taken out: a member or element left out (`"bases": "AT",` then `...`,
    `[...]`, `[a, ...]`) goes with its comma, an elided value (`"key": ...`) becomes `null`. Strings are
    copied through, so `"..."` stays a string; JSON with no elision comes back unchanged."""
    if "..." not in text and "\u2026" not in text:
        return text
    out: list[str] = []
    index, in_string = 0, False
    while index < len(text):
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\" and index + 1 < len(text):
                out.append(text[index + 1])
                index += 1
            elif char == '"':
                in_string = False
            index += 1
            continue
        if char == '"':
            in_string = True
        elif (found := _ELLIPSIS.match(text, index)) is not None:
            index = found.end()
            noted = _ELIDED_NOTE.match(text, index)  # `{ ... observation object ... }`: an elision with a note
            if noted is not None:
                index = noted.end()
            before = "".join(out).rstrip()
            after, at = _next_char(text, index)
            if before.endswith(":"):
                out.append("null")
            elif before.endswith(","):
                if after in ("}", "]", ","):  # `a, ...]` or `a, ..., b`: the comma before goes (line breaks stay)
                    joined = "".join(out)
                    comma = len(before) - 1
                    out[:] = [joined[:comma] + joined[comma + 1:]]
            elif after == "," and before[-1:] in ("[", "{"):  # `[..., b]`: the comma after goes
                index = at + 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


@rule("SK304", "data-block-syntax", Severity.WARNING)
def data_block_syntax(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Parses `yaml`/`yml`, `json` and `toml` blocks and reports the first syntax error at its line.
    JSON Lines (one document per line) pass; lines that hold only `...` are taken as elisions and
    dropped, and in JSON an elided member, element or value (`[...]`, `"key": ...`, `{"a": 1, ...}`,
    `{ ... observation ... }`) is taken out with its comma; tag JSON with comments `jsonc`. JSON and TOML
    nested deeper than 100 levels are reported without being parsed.

    ## Why is this bad?
    Configs in skills are written to files and loaded: a config that does not parse stops the job
    before it starts.

    ## Example
    A `yaml` block with `lora_r: 16` indented under nothing, or a `json` block with a trailing comma.
    Use instead: the exact file that loads.
    """
    for doc, path in _docs_with_path(skill):
        for fence in doc.fences:
            lang = fence.language
            if lang not in YAML_TAGS | JSON_TAGS | TOML_TAGS:
                continue
            first, text = fence_body(doc, fence)
            text = elide_json(text) if lang in JSON_TAGS else _drop_elisions(text)
            problem = _data_problem(lang, text)
            if problem is not None:
                line, column, message = problem
                yield Violation(f"{lang} block does not parse: {message}", min(first + line - 1, fence.end), column,
                                path=path)  # type: ignore[arg-type]


# `<input.pdf>`, `<test command>`: words in angle brackets, single spaces between them (`<in >out` is a redirect)
_PLACEHOLDER = lazy_compile(r"<([A-Za-z][\w.:/-]*(?: [A-Za-z][\w.:/-]*)*)>")


def normalise_shell(text: str) -> str:
    """Drop output lines of ``$ ``-prompted sessions and turn ``<placeholder>`` into a word."""
    lines = text.split("\n")
    if any(line.startswith("$ ") for line in lines):
        lines = [line[2:] if line.startswith("$ ") else "" for line in lines]
    return _PLACEHOLDER.sub(lambda m: "PLACEHOLDER_" + re.sub(r"\W", "_", m.group(1)), "\n".join(lines))


#: What CPython's parser raises besides SyntaxError on hostile input: a NUL byte (ValueError), deep
#: nesting (RecursionError), a line of 100,000 names (MemoryError: "too many tokens" in the PEG parser).
PARSER_LIMITS = (ValueError, RecursionError, MemoryError, OverflowError)


def python_problem(text: str) -> tuple[int | None, int | None, str] | None:
    """``(line, column, message)`` of the reason ``text`` is not Python, else None. Never raises: every
    ``ast.parse`` of the rules goes through here.

    ``symtable.symtable`` runs the same CPython parser without building the AST's Python objects (a
    quarter cheaper; the same verdict on all 13,444 texts the public corpora give, see
    ``bench/syntax_check.py``). It also rejects what only the symbol table forbids (`nonlocal` at
    module level, a duplicate argument): on any error ``ast.parse`` gives the verdict."""
    import symtable

    try:
        symtable.symtable(text, "<block>", "exec")
        return None
    except Exception:  # noqa: BLE001 - ast.parse below decides and reports
        pass
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.lineno, exc.offset, exc.msg
    except PARSER_LIMITS as exc:
        return None, None, str(exc) or f"the parser gave up ({type(exc).__name__})"
    return None


def _looks_like_python(text: str) -> bool:
    if not re.search(r"^\s*(import |from \w+ import |def |class |print\()", text, re.MULTILINE):
        return False
    return python_problem(text) is None


def shell_blocks(skill: Skill) -> list[tuple[MarkdownDoc, object, Fence, int, str]]:
    found: list[tuple[MarkdownDoc, object, Fence, int, str]] = []
    for doc, path in _docs_with_path(skill):
        for fence in doc.fences:
            if fence.language in SHELL_TAGS:
                first, text = fence_body(doc, fence)
                found.append((doc, path, fence, first, text))
    return found


def shell_scripts(skill: Skill) -> list[tuple[str, str]]:
    from skillkit.parse import text_of

    out = []
    for rel in script_files(skill):
        if not rel.endswith(".py"):
            lines = text_of(skill, rel)
            if lines is not None:
                out.append((rel, "\n".join(lines)))
    return out


def prepare_shell(skills: list[Skill]) -> None:
    """Check the shell blocks and scripts of many skills with one `bash -n` batch (the engine calls this)."""
    from skillkit.shell import check_blocks

    texts: list[str] = []
    owners: list[tuple[Skill, str, int]] = []
    for skill in skills:
        blocks = [normalise_shell(text) for *_, text in shell_blocks(skill)]
        scripts = [text for _, text in shell_scripts(skill)]
        owners.append((skill, "blocks", len(blocks)))
        owners.append((skill, "scripts", len(scripts)))
        texts.extend(blocks)
        texts.extend(scripts)
    results = check_blocks(texts)
    start = 0
    for skill, kind, count in owners:
        skill.cache[("shell", kind)] = results[start : start + count]
        start += count


def shell_results(skill: Skill, kind: str = "blocks") -> list[tuple[int, str] | None]:
    """`bash -n` results for a skill's shell blocks (or scripts), from the batch when there was one."""
    cached = skill.cache.get(("shell", kind))
    if cached is None:
        from skillkit.shell import check_blocks

        texts = ([normalise_shell(text) for *_, text in shell_blocks(skill)] if kind == "blocks"
                 else [text for _, text in shell_scripts(skill)])
        cached = check_blocks(texts)
        skill.cache[("shell", kind)] = cached
    return cached  # type: ignore[return-value]


@rule("SK305", "shell-block-syntax", Severity.WARNING)
def shell_block_syntax(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks `bash`, `sh` and `shell` blocks with `bash -n` (parse only, nothing runs) and reports the
    first syntax error at its line. `$ ` prompts and `<placeholder>` slots (`<input.pdf>`, `<test
    command>`) are allowed; `console` blocks are skipped. One `bash` process checks all blocks of a
    skill in the common case.

    ## Why is this bad?
    Commands are pasted into a terminal by the agent: an unclosed quote or `if` hangs or fails there.
    A Python snippet in a `bash` fence is mislabelled and will be run by the wrong interpreter.

    ## Example
    `for f in *.json; do echo $f` with no `done`. Use instead: a complete command.
    """
    found = shell_blocks(skill)
    results = shell_results(skill)
    for (doc, path, fence, first, text), error in zip(found, results):
        if error is None:
            continue
        line, message = error
        if _looks_like_python(text):
            message = "it holds Python: tag it `python`"
        yield Violation(f"shell block does not parse: {message}", min(first + line - 1, fence.end), None,
                        path=path)  # type: ignore[arg-type]


SCRIPT_DIRS = ("scripts/", "templates/", "examples/")


def script_files(skill: Skill) -> Iterator[str]:
    for rel in skill.files:
        if rel.startswith(SCRIPT_DIRS) and rel.endswith((".py", ".sh", ".bash")) and "/__pycache__/" not in rel:
            yield rel


@rule("SK306", "script-syntax-error", Severity.ERROR)
def script_syntax_error(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks the skill's bundled programs in `scripts/`, `templates/` and `examples/`: `*.py` must
    parse with `ast.parse`, `*.sh` must pass `bash -n`; an executable file without a `#!` line is a
    warning.

    ## Why is this bad?
    The agent runs bundled scripts as they are; a script that does not parse fails the moment the
    skill needs it, and an executable without a shebang runs under the wrong interpreter.

    ## Example
    `scripts/convert.py` with a syntax error. Use instead: a script that runs, tested.
    """
    import os

    from skillkit.parse import text_of

    for rel in script_files(skill):
        lines = text_of(skill, rel)
        path = skill.dir / rel
        if lines is None:
            continue
        if os.access(path, os.X_OK) and not (lines and lines[0].startswith("#!")):
            yield Violation(f"{rel} is executable but has no `#!` line; add one or drop the executable bit", 1, None,
                            path=path, severity=Severity.WARNING)
        if rel.endswith(".py"):
            problem = python_problem("\n".join(lines))
            if problem is not None:
                yield Violation(f"{rel} does not parse: {problem[2]}", problem[0], problem[1], path=path)
    for (rel, _), error in zip(shell_scripts(skill), shell_results(skill, "scripts")):
        if error is not None:
            yield Violation(f"{rel} does not parse: {error[1]}", error[0], None, path=skill.dir / rel)


_PROMPTS_PY = lazy_compile(r"\b(input|getpass(?:\.getpass)?|click\.prompt|click\.confirm|typer\.prompt)\s*\(")
_PROMPTS_SH = lazy_compile(r"(^|[;&|]\s*|\bthen\s+|\bdo\s+)read\b(?![^\n#]*(\s-t\s*\d|<))")
_HELP = lazy_compile(r"argparse|click|typer|fire\.Fire|docopt|--help|\busage\b|sys\.argv", re.IGNORECASE)


@rule("SK307", "script-interactive-prompt", Severity.WARNING)
def script_interactive_prompt(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Warns when a bundled script waits for keyboard input (`input()`, `getpass()`, `click.prompt`, a
    shell `read` without `-t` or a redirect), or offers no usage help (no argparse, click, typer,
    fire, `--help` or usage text).

    ## Why is this bad?
    Agents run scripts without a terminal: a prompt hangs the run until it times out. Scripts
    should take arguments and document them behind `--help`.

    ## Example
    `name = input("Model name: ")`. Use instead: `parser.add_argument("--model", required=True)`.
    """
    from skillkit.parse import text_of

    for rel in script_files(skill):
        lines = text_of(skill, rel)
        if lines is None:
            continue
        path = skill.dir / rel
        pattern = _PROMPTS_PY if rel.endswith(".py") else _PROMPTS_SH
        for number, line in enumerate(lines, 1):
            code = line.split("#", 1)[0] if rel.endswith(".py") else line
            if code.lstrip().startswith("#"):
                continue
            if pattern.search(code):
                yield Violation(f"{rel} waits for keyboard input here; take it as an argument instead", number, None,
                                path=path)
        if rel.startswith("scripts/") and not _HELP.search("\n".join(lines)):
            yield Violation(f"{rel} has no usage help (argparse, click, typer or a usage text)", 1, None, path=path)


class EmptyBlockOptions(Options):
    comments_count: bool = Field(True, description="Count a block holding only comments as having content "
                                 "(false: such a block is empty too; comments as the block's language writes them).")


@rule("SK308", "empty-code-block", Severity.WARNING, options=EmptyBlockOptions)
def empty_code_block(skill: Skill, options: EmptyBlockOptions) -> Iterator[Violation]:
    """## What it does
    Reports a code block with nothing in it: only blank lines or an ellipsis, or (with
    `comments-count = false`, the library profile) only comments.

    ## Why is this bad?
    An empty block is a slot the author never filled: the agent is shown where the command goes
    but not the command.

    ## Example
    A `bash` block holding `# install and run the smallest real example`. Use instead: the commands.
    """
    from skillkit.substance import fence_has_content

    for doc in skill.markdown_docs():
        where = None if doc is skill.body else doc.path
        for fence in doc.fences:
            if not fence_has_content(doc, fence, comments_count=options.comments_count):
                what = "only comments" if fence_has_content(doc, fence, comments_count=True) else "empty"
                yield Violation(f"the code block is {what}; show the code or remove the block", fence.start, None,
                                path=where)
