"""The core's coded messages (`workbench.messages.TEXTS`) for Qt's translation: lupdate reads texts only from
literals, so each template is written here again; tests/ui/test_core_messages.py checks they are the core's, code
for code, word for word (it prints this file anew when they are not)."""

# ruff: noqa: E501
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

TEXTS = {
    "place.layer": QT_TRANSLATE_NOOP("CoreMessages", "layer {number} {type}"),
    "place.in": QT_TRANSLATE_NOOP("CoreMessages", "{outer} › {inner}"),
    "place.in_branch": QT_TRANSLATE_NOOP("CoreMessages", "{outer} › branch {branch} › {inner}"),
    "layer.problem": QT_TRANSLATE_NOOP("CoreMessages", "{where}: {cause}; {fix}"),
    "shape.needs_image": QT_TRANSLATE_NOOP(
        "CoreMessages", "{layer} needs an image input (channels×height×width) but gets {shape}"
    ),
    "fix.needs_image": QT_TRANSLATE_NOOP(
        "CoreMessages", "move it before Flatten, or use a layer meant for flat vectors"
    ),
    "shape.groups_channels": QT_TRANSLATE_NOOP(
        "CoreMessages", "groups={groups} does not divide the {count} input channels"
    ),
    "shape.groups_out_channels": QT_TRANSLATE_NOOP(
        "CoreMessages", "groups={groups} does not divide the {count} out_channels"
    ),
    "fix.groups": QT_TRANSLATE_NOOP("CoreMessages", "choose groups that divides both {channels} and {out_channels}"),
    "shape.same_stride": QT_TRANSLATE_NOOP("CoreMessages", "padding='same' only works with stride 1"),
    "fix.same_stride": QT_TRANSLATE_NOOP("CoreMessages", "set stride to 1 or give padding as a number"),
    "shape.conv_kernel": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "kernel {kernel} (spanning {span} with dilation) does not fit the {height}×{width} input with padding {padding}",
    ),
    "fix.conv_kernel": QT_TRANSLATE_NOOP(
        "CoreMessages", "reduce kernel_size or dilation, add padding, or remove a pooling layer before it"
    ),
    "shape.reflect": QT_TRANSLATE_NOOP(
        "CoreMessages", "padding_mode='reflect' needs padding smaller than the input ({padding} ≥ {size})"
    ),
    "fix.reflect": QT_TRANSLATE_NOOP("CoreMessages", "reduce padding or use padding_mode 'zeros' or 'replicate'"),
    "shape.circular": QT_TRANSLATE_NOOP(
        "CoreMessages", "padding_mode='circular' cannot wrap {padding} pixels around an input of {size}"
    ),
    "fix.circular": QT_TRANSLATE_NOOP("CoreMessages", "reduce padding or use padding_mode 'zeros'"),
    "shape.pool_padding": QT_TRANSLATE_NOOP("CoreMessages", "padding {padding} is more than half the kernel {kernel}"),
    "fix.pool_padding": QT_TRANSLATE_NOOP("CoreMessages", "use padding of at most {most}"),
    "shape.pool_kernel": QT_TRANSLATE_NOOP("CoreMessages", "kernel {kernel} does not fit the {height}×{width} input"),
    "fix.pool_kernel": QT_TRANSLATE_NOOP("CoreMessages", "remove it, reduce kernel_size, or reduce pooling earlier"),
    "shape.batchnorm1d": QT_TRANSLATE_NOOP(
        "CoreMessages", "BatchNorm1d needs a flat vector (or channels×length) but gets {shape}"
    ),
    "fix.batchnorm1d": QT_TRANSLATE_NOOP("CoreMessages", "use BatchNorm2d for images, or put Flatten before it"),
    "shape.dim_range": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}={dim} is outside the {ndim} dimensions of the batched input"
    ),
    "fix.dim_range": QT_TRANSLATE_NOOP("CoreMessages", "use a value from {low} to {high}"),
    "shape.dim_batch": QT_TRANSLATE_NOOP("CoreMessages", "{name}={dim} is the batch dimension"),
    "fix.dim_batch": QT_TRANSLATE_NOOP("CoreMessages", "use 1 or -1 (the feature/class dimension)"),
    "shape.flatten_dims": QT_TRANSLATE_NOOP("CoreMessages", "start_dim comes after end_dim"),
    "fix.flatten_dims": QT_TRANSLATE_NOOP("CoreMessages", "use start_dim ≤ end_dim (the defaults are 1 and -1)"),
    "shape.linear": QT_TRANSLATE_NOOP("CoreMessages", "Linear needs a flat vector but gets {shape}"),
    "fix.linear": QT_TRANSLATE_NOOP("CoreMessages", "add a Flatten layer before it"),
    "fix.parameters": QT_TRANSLATE_NOOP("CoreMessages", "check its parameters"),
    "block.empty": QT_TRANSLATE_NOOP("CoreMessages", "the block is empty"),
    "block.no_layers": QT_TRANSLATE_NOOP("CoreMessages", "the block has no layers"),
    "fix.block_empty": QT_TRANSLATE_NOOP("CoreMessages", "drag layers into it, or delete the block"),
    "block.projection_size": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "its layers make {made} from {shape}, but the 1×1 projection that reshapes the input for the sum (stride {stride}, their strides multiplied) makes {projected}",
    ),
    "fix.projection_size": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "pad the block's convolutions to keep the size (padding=(kernel_size−1)/2) and shrink only by strides",
    ),
    "block.image_vector": QT_TRANSLATE_NOOP(
        "CoreMessages", "its layers make {made} from {shape}, and an image and a vector cannot be added"
    ),
    "fix.image_vector": QT_TRANSLATE_NOOP("CoreMessages", "move Flatten and the layers after it out of the block"),
    "block.vector_count": QT_TRANSLATE_NOOP(
        "CoreMessages", "its layers make {made} features from {shape}; a sum of vectors needs the same count"
    ),
    "fix.vector_count": QT_TRANSLATE_NOOP(
        "CoreMessages", "make the block's last Linear give {shape} features, or move it out of the block"
    ),
    "block.branch_kinds": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so all must give images or all vectors",
    ),
    "fix.branch_kinds": QT_TRANSLATE_NOOP(
        "CoreMessages", "end every branch with the same kind of layer (no Flatten in one branch only)"
    ),
    "block.branch_size": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so every branch must keep the same height and width",
    ),
    "fix.branch_size_empty": QT_TRANSLATE_NOOP("CoreMessages", "make branch 1 keep {size} as well"),
    "fix.branch_size": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "this layer changes {before} to {after}: give it padding=(kernel_size−1)/2 and stride 1 (or shrink every branch alike)",
    ),
    "edit.too_deep": QT_TRANSLATE_NOOP("CoreMessages", "blocks nest at most {most} deep; this would make {depth}"),
    "edit.into_itself": QT_TRANSLATE_NOOP("CoreMessages", "a block cannot be moved into itself"),
    "edit.too_many_branches": QT_TRANSLATE_NOOP("CoreMessages", "a Concat block has at most {most} branches"),
    "edit.last_branch": QT_TRANSLATE_NOOP(
        "CoreMessages", "only a branch of a Concat block with two or more branches can be removed"
    ),
    "health.dead": QT_TRANSLATE_NOOP("CoreMessages", "{percent}% dead units"),
    "health.saturated": QT_TRANSLATE_NOOP("CoreMessages", "{percent}% saturated"),
    "health.vanishing": QT_TRANSLATE_NOOP("CoreMessages", "vanishing gradient (norm {norm})"),
    "health.exploding": QT_TRANSLATE_NOOP("CoreMessages", "exploding gradient (norm {norm})"),
    "health.barely_learning": QT_TRANSLATE_NOOP("CoreMessages", "barely learning (update ratio {ratio})"),
    "health.thrashing": QT_TRANSLATE_NOOP("CoreMessages", "thrashing (update ratio {ratio})"),
    "picture.not_picture_file": QT_TRANSLATE_NOOP("CoreMessages", "not a picture file ({suffixes})"),
    "picture.special_file": QT_TRANSLATE_NOOP("CoreMessages", "not a regular file (a FIFO, socket or device)"),
    "picture.folder_link": QT_TRANSLATE_NOOP("CoreMessages", "a link to a folder (links to folders are not followed)"),
    "picture.folder": QT_TRANSLATE_NOOP("CoreMessages", "a folder"),
    "picture.not_regular": QT_TRANSLATE_NOOP("CoreMessages", "not a regular file"),
    "picture.empty": QT_TRANSLATE_NOOP("CoreMessages", "an empty file"),
    "picture.megapixels": QT_TRANSLATE_NOOP("CoreMessages", "more than the {limit}-megapixel limit (not decoded)"),
    "picture.no_memory": QT_TRANSLATE_NOOP("CoreMessages", "too large to decode in the memory there is"),
    "picture.cannot_decode": QT_TRANSLATE_NOOP("CoreMessages", "cannot decode it ({reason})"),
    "picture.not_picture_format": QT_TRANSLATE_NOOP("CoreMessages", "not a PNG, JPEG or BMP picture"),
    "picture.no_pixels": QT_TRANSLATE_NOOP("CoreMessages", "no pixels ({width}×{height})"),
    "picture.too_many_pixels": QT_TRANSLATE_NOOP(
        "CoreMessages", "{width}×{height} pixels, more than the {limit}-megapixel limit (not decoded)"
    ),
    "spec.folder": QT_TRANSLATE_NOOP("CoreMessages", "{path} is a folder; give a model spec JSON file"),
    "spec.not_regular": QT_TRANSLATE_NOOP("CoreMessages", "{path} is not a regular file; give a model spec JSON file"),
    "spec.too_large": QT_TRANSLATE_NOOP(
        "CoreMessages", "{path} is larger than 16 MB; a model spec is a small JSON file"
    ),
    "spec.cannot_read": QT_TRANSLATE_NOOP("CoreMessages", "cannot read {path}: {reason}"),
    "spec.not_text": QT_TRANSLATE_NOOP("CoreMessages", "{path} is not a text file; a model spec is JSON"),
    "spec.nul": QT_TRANSLATE_NOOP("CoreMessages", "cannot read {path}: a file name cannot hold a NUL character"),
    "train.input_shape": QT_TRANSLATE_NOOP(
        "CoreMessages", "the model's input is {model} but {dataset} images are {data}; set the model input to {data}"
    ),
    "train.cannot_build": QT_TRANSLATE_NOOP("CoreMessages", "the model cannot be built: {error}"),
    "train.batch_memory": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "a batch of {batch} would take about {gib} GiB of layer outputs to train; lower the batch size to {fits} or less",
    ),
    "train.class_count": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "the model ends with {outputs} outputs but {dataset} has {classes} classes; make the last Linear layer's out_features {classes}",
    ),
    "train.empty_split": QT_TRANSLATE_NOOP(
        "CoreMessages", "the training split is empty; choose a dataset with training images"
    ),
    "train.diverged": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "the loss became NaN or infinite at epoch {epoch}, step {step}: training diverged. The model keeps its last good weights; lower the learning rate (now {lr}) and train again",
    ),
    "train.gpu_memory": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "the GPU ran out of memory at batch size {batch}; lower the batch size (e.g. {half}) and train again. The model keeps its weights",
    ),
    "train.unexpected": QT_TRANSLATE_NOOP("CoreMessages", "training stopped by an unexpected error: {error}"),
    "file.problem": QT_TRANSLATE_NOOP("CoreMessages", "{name}: {problem}"),
    "file.cannot_open": QT_TRANSLATE_NOOP(
        "CoreMessages", "cannot open the file ({reason}); check the path and your permissions"
    ),
    "file.no_memory": QT_TRANSLATE_NOOP("CoreMessages", "there is not enough memory to load this file"),
    "file.not_a_file": QT_TRANSLATE_NOOP(
        "CoreMessages", "cannot open the file (it is a folder, a pipe or a device, not a file); choose a file"
    ),
    "file.nested": QT_TRANSLATE_NOOP(
        "CoreMessages", "the file's contents are nested too deeply; it was not saved by CNN Workbench"
    ),
    "file.damaged": QT_TRANSLATE_NOOP(
        "CoreMessages", "the file is damaged or incomplete ({detail}); save or copy it again"
    ),
    "file.pickle": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "this is a Python pickle (e.g. from torch.save); CNN Workbench never opens pickles because loading one can run any code; save the model from CNN Workbench instead",
    ),
    "file.json": QT_TRANSLATE_NOOP(
        "CoreMessages", "this is a JSON text file, not a saved model; if it is a model spec, open it as a spec"
    ),
    "file.empty": QT_TRANSLATE_NOOP(
        "CoreMessages", "the file is empty; it was not saved completely, so save or copy it again"
    ),
    "file.not_zip": QT_TRANSLATE_NOOP("CoreMessages", "this is not a CNN Workbench file (it is not a zip archive)"),
    "file.no_spec": QT_TRANSLATE_NOOP("CoreMessages", "the file holds no model spec; it is damaged"),
    "file.bad_spec": QT_TRANSLATE_NOOP("CoreMessages", "the model spec inside is invalid: {error}"),
    "file.cannot_save": QT_TRANSLATE_NOOP("CoreMessages", "cannot save: {error}"),
}
