"""Residual and Concat blocks in the core: their JSON, its bounds, paths, shape inference against torch, the
projection, located errors, edits across stacks, experiments' paths into blocks and the runs diff."""

from __future__ import annotations

import json

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.spec_strategies import IMAGE_TYPES, layers
from workbench.experiments.apply import configure
from workbench.experiments.space import SpaceError, layer_path, parse_space, space_of
from workbench.model import edits, tree
from workbench.model.build import build_model
from workbench.model.formatting import summary_table
from workbench.model.shapes import infer
from workbench.model.spec import MAX_DEPTH, LayerSpec, ModelSpec, SpecError, loads
from workbench.model.vary import parse_domain
from workbench.runs.diff import diff_specs, summary_line
from workbench.training.config import TrainConfig


def conv(channels: int, kernel: int = 3, **params) -> LayerSpec:
    return LayerSpec("Conv2d", {"out_channels": channels, "kernel_size": kernel, **params})


def residual(*layers: LayerSpec, relu_after: bool = False) -> LayerSpec:
    return LayerSpec("Residual", {"relu_after": relu_after} if relu_after else {}, branches=(layers,))


def concat(*branches: tuple[LayerSpec, ...]) -> LayerSpec:
    return LayerSpec("Concat", branches=branches)


NESTED = ModelSpec(
    (1, 28, 28),
    (
        conv(16, padding=1),
        residual(conv(32, stride=2, padding=1, bias=False), LayerSpec("BatchNorm2d"), conv(32, padding=1)),
        concat((conv(8, 1),), (LayerSpec("MaxPool2d", {"kernel_size": 3, "stride": 1, "padding": 1}),), ()),
        residual(residual(conv(72, padding=1), LayerSpec("ReLU")), relu_after=True),
        LayerSpec("AdaptiveAvgPool2d", {"output_size": 1}),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 10}),
    ),
    "nested",
)


def document(layers: list) -> str:
    return json.dumps({"format": "cnn-workbench.model", "version": 1, "input": [1, 8, 8], "layers": layers})


def test_a_nested_spec_survives_json_both_ways_and_reads_as_a_tree():
    again = loads(NESTED.dumps())
    assert again == NESTED and again.dumps() == NESTED.dumps()
    text = NESTED.dumps()
    assert '{"type": "Residual", "layers": [' in text and '"branches": [' in text
    assert json.loads(text)["layers"][3] == {
        "type": "Residual",
        "relu_after": True,
        "layers": [{"type": "Residual", "layers": [NESTED.layers[3].layers[0].layers[0].to_json(), {"type": "ReLU"}]}],
    }


