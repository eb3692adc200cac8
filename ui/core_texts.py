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
    "place.projection": QT_TRANSLATE_NOOP("CoreMessages", "{outer} › projection {type}"),
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
    "formula.always": QT_TRANSLATE_NOOP("CoreMessages", "output is always {size}, whatever the {input} input"),
    "cost.too_big": QT_TRANSLATE_NOOP("CoreMessages", "it would take {size} of layer outputs"),
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
    "range.between": QT_TRANSLATE_NOOP("CoreMessages", "from {low} to {high}"),
    "range.at_least": QT_TRANSLATE_NOOP("CoreMessages", "at least {low}"),
    "range.one_of": QT_TRANSLATE_NOOP("CoreMessages", "one of {choices}"),
    "range.any": QT_TRANSLATE_NOOP("CoreMessages", "any number"),
    "param.null": QT_TRANSLATE_NOOP("CoreMessages", "{name} must not be null"),
    "param.out_of_range": QT_TRANSLATE_NOOP("CoreMessages", "{name}={value} is out of range; use a value {range}"),
    "param.integer": QT_TRANSLATE_NOOP("CoreMessages", "{name} must be an integer, not {type} ({value})"),
    "param.number": QT_TRANSLATE_NOOP("CoreMessages", "{name} must be a number, not {type} ({value})"),
    "param.finite": QT_TRANSLATE_NOOP("CoreMessages", "{name} must be a finite number, not {value}"),
    "param.bool": QT_TRANSLATE_NOOP("CoreMessages", "{name} must be true or false, not {value}"),
    "param.not_allowed": QT_TRANSLATE_NOOP("CoreMessages", "{name}={value} is not allowed; use {range}"),
    "param.pair_count": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name} must be one integer or a pair [height, width], not {count} values"
    ),
    "param.int_or_pair": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name} must be an integer or a pair [height, width], not {type} ({value})"
    ),
    "param.padding": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}={value} is not allowed; use an integer, a pair, or one of {choices}"
    ),
    "type.bool": QT_TRANSLATE_NOOP("CoreMessages", "true/false"),
    "type.int": QT_TRANSLATE_NOOP("CoreMessages", "an integer"),
    "type.float": QT_TRANSLATE_NOOP("CoreMessages", "a number"),
    "type.str": QT_TRANSLATE_NOOP("CoreMessages", "text"),
    "vary.form": QT_TRANSLATE_NOOP("CoreMessages", "{name}: a domain is one of {forms}, not {value}"),
    "vary.choice_only": QT_TRANSLATE_NOOP("CoreMessages", "{name} takes {kind} values; vary it with {form}"),
    "vary.whole": QT_TRANSLATE_NOOP("CoreMessages", "{name} is a whole number; vary it with {form} or a choice"),
    "vary.cannot_use": QT_TRANSLATE_NOOP("CoreMessages", "{name} = {value} cannot be used: {reason}"),
    "vary.choice_list": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}: a choice is a non-empty list of values, not {value}"
    ),
    "vary.too_many": QT_TRANSLATE_NOOP("CoreMessages", "{name}: {count} choices; give at most {most}, or a range"),
    "vary.choice_kind": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}: the choice {value} is not a number, text or true/false; vary each number on its own"
    ),
    "vary.repeat": QT_TRANSLATE_NOOP("CoreMessages", "{name}: the choices repeat a value; give each value once"),
    "vary.range_ends": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}: a {kind} range is [low, high], two finite numbers, not {value}"
    ),
    "vary.int_ends": QT_TRANSLATE_NOOP("CoreMessages", "{name}: an int range has whole-number ends, not {value}"),
    "vary.inverted": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}: the range [{low}, {high}] is empty or inverted; give low < high"
    ),
    "vary.log_low": QT_TRANSLATE_NOOP(
        "CoreMessages", "{name}: a log range starts above 0, not at {low}; use uniform, or a positive low end"
    ),
    "stop.epoch_done": QT_TRANSLATE_NOOP("CoreMessages", "its epoch done"),
    "stop.epochs_done": QT_TRANSLATE_NOOP("CoreMessages", "all {count} epochs done"),
    "stop.target": QT_TRANSLATE_NOOP(
        "CoreMessages", "reached the target validation accuracy {target}% ({accuracy}%) in epoch {epoch} at step {step}"
    ),
    "stop.time_epoch_end": QT_TRANSLATE_NOOP(
        "CoreMessages", "used the time budget of {seconds} s by the end of epoch {epoch}"
    ),
    "stop.time": QT_TRANSLATE_NOOP(
        "CoreMessages", "used the time budget of {seconds} s in epoch {epoch} at step {step}"
    ),
    "stop.patience_one": QT_TRANSLATE_NOOP(
        "CoreMessages", "validation accuracy did not improve for 1 epoch (best {best}% in epoch {epoch}): stopped early"
    ),
    "stop.patience": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "validation accuracy did not improve for {count} epochs (best {best}% in epoch {epoch}): stopped early",
    ),
    "stop.pruned": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "pruned at validation check {check} (epoch {epoch}, step {step}): {accuracy}% is behind the other trials at that point",
    ),
    "stop.stopped_at": QT_TRANSLATE_NOOP("CoreMessages", "stopped at step {step}"),
    "stop.no_word": QT_TRANSLATE_NOOP("CoreMessages", "the training process ended without saying why"),
    "stop.lost": QT_TRANSLATE_NOOP("CoreMessages", "its process ({pid}) was killed or crashed before the run ended"),
    "runs.no_tensorboard": QT_TRANSLATE_NOOP(
        "CoreMessages", "TensorBoard export needs the tensorboard package: {command}"
    ),
    "model.untrained": QT_TRANSLATE_NOOP("CoreMessages", "untrained"),
    "model.opened": QT_TRANSLATE_NOOP("CoreMessages", "opened from a file"),
    "model.training": QT_TRANSLATE_NOOP("CoreMessages", "training now, step {step}"),
    "model.trained": QT_TRANSLATE_NOOP("CoreMessages", "trained here, {count} epoch(s)"),
    "model.taught": QT_TRANSLATE_NOOP("CoreMessages", "taught on your digits"),
    "explore.rule": QT_TRANSLATE_NOOP("CoreMessages", "{cause}: {fix}."),
    "explore.avg_dilation": QT_TRANSLATE_NOOP("CoreMessages", "Average pooling has no dilation: set dilation to 1."),
    "explore.no_model": QT_TRANSLATE_NOOP(
        "CoreMessages", "No model yet: build one on the Build tab or open a trained model (File ▸ Open)"
    ),
    "explore.no_conv": QT_TRANSLATE_NOOP(
        "CoreMessages", "The model has no Conv2d layer: add one on the Build tab to see its filters here"
    ),
    "explore.same_uneven": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "This layer's padding='same' pads one more row or column at the bottom or right than at the top or left, which the explorer cannot show: use an odd kernel_size to see its filters",
    ),
    "explore.lead_in": QT_TRANSLATE_NOOP("CoreMessages", "The layers before {where} cannot read this image ({error})"),
    "explore.channels": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The image reaches {where} with {got} channel(s), but it reads {count}: load the dataset the model was made for on the Train tab",
    ),
    "explore.no_image": QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The layers before {where} make no image of it: load the dataset the model was made for on the Train tab",
    ),
}
