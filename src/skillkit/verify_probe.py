"""Runs INSIDE the interpreter being verified (`skillkit verify --python ...`), never in skillkit's own.

Standard library only. Reads a JSON job on stdin: skills, each with Python blocks (already normalised),
and distribution names; writes one JSON line per skill to stdout. It imports the modules the blocks
import and looks names up with getattr; it never runs a block. Importing a package runs its code:
that is why this is a separate process with a time limit.
"""

import ast
import importlib
import inspect
import json
import sys


class Missing(Exception):
    """A module that is not installed."""


class Broken(Exception):
    """Something that exists but could not be loaded (a missing optional dependency, an error on import)."""


_modules = {}


def load_module(name):
    if name in _modules:
        result = _modules[name]
        if isinstance(result, Exception):
            raise result
        return result
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or name
        # the module itself or one of its parent packages is absent; otherwise one of its dependencies is.
        # A ModuleNotFoundError raised by the module's own code (transformers' lazy modules raise one with
        # no `name` for a failed optional import) is a broken import, not a missing module: ask the finder.
        own = name == missing or name.startswith(missing + ".")
        err = Missing(missing) if own and not _findable(missing) else Broken(f"ModuleNotFoundError: {exc}")
        _modules[name] = err
        raise err from None
    except BaseException as exc:  # noqa: BLE001 - any failure while importing third-party code
        if isinstance(exc, KeyboardInterrupt):
            raise
        err = Broken(f"{type(exc).__name__}: {exc}")
        _modules[name] = err
        raise err from None
    _modules[name] = module
    return module


def _findable(name, unsure=True):
    """Whether the import system can locate ``name`` (its parents are imported to ask); ``unsure`` when
    asking fails (a parent that does not import, a module without a spec)."""
    import importlib.util

    parent = sys.modules.get(name.rpartition(".")[0]) if "." in name else None
    if parent is not None and not hasattr(parent, "__path__"):
        return False  # a plain module has no submodules
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return unsure
    except BaseException:  # noqa: BLE001 - third-party code running in a parent's import
        if unsure:
            return True
        raise


def missing_kind(missing):
    """`not-installed` when the top-level package is absent, `unknown-name` when only a submodule is."""
    top = missing.split(".")[0]
    return "unknown-name" if missing != top and _findable(top, unsure=False) else "not-installed"




def lookup(obj, attr, qualname):
    """getattr, or a submodule import; ``AttributeError`` means the name does not exist."""
    try:
        return getattr(obj, attr)
    except AttributeError:
        pass
    except BaseException as exc:  # noqa: BLE001 - lazy modules import on attribute access
        raise Broken(f"{type(exc).__name__}: {exc}") from None
    if inspect.ismodule(obj):
        try:
            return load_module(f"{obj.__name__}.{attr}")
        except Missing:
            raise AttributeError(qualname) from None
    if inspect.isclass(obj) and _declared_field(obj, attr):
        return None  # a dataclass / pydantic / annotated field: exists on instances, not on the class
    raise AttributeError(qualname)


def _declared_field(cls, attr):
    for klass in getattr(cls, "__mro__", ()):
        for table in ("__dataclass_fields__", "model_fields", "__annotations__", "__fields__"):
            try:
                fields = klass.__dict__.get(table) or {}
                if attr in fields:
                    return True
            except Exception:  # noqa: BLE001
                continue
    return False


def open_keywords(obj):
    """A class whose declared signature lists fewer keywords than it takes: a pydantic model with
    ``extra="allow"``, or one whose own ``__init__`` takes ``**kwargs`` and maps them (llama-index's
    ``Document(text=..., doc_id=...)``); pydantic publishes the fields as the signature either way."""
    if not inspect.isclass(obj):
        return False
    config = getattr(obj, "model_config", None)
    if isinstance(config, dict) and config.get("extra") == "allow":
        return True
    for klass in obj.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if (getattr(klass, "__module__", "") or "").startswith("pydantic"):
            return False  # BaseModel's own __init__(**data): the fields are the keywords
        try:
            return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(init).parameters.values())
        except (TypeError, ValueError):
            return False
    return False


