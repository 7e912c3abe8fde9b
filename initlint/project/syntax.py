"""Small questions about a syntax node that the source facts and the container finder share."""

from __future__ import annotations

import ast
from typing import Optional


def is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def is_super(node: ast.AST) -> bool:
    """`super()` (with or without arguments)."""
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def self_attribute(node: ast.AST) -> Optional[str]:
    """`x` of `self.x`."""
    return node.attr if isinstance(node, ast.Attribute) and is_self(node.value) else None


def touches_other_init(node: ast.AST) -> bool:
    """Whether the node reaches the `init_weights` or `init_cfg` of another module
    (`m.init_weights()`, `initialize(m, m.init_cfg)`, `getattr(m, 'init_weights')`): then
    what runs is more than BaseModule's walk to its children."""
    if isinstance(node, ast.Constant):
        return node.value in ("init_weights", "init_cfg")
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("init_weights", "init_cfg")
        and not is_self(node.value)
        and not is_super(node.value)
    )
