"""Parse YAML while remembering the line of every key, refusing duplicate keys."""
from __future__ import annotations

from typing import Any

import yaml

from simulator.formats.errors import FileProblem

Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that records lines and refuses duplicate mapping keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            loader.duplicate_keys.append((key, seen[key], key_node.start_mark.line + 1))
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            lines[child] = key_node.start_mark.line + 1
            _line_map(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), lines)


class SourceMap:
    """Line numbers by field path, falling back to the nearest known parent."""

    def __init__(self, lines: dict[Path, int]):
        self._lines = lines

    def line(self, path: Path) -> int | None:
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)


def parse_yaml(text: str, filename: str) -> tuple[Any, SourceMap]:
    """Return (data, source map) or raise FormatError-ready problems as ValueError."""
    from simulator.formats.errors import FormatError

    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormatError([FileProblem(
            path=filename,
            line=mark.line + 1 if mark else None,
            field="",
            found=f"YAML that does not parse ({problem})",
            expected="valid YAML (check indentation, colons and quotes)",
        )]) from exc
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _line_map(node, (), lines)
    if loader.duplicate_keys:
        raise FormatError([
            FileProblem(filename, line, str(key), f"the key {key!r} a second time (first on line {first})",
                        "each key once in a mapping")
            for key, first, line in loader.duplicate_keys
        ])
    return data, SourceMap(lines)
