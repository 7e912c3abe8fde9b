"""Checks that need the class receiving an init_cfg (the project index): what the checker may
know of it (ModuleInfo), whether the generic grammar applies to it at all, and whether its
constructor accepts what it is given (IL011, IL012)."""

from __future__ import annotations

from typing import Optional

from ..project.index import External, ProjectIndex, Resolved, module_attributes
from ..project.source import ClassFacts
from ..values import DictValue, Node, Scalar, Span, truthiness
from .init_cfg import Finding, ModuleInfo


def module_info(index: ProjectIndex, cls: Resolved) -> ModuleInfo:
    attributes, complete = index.attributes(cls)
    own = {a for a in attributes - module_attributes() if not a.startswith("_")}
    layers: dict[str, str] = {}
    for current in index.lineage(cls).classes:
        if isinstance(current, ClassFacts):
            for attribute in current.attribute_types:
                target = index.attribute_class(cls, attribute)
                if isinstance(target, External) and target.is_torch:
                    layers.setdefault(attribute, target.name)
    return ModuleInfo(cls.name, frozenset(attributes) if complete else None, frozenset(own),
                      layers)


def generic_grammar_applies(index: ProjectIndex, cls: Resolved) -> Optional[bool]:
    """False for classes whose init_weights reads init_cfg their own way; None if unknown."""
    own = index.reads_own_init_cfg(cls)
    return None if own is None else not own


def constructor_findings(index: ProjectIndex, cls: Resolved, value: Node,
                         owner: Optional[DictValue], span: Optional[Span]) -> list[Finding]:
    """IL011 and IL012: what constructing `cls` with this init_cfg raises."""
    params = index.init_params(cls)
    if params is None:
        return []
    findings = []
    if "init_cfg" not in params.names and not params.var_kwargs:
        findings.append(Finding(
            "IL011", f"{cls.name}.__init__ takes no `init_cfg` (and no **kwargs): building it "
            "raises TypeError; remove init_cfg or set it on a module that takes one", (), span))
    pretrained = owner.entries.get("pretrained") if owner is not None else None
    if params.forbids_init_cfg_with_pretrained and pretrained is not None and \
            isinstance(pretrained.value, Scalar) and truthiness(pretrained.value) and \
            truthiness(value):
        findings.append(Finding(
            "IL012", f"{cls.name} asserts that `pretrained` and `init_cfg` are not both set; "
            "drop `pretrained` and use init_cfg=dict(type='Pretrained', checkpoint=...)",
            (), pretrained.key_span or pretrained.value.span))
    return findings
