"""The init_cfg grammar: Pydantic models of MMEngine's initializers and `type` resolution."""

from .models import BUILTIN_MODELS, InitArgs
from .types import Initializers, resolve_type

__all__ = ["BUILTIN_MODELS", "InitArgs", "Initializers", "resolve_type"]
