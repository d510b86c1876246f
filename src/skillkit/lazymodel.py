"""Settings models that import pydantic only when they validate a user's data.

The configuration (``[tool.skillkit]``), the quality profiles and every rule's options are declared as
pydantic models are (annotations, ``Field(...)``, ``model_config = ConfigDict(...)``), but on :class:`Model`,
a plain Python class: building one from its defaults or from data this package ships imports no pydantic.
That import is about 60 ms, the largest part of a one-skill lint (a pre-commit hook on one changed skill),
which with no configuration file validates nothing.

``Model.model_validate(data)`` is for data from outside (a ``pyproject.toml``): on first use it builds the
class's pydantic twin (same name, fields, defaults, constraints and config), validates with it, so its
coercions and error messages are pydantic's, and returns an instance of the plain class. Failures raise
:class:`ValidationFailed` with pydantic's ``errors()``. ``model_json_schema`` is the twin's.

Calling the class itself (``LengthOptions(max_lines=400)``, ``Profile(**shipped_toml)``) trusts its input:
names or aliases, no checks. Use it only for defaults and for data a test validates (the shipped profiles).

Example::

    class LengthOptions(Model):
        model_config = ConfigDict(extra="forbid", alias_generator=lambda n: n.replace("_", "-"))
        max_lines: int = Field(500, ge=1)

    LengthOptions().max_lines                            # 500, no pydantic
    LengthOptions.model_validate({"max-lines": 0})       # ValidationFailed: greater than or equal to 1
"""

from __future__ import annotations

import builtins
import json
import sys
from collections.abc import Callable
from typing import Any, ClassVar

_MISSING: Any = object()


class FieldInfo:
    """What :func:`Field` declares: a default (or a factory) and pydantic's constraint keywords."""

    __slots__ = ("default", "default_factory", "kwargs")

    def __init__(self, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None,
                 kwargs: dict[str, Any] | None = None) -> None:
        self.default = default
        self.default_factory = default_factory
        self.kwargs = kwargs or {}

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def make_default(self) -> Any:
        if self.default_factory is not None:
            return self.default_factory()
        value = self.default
        return value.copy() if isinstance(value, (list, dict, set)) else value


def Field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None, **kwargs: Any) -> Any:  # noqa: N802
    """``pydantic.Field`` as the declaration of a :class:`Model` field (``...`` or nothing: required)."""
    return FieldInfo(_MISSING if default is ... else default, default_factory, kwargs)


def ConfigDict(**kwargs: Any) -> dict[str, Any]:  # noqa: N802
    """``pydantic.ConfigDict``: the twin gets these settings; ``frozen`` and aliases apply here too."""
    return kwargs


class ValidationFailed(ValueError):
    """Data refused by a model: ``errors()`` is pydantic's list (``loc``, ``msg``, ``type``)."""

    def __init__(self, errors: list[dict[str, Any]], text: str) -> None:
        super().__init__(text)
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


