"""The templates built from blocks (resnet-mini, inception-mini): their shape, any input size, the recipe they carry,
and their promise on the built-in digits; and every template's description, recipe, measurement and source."""

from __future__ import annotations

import json

import pytest
import torch

from tests.core.hostile import run_cli
from workbench.data.datasets import load_dataset
from workbench.events import Finished
from workbench.model import templates
from workbench.model.build import build_model
from workbench.model.shapes import infer
from workbench.model.spec import loads
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

BLOCK_TEMPLATES = ("resnet-mini", "inception-mini")
DIGITS_PROMISE = 0.93  # test accuracy on the built-in digits after 3 epochs of the template's recipe


def test_every_template_has_a_description_recipe_measurement_and_source():
    names = set(templates.TEMPLATES)
    for table in (templates.DESCRIPTIONS, templates.RECIPES, templates.MEASURED, templates.SOURCES):
        assert set(table) == names
    for name in names:
        assert templates.SOURCES[name].strip() and "\n" not in templates.SOURCES[name]
        TrainConfig(**templates.recipe(name))  # a recipe a run can take


def test_resnet_mini_is_three_stages_of_basic_blocks_that_halve_and_project():
    spec = templates.template("resnet-mini")
    inference = infer(spec)
    blocks = [(index, info) for index, info in enumerate(inference.layers) if info.type == "Residual"]
    assert len(blocks) == 3
    for index, _ in blocks:
        layer = spec.layers[index]
        assert layer.params["relu_after"] is True
        assert [inner.type for inner in layer.layers] == ["Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d"]
    assert [info.output for _, info in blocks] == [(16, 28, 28), (32, 14, 14), (64, 7, 7)]
    first, second, third = (info.projection for _, info in blocks)
    assert first is None  # same channels, same size: the identity
    assert (second.in_channels, second.out_channels, second.stride) == (16, 32, (2, 2))
    assert (third.in_channels, third.out_channels, third.stride) == (32, 64, (2, 2))
    assert [layer.type for layer in spec.layers[-3:]] == ["AdaptiveAvgPool2d", "Flatten", "Linear"]


def test_inception_mini_has_inception_modules_between_pooling():
    spec = templates.template("inception-mini")
    inference = infer(spec)
    concats = [index for index, layer in enumerate(spec.layers) if layer.type == "Concat"]
    assert len(concats) == 2
    for index in concats:
        branches = [[layer.type for layer in branch] for branch in spec.layers[index].branches]
        assert branches == [
            ["Conv2d", "BatchNorm2d", "ReLU"],
            ["Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU"],
            ["MaxPool2d", "Conv2d", "BatchNorm2d", "ReLU"],
        ]
        assert spec.layers[index - 1].type == "MaxPool2d"
        pool = spec.layers[index].branches[2][0].params
        assert (pool["kernel_size"], pool["stride"], pool["padding"]) == (3, 1, 1)
        info = inference.layers[index]
        assert info.output[1:] == info.input[1:]  # the module keeps the size; the pooling between halves it
    assert inference.output == (10,)


@pytest.mark.parametrize("name", BLOCK_TEMPLATES)
@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 32, 32), (3, 64, 48)])
def test_block_templates_build_for_other_datasets_input(name, shape):
    """The app sets a template's input to the dataset's (`with_input`): global pooling makes any size fit."""
    spec = templates.template(name).with_input(shape)
    inference = infer(spec)
    assert inference.error is None and inference.output == (10,)
    model = build_model(spec).eval()
    with torch.no_grad():
        assert model(torch.zeros(2, *shape)).shape == (2, 10)
    assert sum(p.numel() for p in model.parameters()) == inference.total_params


@pytest.mark.parametrize("name", [name for name in templates.TEMPLATES if templates.RECIPES[name]])
def test_template_command_writes_the_recipe_into_the_spec(capsys, name):
    code, out, err = run_cli(["template", name], capsys)
    assert code == 0, err
    assert json.loads(out)["recommended"] == templates.recipe(name)
    assert loads(out) == templates.template(name)  # blocks included, the JSON reads back as the same spec


def test_templates_command_shows_each_source(capsys):
    code, out, err = run_cli(["templates"], capsys)
    assert code == 0, err
    for name in templates.TEMPLATES:
        assert name in out and templates.SOURCES[name][:60] in out


@pytest.mark.parametrize("name", BLOCK_TEMPLATES)
def test_block_templates_keep_their_promise_on_the_built_in_digits(name):
    """Their recipe, 3 epochs, one thread: at least 93% on the digits' test split (seeds 0-4: 94.7-96.7%)."""
    config = TrainConfig(**{**templates.recipe(name), "epochs": 3, "seed": 0, "threads": 1, "device": "cpu"})
    events = []
    trainer = Trainer(templates.template(name), load_dataset("digits"), config, listener=events.append)
    assert trainer.fit() == "finished"
    finished = next(event for event in events if isinstance(event, Finished))
    assert finished.test_accuracy >= DIGITS_PROMISE, (name, finished.test_accuracy)
