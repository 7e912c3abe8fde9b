"""initlint: a static linter and schema validator for OpenMMLab `init_cfg`."""

from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic

__version__ = "0.1.0"
__all__ = ["Diagnostic", "__version__", "validate_init_cfg"]

if TYPE_CHECKING:
    from .api import validate_init_cfg


def __getattr__(name: str) -> Any:
    # The grammar (Pydantic) is imported on first use: a cached lint run never needs it.
    if name == "validate_init_cfg":
        from .api import validate_init_cfg

        return validate_init_cfg
    raise AttributeError(f"module 'initlint' has no attribute {name!r}")