class Checker(ast.NodeVisitor):
    def __init__(self, first_line, out):
        self.first_line = first_line
        self.out = out
        self.names = {}  # local name -> (object, dotted name)
        self.unresolved = set()  # local names bound to things we could not load
        self.seen = set()

    def emit(self, kind, node, message, name):
        key = (kind, node.lineno, node.col_offset, name)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.append({"kind": kind, "line": self.first_line + node.lineno - 1, "column": node.col_offset + 1,
                         "message": message, "name": name})

    def missing(self, node, exc, name):
        if missing_kind(str(exc)) == "unknown-name":
            self.emit("unknown-name", node, f"module `{exc}` does not exist", name)
        else:
            self.emit("not-installed", node, f"module `{exc}` is not installed; `{name}` is unverified", name)

    def visit_Import(self, node):
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            target = alias.name if alias.asname else alias.name.split(".")[0]
            try:
                load_module(alias.name)
                module = load_module(target)
                self.names[local] = (module, target)
                self.out.append({"kind": "checked", "name": alias.name})
            except Missing as exc:
                self.unresolved.add(local)
                self.missing(node, exc, alias.name)
            except Broken as exc:
                self.unresolved.add(local)
                self.emit("unverified", node, f"`{alias.name}` could not be imported ({exc}); unverified", alias.name)

    def visit_ImportFrom(self, node):
        if node.level or not node.module:
            return
        try:
            module = load_module(node.module)
        except Missing as exc:
            for alias in node.names:
                self.unresolved.add(alias.asname or alias.name)
            self.missing(node, exc, node.module)
            return
        except Broken as exc:
            for alias in node.names:
                self.unresolved.add(alias.asname or alias.name)
            self.emit("unverified", node, f"`{node.module}` could not be imported ({exc}); unverified", node.module)
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            qual = f"{node.module}.{alias.name}"
            try:
                self.names[local] = (lookup(module, alias.name, qual), qual)
                self.out.append({"kind": "checked", "name": qual})
            except AttributeError:
                self.unresolved.add(local)
                self.emit("unknown-name", node, f"`{alias.name}` does not exist in `{node.module}`", qual)
            except (Broken, Missing) as exc:
                self.unresolved.add(local)
                self.emit("unverified", node, f"`{qual}` could not be loaded ({exc}); unverified", qual)

    def resolve(self, node):
        """(object, dotted name) for a Name or an Attribute chain on an imported name; None if not ours."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if base is None:
                return None
            obj, qual = base
            name = f"{qual}.{node.attr}"
            try:
                found = lookup(obj, node.attr, name)
            except AttributeError:
                self.emit("unknown-name", node, f"`{name}` does not exist", name)
                return None
            except (Broken, Missing):
                return None
            self.out.append({"kind": "checked", "name": name})
            return (found, name) if found is not None else None
        return None

    def visit_Attribute(self, node):
        if isinstance(node.ctx, ast.Load):
            self.resolve(node)
        else:
            self.generic_visit(node)

    def visit_Call(self, node):
        target = self.resolve(node.func)
        if target is not None:
            obj, qual = target
            keywords = [k for k in node.keywords if k.arg is not None]
            if keywords and callable(obj):
                try:
                    sig = inspect.signature(obj)
                except (TypeError, ValueError):
                    sig = None
                if sig is not None and not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()) \
                        and not open_keywords(obj):
                    accepted = {n for n, p in sig.parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
                    for kw in keywords:
                        self.out.append({"kind": "checked", "name": f"{qual}({kw.arg}=)"})
                        if kw.arg not in accepted:
                            self.emit("unknown-keyword", kw, f"`{qual}()` has no keyword argument `{kw.arg}`",
                                      f"{qual}({kw.arg}=)")
        for child in [*node.args, *node.keywords]:
            self.visit(child)
        if target is None:
            self.visit(node.func)


def check_block(code, first_line):
    out = []
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):  # hostile input: nothing to check
        return out
    Checker(first_line, out).visit(tree)
    return out


def versions(names):
    from importlib import metadata

    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except Exception:  # noqa: BLE001 - PackageNotFoundError and broken metadata alike
            found[name] = None
    return found


def main():
    job = json.load(sys.stdin)
    for skill in job["skills"]:
        results = []
        for block in skill["blocks"]:
            for item in check_block(block["code"], block["first_line"]):
                item["file"] = block["file"]
                results.append(item)
        imported = sorted({m.split(".")[0] for m, v in _modules.items() if not isinstance(v, Exception)})
        dists = {}
        try:
            from importlib import metadata

            mapping = metadata.packages_distributions()
            for top in imported:
                for dist in mapping.get(top, []):
                    dists[dist] = None
        except Exception:  # noqa: BLE001
            pass
        report = {
            "skill": skill["id"],
            "results": results,
            "requirements": versions(skill["distributions"]),
            "packages": versions(sorted(dists)),
        }
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
    sys.stdout.write(json.dumps({"python": sys.version.split()[0], "executable": sys.executable}) + "\n")


if __name__ == "__main__":
    main()
