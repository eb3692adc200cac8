"""Shape inference of blocks: a Residual block adds its input to what its layers make (through a projection
when they change the channels or the size), a Concat block stacks its branches' outputs on the channel axis.

Their errors are located: at the block when the sum or the join cannot be made, at the branch's layer that
changes the size when the branches disagree, each with the fix. `model/blocks.py` builds exactly this.
"""

from __future__ import annotations

import math

from workbench.messages import say
from workbench.model.catalog import RESIDUAL
from workbench.model.layer_info import LayerError, LayerInfo, Projection, located
from workbench.model.params import as_pair
from workbench.model.shape_rules import Shape, shape_text
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path


def infer_block(
    spec: ModelSpec, block: LayerSpec, path: Path, shape: Shape, infer_stack
) -> tuple[LayerInfo, LayerError | None]:
    """The block's info from its stacks' (inferred by `infer_stack`, `shapes.infer_stack`), or its error."""
    if not block.branches:  # only a spec made in code can have none: JSON's blocks are checked when read
        fix = say("fix.block_empty")
        return _info(block, path, shape, shape, ()), located(spec, path, block.type, shape, say("block.empty"), fix)
    branches = []
    for number, layers in enumerate(block.branches):
        infos, error = infer_stack(spec, layers, (*path, number), shape)
        if error is not None:
            return _info(block, path, shape, shape, ()), error
        branches.append(infos)
    if block.type == RESIDUAL:
        return _residual(spec, block, path, shape, tuple(branches))
    return _concat(spec, block, path, shape, tuple(branches))


def _info(block: LayerSpec, path: Path, shape: Shape, output: Shape, branches, projection=None, formula=()):
    inner = [info for branch in branches for info in branch]
    extra_params, extra_macs = (projection.params, projection.macs) if projection else (0, 0)
    return LayerInfo(
        path[-1] + 1,
        block.type,
        shape,
        output,
        sum(info.params for info in inner) + extra_params,
        sum(info.macs for info in inner) + extra_macs,
        formula,
        path,
        branches,
        projection,
    )


def _residual(spec, block, path, shape, branches) -> tuple[LayerInfo, LayerError | None]:
    layers = branches[0]
    if not layers:
        return _info(block, path, shape, shape, branches), located(
            spec, path, block.type, shape, say("block.no_layers"), say("fix.block_empty")
        )
    made = layers[-1].output
    sum_text = "ReLU(x + f(x))" if block.resolved()["relu_after"] else "x + f(x)"
    if made == shape:
        return _info(block, path, shape, made, branches, formula=(f"out = {sum_text}",)), None
    problem = _cannot_add(shape, made, block)
    if problem is not None:
        return _info(block, path, shape, shape, branches), located(spec, path, block.type, shape, *problem)
    stride = _stride(block.layers)
    size = tuple((side - 1) // step + 1 for side, step in zip(shape[1:], stride, strict=True))
    if size != made[1:]:
        cause = say(
            "block.projection_size",
            made=shape_text(made),
            shape=shape_text(shape),
            stride=f"{stride[0]}×{stride[1]}",
            projected=shape_text((made[0], *size)),
        )
        fix = say("fix.projection_size")
        return _info(block, path, shape, shape, branches), located(spec, path, block.type, shape, cause, fix)
    norm = any(layer.type == "BatchNorm2d" for stack in block.branches for item in stack for layer in item.walk())
    weights = shape[0] * made[0]
    params = weights + (2 * made[0] if norm else made[0])
    projection = Projection(shape[0], made[0], stride, norm, params, weights * math.prod(size))
    formula = (f"out = {sum_text.replace('x +', 'P(x) +')}", f"P = {projection.text}")
    return _info(block, path, shape, made, branches, projection, formula), None


def _cannot_add(shape: Shape, made: Shape, block: LayerSpec) -> tuple[str, str] | None:
    """Why the block's input and its layers' output cannot be added even with a projection, or None."""
    if len(shape) == 3 and len(made) == 3:
        return None
    if len(shape) != len(made):
        return say("block.image_vector", made=shape_text(made), shape=shape_text(shape)), say("fix.image_vector")
    return (
        say("block.vector_count", made=shape_text(made), shape=shape_text(shape)),
        say("fix.vector_count", shape=shape_text(shape)),
    )


def _stride(layers: tuple[LayerSpec, ...]) -> tuple[int, int]:
    """The layers' strides multiplied per axis (pooling counts; a block counts its layers' or first branch's)."""
    total = (1, 1)
    for layer in layers:
        step = _layer_stride(layer)
        total = (total[0] * step[0], total[1] * step[1])
    return total


def _layer_stride(layer: LayerSpec) -> tuple[int, int]:
    if layer.is_block:
        return _stride(layer.branches[0]) if layer.branches else (1, 1)
    params = layer.resolved()
    if layer.type == "Conv2d":
        return as_pair(params["stride"])
    if layer.type in ("MaxPool2d", "AvgPool2d"):
        return as_pair(params["stride"] if params["stride"] is not None else params["kernel_size"])
    return (1, 1)


def _concat(spec, block, path, shape, branches) -> tuple[LayerInfo, LayerError | None]:
    outputs = [infos[-1].output if infos else shape for infos in branches]
    first = outputs[0]
    for number, (infos, made) in enumerate(zip(branches, outputs, strict=True)):
        if len(made) != len(first) or len(made) not in (1, 3):
            cause = say("block.branch_kinds", number=number + 1, made=shape_text(made), first=shape_text(first))
            fix = say("fix.branch_kinds")
            return _info(block, path, shape, shape, branches), located(spec, path, block.type, shape, cause, fix)
        if made[1:] != first[1:]:
            return _info(block, path, shape, shape, branches), _size_differs(spec, path, shape, number, infos, first)
    output = (sum(made[0] for made in outputs), *first[1:])
    formula = (f"C_out = {' + '.join(str(made[0]) for made in outputs)} = {output[0]}",)
    return _info(block, path, shape, output, branches, formula=formula), None


def _size_differs(spec, path, shape, number, infos, first) -> LayerError:
    """Branch `number` ends at another height×width than branch 1: the error at its first layer that leaves
    branch 1's size (or at the block, for an empty branch)."""
    want = shape_text(first[1:])
    culprit = next((info for info in infos if info.output[1:] != info.input[1:]), None)
    made = infos[-1].output if infos else shape
    cause = say("block.branch_size", number=number + 1, made=shape_text(made[1:]), first=want)
    if culprit is None:
        return located(spec, path, "Concat", shape, cause, say("fix.branch_size_empty", size=shape_text(shape[1:])))
    fix = say("fix.branch_size", before=shape_text(culprit.input[1:]), after=shape_text(culprit.output[1:]))
    return located(spec, culprit.path, culprit.type, culprit.input, cause, fix)
