"""File formats: référentiels and scenarios as YAML, validated with Pydantic.

Pure Python: nothing here imports Flask or the database, so trainers and CI can
validate files without an application.
"""
from simulator.formats.errors import FileProblem, FormatError
from simulator.formats.loading import LoadedFile, load_tree, validate_paths

__all__ = ["FileProblem", "FormatError", "LoadedFile", "load_tree", "validate_paths"]
