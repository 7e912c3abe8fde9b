"""The lint path's compiled grammar (grammar/spec.py, from data/grammar.json) builds every
initializer exactly as its Pydantic model does: the same arguments accepted with the same
values and defaults, the same kind of error on the same argument, the same call-time issues.
(tests/test_api_matches_cli.py compares the two through the whole checker on the hand-written
cases; this compares them on generated arguments.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initlint.grammar.models import ModelSpec, model_of, model_specs
from initlint.grammar.spec import Initializer, Spec, builtin_specs
from initlint.values import Unknown

NAMES = sorted(builtin_specs())
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.sampled_from([0.0, -0.0, 1.0, np.float32(0.5), np.float64(0.0), 1 + 0j]),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=1), st.integers(), max_size=1),
    st.builds(Unknown, st.none(), st.just("unknown")),
)


def _kinds(errors: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """The kind of error on each argument, as the rules tell them apart."""

    def kind(found: list[dict[str, Any]]) -> str:
        types = {str(e["type"]) for e in found}
        for special in ("extra_forbidden", "missing", "invalid_value"):
            if special in types:
                return special
        return "invalid"

    return {key: kind(found) for key, found in errors.items()}


def _same_build(compiled: Initializer, model: Initializer, data: dict[str, Any]) -> None:
    built, errors = compiled.build(data)
    expected, expected_errors = model.build(data)
    assert _kinds(errors) == _kinds(expected_errors), data
    for key, found in errors.items():  # the value the rules quote (not for a missing one)
        if found[0]["type"] == "missing":
            continue
        assert (
            found[0]["input"] is expected_errors[key][0]["input"]
            or found[0]["input"] == expected_errors[key][0]["input"]
        )
    if key_messages := {
        k: e[0]["msg"] for k, e in expected_errors.items() if e[0]["type"] == "invalid_value"
    }:
        assert {k: errors[k][0]["msg"] for k in key_messages} == key_messages
    assert (built is None) == (expected is None)
    if built is not None and expected is not None:
        for field in type(expected).model_fields:  # type: ignore[attr-defined]
            if field != "type":
                assert repr(getattr(built, field)) == repr(getattr(expected, field)), field
        assert built.call_time_issues() == expected.call_time_issues()


def test_the_compiled_grammar_has_every_model() -> None:
    assert NAMES == sorted(model_specs())
    for name in NAMES:
        assert builtin_specs()[name].keys == model_specs()[name].keys


# The machine may be busy: what matters is the number of examples, not their pace.
RELAXED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", NAMES)
@RELAXED
@given(data=st.data())
def test_compiled_and_model_build_alike(name: str, data: st.DataObject) -> None:
    keys = [*builtin_specs()[name].keys, "stddev", "_delete_", "override"]
    chosen = data.draw(st.dictionaries(st.sampled_from(keys), values, max_size=5))
    _same_build(builtin_specs()[name], model_specs()[name], chosen)


@RELAXED
@given(
    params=st.lists(
        st.sampled_from(["alpha", "beta", "layer", "bias", "val"]), unique=True, max_size=4
    ),
    defaulted=st.sets(st.sampled_from(["alpha", "beta", "layer", "bias", "val"])),
    var_kwargs=st.booleans(),
    base_init=st.booleans(),
    data=st.data(),
)
def test_a_project_initializer_builds_as_its_model(
    params: list[str], defaulted: set[str], var_kwargs: bool, base_init: bool, data: st.DataObject
) -> None:
    spec = Spec.from_signature(
        "ScaledNormal", params, sorted(defaulted & set(params)), var_kwargs, base_init
    )
    keys = [*spec.keys, "gamma"]
    chosen = data.draw(st.dictionaries(st.sampled_from(keys), values, max_size=4))
    _same_build(spec, ModelSpec(model_of(spec)), chosen)
