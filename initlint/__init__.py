"""initlint: a static linter and schema validator for OpenMMLab `init_cfg`."""

from .api import validate_init_cfg
from .diagnostics import Diagnostic

__version__ = "0.1.0"
__all__ = ["Diagnostic", "__version__", "validate_init_cfg"]