def test_paths_text_and_module_names_name_the_same_layer_as_the_built_model():
    model = build_model(NESTED)
    for path, layer in tree.walk(NESTED):
        text = tree.path_text(NESTED, path)
        assert tree.parse_path(NESTED, [*text.split("."), "x"]) == (path, ["x"])
        module = model.get_submodule(tree.module_name(NESTED, path))
        assert type(module).__name__ == layer.type
    assert tree.path_text(NESTED, (2, 1, 0)) == "layers.2.branches.1.0"
    assert tree.path_text(NESTED, (3, 0, 0, 0, 0)) == "layers.3.layers.0.layers.0"
    assert tree.where(NESTED, (2, 1, 0)) == "layer 3 Concat › branch 2 › layer 1 MaxPool2d"
    assert tree.label(NESTED, (2, 1, 0)) == "3.b2.1" and tree.label(NESTED, (3, 0, 0, 0, 1)) == "4.1.2"
    assert tree.count_layers(NESTED) == 15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("layers.9", "the model has 7 layers (0 to 6), not '9'"),
        ("layers.1.branches.0.0", "layer 2 Residual has no branches.0.0: its layers are layers.N"),
        ("layers.2.branches.3.0", "layer 3 Concat has 3 branches (0 to 2), not '3'"),
        ("layers.2.branches.2.0", "layer 3 Concat › branch 3 has 0 layers"),
        ("layers.0.layers.0", "layer 1 Conv2d has no layers.0: it is not a block"),
    ],
)
def test_a_path_that_names_no_layer_says_what_is_there(text, message):
    with pytest.raises(tree.PathError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tree.parse_path(NESTED, text.split("."))


def _forward_shapes(spec: ModelSpec) -> dict[tuple, tuple]:
    """Every layer's output shape in the built model, by path, measured with hooks."""
    model = build_model(spec).eval()
    shapes = {}
    hooks = [
        model.get_submodule(tree.module_name(spec, path)).register_forward_hook(
            lambda _m, _i, out, path=path: shapes.__setitem__(path, tuple(out.shape[1:]))
        )
        for path, _ in tree.walk(spec)
    ]
    with torch.no_grad():
        model(torch.zeros(2, *spec.input))
    for hook in hooks:
        hook.remove()
    return shapes


def test_inference_equals_torch_for_every_layer_of_a_nested_model():
    inference = infer(NESTED)
    assert inference.ok
    measured = _forward_shapes(NESTED)
    assert measured == {info.path: info.output for info in inference.walk()}
    assert inference.total_params == sum(p.numel() for p in build_model(NESTED).parameters())


@st.composite
def stacks(draw, depth: int = 0):
    """Random stacks of image layers, with blocks (up to 3 deep) among them: mostly impossible ones too."""
    items = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["layer", "layer", "residual", "concat"] if depth < 3 else ["layer"]))
        if kind == "layer":
            items.append(draw(layers(IMAGE_TYPES)))
        elif kind == "residual":
            relu = draw(st.booleans())
            items.append(LayerSpec("Residual", {"relu_after": relu}, branches=(draw(stacks(depth + 1)),)))
        else:
            count = draw(st.integers(1, 3))
            branches = tuple(draw(st.one_of(st.just(()), stacks(depth + 1))) for _ in range(count))
            items.append(LayerSpec("Concat", branches=branches))
    return tuple(items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.tuples(st.integers(1, 4), st.integers(3, 12), st.integers(3, 12)),
    layers=stacks(),
)
def test_inference_of_random_nested_specs_equals_torch_or_locates_the_error(shape, layers):
    spec = ModelSpec(shape, layers)
    inference = infer(spec)
    if inference.error is not None:
        error = inference.error
        assert tree.exists(spec, error.path) and tree.layer_at(spec, error.path).type == error.type
        assert error.message.startswith(error.where or f"layer {error.index} ")
        return
    if inference.over_budget is not None:
        return
    assert _forward_shapes(spec) == {info.path: info.output for info in inference.walk()}
    assert inference.total_params == sum(p.numel() for p in build_model(spec).parameters())
    assert inference.total_macs >= 0


def test_the_projection_takes_the_layers_strides_and_their_batch_norm():
    pooled = residual(conv(8, padding=1), LayerSpec("MaxPool2d", {"kernel_size": 2}), conv(8, stride=2, padding=1))
    info = infer(ModelSpec((4, 16, 16), (pooled,))).layers[0]
    assert info.output == (8, 4, 4)
    assert (info.projection.stride, info.projection.batch_norm, info.projection.params) == ((4, 4), False, 40)
    normed = residual(conv(8, padding=1, bias=False), LayerSpec("BatchNorm2d"))
    info = infer(ModelSpec((4, 16, 16), (normed,))).layers[0]
    assert (info.projection.stride, info.projection.batch_norm, info.projection.params) == ((1, 1), True, 48)
    assert info.projection.text == "1×1 Conv2d 4→8 + BatchNorm2d (48 parameters)"
    same = infer(ModelSpec((4, 16, 16), (residual(conv(4, padding=1)),))).layers[0]
    assert same.projection is None and same.params == 4 * 4 * 9 + 4


@pytest.mark.parametrize(
    ("layers", "where", "words"),
    [
        ([residual()], "layer 1 Residual", "the block has no layers; drag layers into it"),
        ([residual(conv(4, padding=0))], "layer 1 Residual", "its layers make 4×14×14 from 1×16×16, but"),
        ([residual(LayerSpec("Flatten"))], "layer 1 Residual", "an image and a vector cannot be added"),
        (
            [LayerSpec("Flatten"), residual(LayerSpec("Linear", {"out_features": 7}))],
            "layer 2 Residual",
            "make the block's last Linear give 256 features",
        ),
        (
            [concat((conv(2, 1),), (conv(2, 3),))],
            "layer 1 Concat › branch 2 › layer 1 Conv2d",
            "branch 2 makes 14×14 but branch 1 makes 16×16",
        ),
        ([residual(conv(2, 40))], "layer 1 Residual › layer 1 Conv2d", "kernel"),
    ],
)
def test_a_block_that_cannot_work_is_a_located_error_with_its_fix(layers, where, words):
    error = infer(ModelSpec((1, 16, 16), tuple(layers))).error
    assert error is not None and error.message.startswith(where + ":")
    assert words.split(" but")[0] in error.message or words in error.message


