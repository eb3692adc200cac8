"""Shape inference on the templates and readable, located errors."""

from __future__ import annotations

from workbench.model import templates
from workbench.model.build import build_model, count_parameters
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec


def test_classic_mnist_shapes_and_parameter_count():
    inference = infer(templates.template("mnist-classic"))
    shapes = [info.output for info in inference.layers]
    assert shapes == [
        (10, 24, 24),
        (10, 24, 24),
        (10, 12, 12),
        (20, 8, 8),
        (20, 8, 8),
        (20, 4, 4),
        (320,),
        (50,),
        (50,),
        (10,),
    ]
    assert inference.total_params == 21_840
    assert count_parameters(build_model(templates.template("mnist-classic"))) == 21_840


def test_every_template_is_valid_and_ends_in_ten_classes():
    for name, spec in templates.TEMPLATES.items():
        inference = infer(spec)
        assert inference.ok, (name, inference.error)
        assert inference.output == (10,), name
        assert count_parameters(build_model(spec)) == inference.total_params


def test_conv_formula_has_the_numbers_filled_in():
    info = infer(templates.template("mnist-classic")).layers[0]
    assert info.formula[0] == "H_out = ⌊(28 + 2·0 − 1·(5−1) − 1)/1⌋ + 1 = 24"
    assert info.macs == 10 * 24 * 24 * 25


def test_pool_on_a_one_pixel_input_names_the_layer_cause_and_fix():
    spec = ModelSpec(
        (1, 4, 4),
        [
            LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 3}),
            LayerSpec("MaxPool2d", {"kernel_size": 2}),
            LayerSpec("ReLU"),
            LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 1}),
            LayerSpec("MaxPool2d", {"kernel_size": 2}),
        ],
    )
    inference = infer(spec)
    assert not inference.ok
    assert inference.error.message == (
        "layer 5 MaxPool2d: kernel 2 does not fit the 1×1 input; remove it, reduce kernel_size, "
        "or reduce pooling earlier"
    )
    assert len(inference.layers) == 4  # the working layers are still reported


def test_linear_on_an_image_asks_for_flatten():
    spec = ModelSpec((1, 28, 28), [LayerSpec("Linear", {"out_features": 10})])
    assert (
        infer(spec).error.message
        == "layer 1 Linear: Linear needs a flat vector but gets 1×28×28; add a Flatten layer before it"
    )


def test_totals_include_memory():
    inference = infer(templates.template("mnist-classic"))
    assert inference.param_bytes == 4 * 21_840
    # 10·24·24 twice, 10·12·12, 20·8·8 twice, 20·4·4, 320, 50 twice, 10 values per sample, 4 bytes each
    assert inference.activation_bytes == 4 * (2 * 5760 + 1440 + 2 * 1280 + 320 + 320 + 2 * 50 + 10)