class Model:
    """Base of the settings models; see the module docstring."""

    model_config: ClassVar[dict[str, Any]] = {}
    #: field name -> declaration, in declaration order (inherited fields first), and name -> alias
    _fields: ClassVar[dict[str, FieldInfo]] = {}
    _aliases: ClassVar[dict[str, str]] = {}
    _by_alias: ClassVar[dict[str, str]] = {}
    _twin_class: ClassVar[Any] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if name.startswith("_") or name == "model_config" or str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, _MISSING)
            fields[name] = value if isinstance(value, FieldInfo) else FieldInfo(value)
            if name in cls.__dict__:
                delattr(cls, name)
        generate = cls.model_config.get("alias_generator")
        cls._fields = fields
        cls._aliases = {n: f.kwargs.get("alias") or (generate(n) if generate else n) for n, f in fields.items()}
        cls._by_alias = {alias: n for n, alias in cls._aliases.items()}
        cls._twin_class = None

    def __init__(self, **data: Any) -> None:
        given = {}
        for key, value in data.items():
            name = key if key in self._fields else self._by_alias.get(key)
            if name is None:
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
            given[name] = value
        values = self.__dict__  # in declaration order, however given: model_dump_json is a cache key
        for name, info in self._fields.items():
            if name in given:
                values[name] = given[name]
            elif info.required:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
            else:
                values[name] = info.make_default()

    # ---------------------------------------------------------------- plain-object behaviour

    def __setattr__(self, name: str, value: Any) -> None:
        if self.model_config.get("frozen"):
            raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")
        if name not in self._fields:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        self.__dict__[name] = value

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        if not self.model_config.get("frozen"):
            raise TypeError(f"unhashable type: {type(self).__name__!r}")
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def model_dump(self, by_alias: bool = False) -> dict[str, Any]:
        """The fields as plain data (nested models as dicts), keyed by name or, with ``by_alias``, alias."""
        return {(self._aliases[n] if by_alias else n): _dump(v, by_alias) for n, v in self.__dict__.items()}

    def model_dump_json(self) -> str:
        """The fields as compact JSON, in declaration order (stable: a cache key)."""
        return json.dumps(self.model_dump(), separators=(",", ":"), ensure_ascii=False, default=str)

    @classmethod
    def field_aliases(cls) -> list[str]:
        """The keys a user writes, in declaration order."""
        return list(cls._aliases.values())

    # ---------------------------------------------------------------- pydantic, on demand

    @classmethod
    def model_validate(cls, data: Any) -> Model:
        """Validate ``data`` (a mapping from a user's file) with the pydantic twin; an instance of ``cls``."""
        from pydantic import ValidationError

        try:
            checked = cls.twin().model_validate(data)
        except ValidationError as exc:
            raise ValidationFailed(exc.errors(), str(exc)) from None
        return _from_twin(checked)  # type: ignore[no-any-return]

    @classmethod
    def model_json_schema(cls, by_alias: bool = True) -> dict[str, Any]:
        return cls.twin().model_json_schema(by_alias=by_alias)  # type: ignore[no-any-return]

    @classmethod
    def twin(cls) -> Any:
        """The pydantic model with this class's name, fields, defaults and config (built once)."""
        if cls.__dict__.get("_twin_class") is None:
            cls._twin_class = _build_twin(cls)
        return cls._twin_class


def _dump(value: Any, by_alias: bool) -> Any:
    if isinstance(value, Model):
        return value.model_dump(by_alias)
    if isinstance(value, (list, tuple)):
        return [_dump(v, by_alias) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, by_alias) for k, v in value.items()}
    return value


class _TwinNamespace(dict):  # type: ignore[type-arg]
    """Locals for evaluating a field's annotation: a Model class named in it stands for its twin."""

    def __init__(self, module_globals: dict[str, Any]) -> None:
        super().__init__()
        self.module_globals = module_globals

    def __missing__(self, key: str) -> Any:
        value = self.module_globals[key] if key in self.module_globals else getattr(builtins, key)
        return value.twin() if isinstance(value, type) and issubclass(value, Model) else value


def _to_twin(value: Any) -> Any:
    if isinstance(value, Model):
        return type(value).twin().model_validate(value.model_dump(by_alias=True))
    if isinstance(value, list):
        return [_to_twin(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_twin(v) for k, v in value.items()}
    return value


def _from_twin(value: Any) -> Any:
    lazy = getattr(type(value), "__lazy_model__", None)
    if lazy is not None:
        obj = lazy.__new__(lazy)
        obj.__dict__.update({n: _from_twin(getattr(value, n)) for n in lazy._fields})
        return obj
    if isinstance(value, list):
        return [_from_twin(v) for v in value]
    if isinstance(value, dict):
        return {k: _from_twin(v) for k, v in value.items()}
    return value


def _build_twin(cls: type[Model]) -> Any:
    import pydantic

    module_globals = vars(sys.modules[cls.__module__])
    annotations: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        annotations.update(klass.__dict__.get("__annotations__", {}))
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "__annotations__": {},
        "model_config": pydantic.ConfigDict(**cls.model_config),  # type: ignore[typeddict-item]
    }
    locals_ = _TwinNamespace(module_globals)
    for name, info in cls._fields.items():
        annotation = annotations[name]
        namespace["__annotations__"][name] = eval(annotation, {}, locals_) if isinstance(annotation, str) else annotation
        if info.default_factory is not None:
            factory = info.default_factory
            namespace[name] = pydantic.Field(default_factory=lambda f=factory: _to_twin(f()), **info.kwargs)
        elif info.default is _MISSING:
            namespace[name] = pydantic.Field(..., **info.kwargs)
        else:
            namespace[name] = pydantic.Field(_to_twin(info.default), **info.kwargs)
    twin = type(cls.__name__, (pydantic.BaseModel,), namespace)
    twin.__lazy_model__ = cls  # type: ignore[attr-defined]
    return twin