def test_a_residual_block_on_vectors_adds_them_and_an_empty_branch_passes_the_input():
    vectors = ModelSpec((12,), (residual(LayerSpec("Linear", {"out_features": 12}), LayerSpec("ReLU")),))
    assert infer(vectors).output == (12,)
    joined = ModelSpec((3, 8, 8), (concat((), (conv(5, 1),)),))
    model = build_model(joined)
    x = torch.randn(2, 3, 8, 8)
    assert torch.equal(model(x)[:, :3], x)


def test_relu_after_is_applied_after_the_sum():
    spec = ModelSpec((2, 4, 4), (residual(conv(2, 1), relu_after=True),))
    model = build_model(spec)
    out = model(torch.randn(3, 2, 4, 4))
    assert out.min() >= 0
    with torch.no_grad():
        plain = model[0].body(torch.ones(1, 2, 4, 4)) + 1
    assert torch.allclose(model(torch.ones(1, 2, 4, 4)), plain.clamp(min=0))


def _nest(depth: int) -> dict:
    entry: dict = {"type": "ReLU"}
    for _ in range(depth):
        entry = {"type": "Residual", "layers": [entry]}
    return entry


def test_blocks_nest_eight_deep_and_no_deeper_and_hostile_files_are_one_line():
    assert tree.depth_of(max((p for p, _ in tree.walk(loads(document([_nest(MAX_DEPTH)])))), key=len)) == MAX_DEPTH
    refusals = [
        (document([_nest(MAX_DEPTH + 1)]), "blocks nest at most 8 deep"),
        ('{"format": "cnn-workbench.model", "version": 1, "input": [1, 8, 8], "layers": [' * 3000, "nested too"),
        (document([{"type": "Concat", "branches": [[]] * 17}]), "17 branches is more than the 16 supported"),
        (document([{"type": "Concat", "branches": [[{"type": "ReLU"}] * 300] * 2}]), "more than the 512 layers"),
        (document([{"type": "Residual", "layers": {"type": "ReLU"}}]), '"layers" must be a list'),
        (document([{"type": "Concat", "branches": []}]), '"branches" must be a list of branches'),
        (document([{"type": "Residual", "layers": [{"type": "Conv2d", "colour": 1}]}]), "layer 1 Residual › layer 1"),
        (document([{"type": "ReLU", "layers": []}]), "unknown parameter 'layers'"),
    ]
    for text, words in refusals:
        with pytest.raises(SpecError) as caught:
            loads(text)
        assert words in str(caught.value) and "\n" not in str(caught.value)


def test_edits_move_layers_into_out_of_and_within_blocks():
    spec = ModelSpec((1, 8, 8), (conv(4, padding=1), residual(conv(1, padding=1)), LayerSpec("ReLU")))
    into = edits.move_layer(spec, (2,), (1, 0, 1))
    assert [layer.type for layer in into.layers] == ["Conv2d", "Residual"]
    assert [layer.type for layer in into.layers[1].layers] == ["Conv2d", "ReLU"]
    out = edits.move_layer(into, (1, 0, 0), (0,))
    assert [layer.type for layer in out.layers] == ["Conv2d", "Conv2d", "Residual"]
    assert out.layers[0] == conv(1, padding=1)
    back = edits.move_layer(out, (0,), (2, 0, 0))
    assert back == into
    within = edits.move_layer(into, (1, 0, 1), (1, 0, 0))
    assert [layer.type for layer in within.layers[1].layers] == ["ReLU", "Conv2d"]
    with pytest.raises(IndexError, match="into itself"):
        edits.move_layer(spec, (1,), (1, 0, 0))
    duplicated = edits.duplicate_layer(spec, (1, 0, 0))
    assert duplicated.layers[1].layers == (conv(1, padding=1),) * 2
    assert edits.remove_layer(duplicated, (1, 0, 1)) == spec
    wider = edits.add_branch(ModelSpec((1, 8, 8), (edits.new_layer("Concat"),)), (0,))
    assert len(wider.layers[0].branches) == 3 and edits.remove_branch(wider, (0,), 2).layers[0].branches == (
        edits.new_layer("Concat").branches
    )
    with pytest.raises(IndexError, match="nest at most"):
        edits.insert_layer(ModelSpec((1, 8, 8), ()), (0,), LayerSpec("Residual", branches=((_deep(MAX_DEPTH),),)))


def _deep(depth: int) -> LayerSpec:
    layer = LayerSpec("ReLU")
    for _ in range(depth):
        layer = LayerSpec("Residual", branches=((layer,),))
    return layer


def test_new_blocks_from_the_palette_work_where_a_convolution_does():
    for name in ("Residual", "Concat"):
        spec = ModelSpec((3, 20, 20), (edits.new_layer(name),))
        assert infer(spec).ok, name


def test_marks_inside_blocks_are_swept_by_their_path_and_follow_the_layer():
    inner = conv(8, padding=1).with_vary("out_channels", parse_domain("out_channels", {"choice": [8, 16]}, None))
    spec = ModelSpec((1, 8, 8), (residual(inner), concat((inner,), ())))
    assert spec.marked and not spec.without_marks().marked
    space = space_of(spec)
    assert [d.name for d in space.domains] == ["layers.0.layers.0.out_channels", "layers.1.branches.0.0.out_channels"]
    moved = edits.move_layer(spec, (1,), (0,))
    assert next(d.name for d in space_of(moved).domains) == "layers.0.branches.0.0.out_channels"
    model, _ = configure(spec, TrainConfig(), {"layers.1.branches.0.0.out_channels": 16})
    assert model.layers[1].branches[0][0].params["out_channels"] == 16 and not model.marked
    assert str(layer_path("layers.1.branches.0.0.out_channels")) == "layers.1.branches.0.0.out_channels"
    for bad, words in [
        ("layers.0.branches.0.out_channels", "is not a layer parameter"),
        ("layers.0.layers.x.out_channels", "is not a layer parameter"),
        ("layers.0.layers.3.out_channels", "layer 1 Residual has 1 layers (0 to 0), not '3'"),
        ("layers.0.layers.0.colour", "layer 1 Residual › layer 1 Conv2d has no parameter 'colour'"),
    ]:
        with pytest.raises(SpaceError, match=words.replace("(", r"\(").replace(")", r"\)")):
            parse_space({bad: {"choice": [1, 2]}}, spec)


def test_the_runs_diff_compares_layers_inside_blocks_in_their_place():
    changed = tree.with_layer(NESTED, (1, 0, 2), conv(32, 5, padding=2))
    rows = [row for row in diff_specs(NESTED, changed) if row.differs]
    assert [(row.kind, row.left.place) for row in rows] == [("same", "2"), ("changed", "2.3")]
    assert rows[1].changes == ("kernel_size 3 → 5", "padding 1 → 2") and "parameters 14,496 → " in rows[0].what
    moved_out = edits.move_layer(NESTED, (1, 0, 1), (2,))
    assert "1 added, 1 removed" in summary_line(diff_specs(NESTED, moved_out))


def test_the_summary_table_lists_the_layers_inside_blocks_and_the_projection():
    table = summary_table(infer(NESTED))
    assert "  2  Residual" in table and "2.1 Conv2d" in table and "3.b2.1 MaxPool2d" in table
    assert "+ projection: 1×1 Conv2d 16→32, stride 2×2 + BatchNorm2d (576 parameters)" in table
    assert "4.1.1 Conv2d" in table


def test_summary_json_nests_a_blocks_layers_and_its_projection():
    data = infer(NESTED).to_json()
    residual_row = data["layers"][1]
    assert residual_row["projection"] == {
        "text": "1×1 Conv2d 16→32, stride 2×2 + BatchNorm2d (576 parameters)",
        "params": 576,
    }
    assert [row["type"] for row in residual_row["branches"][0]] == ["Conv2d", "BatchNorm2d", "Conv2d"]
    assert [len(branch) for branch in data["layers"][2]["branches"]] == [1, 1, 0]
    assert data["total_params"] == sum(row["params"] for row in data["layers"])
