"""Stable codes for the core's common messages, so that the window can show them in its own language.

The core speaks English (the CLI prints its lines as they are). A common message (shape errors, file errors,
training failures) is made with `say(code, **values)`: a `Said`, which is the English line itself (a `str`,
so everything that prints, joins or compares messages works unchanged) that also carries its code and its
values. The window looks the code up in its translations (`ui/messages.py`) and fills in the values; a value
that is itself a `Said` is translated the same way. Codes never change meaning: add a new one instead.

A `Said` survives the pipes between the app's processes (it pickles as its class, code and values); any
other operation that makes a new string (f-strings, `+`, `.split()`) gives a plain English `str`.
"""

from __future__ import annotations

from collections.abc import Mapping

# code -> English template, its values named in braces
TEXTS: Mapping[str, str] = {
    # where a layer is: 'layer 3 Residual › branch 2 › layer 1 Conv2d'
    "place.layer": "layer {number} {type}",
    "place.in": "{outer} › {inner}",
    "place.in_branch": "{outer} › branch {branch} › {inner}",
    "place.projection": "{outer} › projection {type}",
    "layer.problem": "{where}: {cause}; {fix}",
    # shape errors (model/shape_rules.py, model/block_shapes.py)
    "shape.needs_image": "{layer} needs an image input (channels×height×width) but gets {shape}",
    "fix.needs_image": "move it before Flatten, or use a layer meant for flat vectors",
    "shape.groups_channels": "groups={groups} does not divide the {count} input channels",
    "shape.groups_out_channels": "groups={groups} does not divide the {count} out_channels",
    "fix.groups": "choose groups that divides both {channels} and {out_channels}",
    "shape.same_stride": "padding='same' only works with stride 1",
    "fix.same_stride": "set stride to 1 or give padding as a number",
    "shape.conv_kernel": (
        "kernel {kernel} (spanning {span} with dilation) does not fit the {height}×{width} input with padding {padding}"
    ),
    "fix.conv_kernel": "reduce kernel_size or dilation, add padding, or remove a pooling layer before it",
    "shape.reflect": "padding_mode='reflect' needs padding smaller than the input ({padding} ≥ {size})",
    "fix.reflect": "reduce padding or use padding_mode 'zeros' or 'replicate'",
    "shape.circular": "padding_mode='circular' cannot wrap {padding} pixels around an input of {size}",
    "fix.circular": "reduce padding or use padding_mode 'zeros'",
    "shape.pool_padding": "padding {padding} is more than half the kernel {kernel}",
    "fix.pool_padding": "use padding of at most {most}",
    "shape.pool_kernel": "kernel {kernel} does not fit the {height}×{width} input",
    "fix.pool_kernel": "remove it, reduce kernel_size, or reduce pooling earlier",
    "shape.batchnorm1d": "BatchNorm1d needs a flat vector (or channels×length) but gets {shape}",
    "fix.batchnorm1d": "use BatchNorm2d for images, or put Flatten before it",
    "shape.dim_range": "{name}={dim} is outside the {ndim} dimensions of the batched input",
    "fix.dim_range": "use a value from {low} to {high}",
    "shape.dim_batch": "{name}={dim} is the batch dimension",
    "fix.dim_batch": "use 1 or -1 (the feature/class dimension)",
    "shape.flatten_dims": "start_dim comes after end_dim",
    "fix.flatten_dims": "use start_dim ≤ end_dim (the defaults are 1 and -1)",
    "shape.linear": "Linear needs a flat vector but gets {shape}",
    "fix.linear": "add a Flatten layer before it",
    "fix.parameters": "check its parameters",
    "formula.always": "output is always {size}, whatever the {input} input",
    "cost.too_big": "it would take {size} of layer outputs",
    "block.empty": "the block is empty",
    "block.no_layers": "the block has no layers",
    "fix.block_empty": "drag layers into it, or delete the block",
    "block.projection_size": (
        "its layers make {made} from {shape}, but the 1×1 projection that reshapes the input for the sum (stride "
        "{stride}, their strides multiplied) makes {projected}"
    ),
    "fix.projection_size": (
        "pad the block's convolutions to keep the size (padding=(kernel_size−1)/2) and shrink only by strides"
    ),
    "block.image_vector": "its layers make {made} from {shape}, and an image and a vector cannot be added",
    "fix.image_vector": "move Flatten and the layers after it out of the block",
    "block.vector_count": "its layers make {made} features from {shape}; a sum of vectors needs the same count",
    "fix.vector_count": "make the block's last Linear give {shape} features, or move it out of the block",
    "block.branch_kinds": (
        "branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so all "
        "must give images or all vectors"
    ),
    "fix.branch_kinds": "end every branch with the same kind of layer (no Flatten in one branch only)",
    "block.branch_size": (
        "branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so every "
        "branch must keep the same height and width"
    ),
    "fix.branch_size_empty": "make branch 1 keep {size} as well",
    "fix.branch_size": (
        "this layer changes {before} to {after}: give it padding=(kernel_size−1)/2 and stride 1 (or shrink every "
        "branch alike)"
    ),
    # edits the model refuses (model/edits.py)
    "edit.too_deep": "blocks nest at most {most} deep; this would make {depth}",
    "edit.into_itself": "a block cannot be moved into itself",
    "edit.too_many_branches": "a Concat block has at most {most} branches",
    "edit.last_branch": "only a branch of a Concat block with two or more branches can be removed",
    # layer health flags (insight/health.py)
    "health.dead": "{percent}% dead units",
    "health.saturated": "{percent}% saturated",
    "health.vanishing": "vanishing gradient (norm {norm})",
    "health.exploding": "exploding gradient (norm {norm})",
    "health.barely_learning": "barely learning (update ratio {ratio})",
    "health.thrashing": "thrashing (update ratio {ratio})",
    # pictures a folder's prediction skips (data/pictures.py)
    "picture.not_picture_file": "not a picture file ({suffixes})",
    "picture.special_file": "not a regular file (a FIFO, socket or device)",
    "picture.folder_link": "a link to a folder (links to folders are not followed)",
    "picture.folder": "a folder",
    "picture.not_regular": "not a regular file",
    "picture.empty": "an empty file",
    "picture.megapixels": "more than the {limit}-megapixel limit (not decoded)",
    "picture.no_memory": "too large to decode in the memory there is",
    "picture.cannot_decode": "cannot decode it ({reason})",
    "picture.not_picture_format": "not a PNG, JPEG or BMP picture",
    "picture.no_pixels": "no pixels ({width}×{height})",
    "picture.too_many_pixels": "{width}×{height} pixels, more than the {limit}-megapixel limit (not decoded)",
    # spec files that cannot be read (model/spec.py)
    "spec.folder": "{path} is a folder; give a model spec JSON file",
    "spec.not_regular": "{path} is not a regular file; give a model spec JSON file",
    "spec.too_large": "{path} is larger than 16 MB; a model spec is a small JSON file",
    "spec.cannot_read": "cannot read {path}: {reason}",
    "spec.not_text": "{path} is not a text file; a model spec is JSON",
    "spec.nul": "cannot read {path}: a file name cannot hold a NUL character",
    # training failures (training/support.py, training/trainer.py)
    "train.input_shape": (
        "the model's input is {model} but {dataset} images are {data}; set the model input to {data}"
    ),
    "train.cannot_build": "the model cannot be built: {error}",
    "train.batch_memory": (
        "a batch of {batch} would take about {gib} GiB of layer outputs to train; lower the batch size to {fits} "
        "or less"
    ),
    "train.class_count": (
        "the model ends with {outputs} outputs but {dataset} has {classes} classes; make the last Linear layer's "
        "out_features {classes}"
    ),
    "train.empty_split": "the training split is empty; choose a dataset with training images",
    "train.diverged": (
        "the loss became NaN or infinite at epoch {epoch}, step {step}: training diverged. The model keeps its "
        "last good weights; lower the learning rate (now {lr}) and train again"
    ),
    "train.gpu_memory": (
        "the GPU ran out of memory at batch size {batch}; lower the batch size (e.g. {half}) and train again. The "
        "model keeps its weights"
    ),
    "train.unexpected": "training stopped by an unexpected error: {error}",
    # model files (files/archive.py, files/model_file.py)
    "file.problem": "{name}: {problem}",
    "file.cannot_open": "cannot open the file ({reason}); check the path and your permissions",
    "file.no_memory": "there is not enough memory to load this file",
    "file.not_a_file": "cannot open the file (it is a folder, a pipe or a device, not a file); choose a file",
    "file.nested": "the file's contents are nested too deeply; it was not saved by CNN Workbench",
    "file.damaged": "the file is damaged or incomplete ({detail}); save or copy it again",
    "file.pickle": (
        "this is a Python pickle (e.g. from torch.save); CNN Workbench never opens pickles because loading one can "
        "run any code; save the model from CNN Workbench instead"
    ),
    "file.json": "this is a JSON text file, not a saved model; if it is a model spec, open it as a spec",
    "file.empty": "the file is empty; it was not saved completely, so save or copy it again",
    "file.not_zip": "this is not a CNN Workbench file (it is not a zip archive)",
    "file.no_spec": "the file holds no model spec; it is damaged",
    "file.bad_spec": "the model spec inside is invalid: {error}",
    "file.cannot_save": "cannot save: {error}",
    # values a layer's parameter takes (model/params.py), and the values it refuses
    "range.between": "from {low} to {high}",
    "range.at_least": "at least {low}",
    "range.one_of": "one of {choices}",
    "range.any": "any number",
    "param.null": "{name} must not be null",
    "param.out_of_range": "{name}={value} is out of range; use a value {range}",
    "param.integer": "{name} must be an integer, not {type} ({value})",
    "param.number": "{name} must be a number, not {type} ({value})",
    "param.finite": "{name} must be a finite number, not {value}",
    "param.bool": "{name} must be true or false, not {value}",
    "param.not_allowed": "{name}={value} is not allowed; use {range}",
    "param.pair_count": "{name} must be one integer or a pair [height, width], not {count} values",
    "param.int_or_pair": "{name} must be an integer or a pair [height, width], not {type} ({value})",
    "param.padding": "{name}={value} is not allowed; use an integer, a pair, or one of {choices}",
    "type.bool": "true/false",
    "type.int": "an integer",
    "type.float": "a number",
    "type.str": "text",
    # the values a sweep tries (model/vary.py); its JSON forms ({forms}) stay as they are typed
    "vary.form": "{name}: a domain is one of {forms}, not {value}",
    "vary.choice_only": "{name} takes {kind} values; vary it with {form}",
    "vary.whole": "{name} is a whole number; vary it with {form} or a choice",
    "vary.cannot_use": "{name} = {value} cannot be used: {reason}",
    "vary.choice_list": "{name}: a choice is a non-empty list of values, not {value}",
    "vary.too_many": "{name}: {count} choices; give at most {most}, or a range",
    "vary.choice_kind": "{name}: the choice {value} is not a number, text or true/false; vary each number on its own",
    "vary.repeat": "{name}: the choices repeat a value; give each value once",
    "vary.range_ends": "{name}: a {kind} range is [low, high], two finite numbers, not {value}",
    "vary.int_ends": "{name}: an int range has whole-number ends, not {value}",
    "vary.inverted": "{name}: the range [{low}, {high}] is empty or inverted; give low < high",
    "vary.log_low": "{name}: a log range starts above 0, not at {low}; use uniform, or a positive low end",
    # why a run ended (training/stopping.py, training/reports.py, experiments/trial.py, runs/)
    "stop.epoch_done": "its epoch done",
    "stop.epochs_done": "all {count} epochs done",
    "stop.target": "reached the target validation accuracy {target}% ({accuracy}%) in epoch {epoch} at step {step}",
    "stop.time_epoch_end": "used the time budget of {seconds} s by the end of epoch {epoch}",
    "stop.time": "used the time budget of {seconds} s in epoch {epoch} at step {step}",
    "stop.patience_one": (
        "validation accuracy did not improve for 1 epoch (best {best}% in epoch {epoch}): stopped early"
    ),
    "stop.patience": (
        "validation accuracy did not improve for {count} epochs (best {best}% in epoch {epoch}): stopped early"
    ),
    "stop.pruned": (
        "pruned at validation check {check} (epoch {epoch}, step {step}): {accuracy}% is behind the other trials at "
        "that point"
    ),
    "stop.stopped_at": "stopped at step {step}",
    "stop.no_word": "the training process ended without saying why",
    "stop.lost": "its process ({pid}) was killed or crashed before the run ended",
    "runs.no_tensorboard": "TensorBoard export needs the tensorboard package: {command}",
    # where a model's weights come from (insight/classify.py, the window's training session)
    "model.untrained": "untrained",
    "model.opened": "opened from a file",
    "model.training": "training now, step {step}",
    "model.trained": "trained here, {count} epoch(s)",
    "model.taught": "taught on your digits",
    # the explorers' problems (explore/windows.py, explore/trained.py)
    "explore.rule": "{cause}: {fix}.",
    "explore.avg_dilation": "Average pooling has no dilation: set dilation to 1.",
    "explore.no_model": "No model yet: build one on the Build tab or open a trained model (File ▸ Open)",
    "explore.no_conv": "The model has no Conv2d layer: add one on the Build tab to see its filters here",
    "explore.same_uneven": (
        "This layer's padding='same' pads one more row or column at the bottom or right than at the top or left, "
        "which the explorer cannot show: use an odd kernel_size to see its filters"
    ),
    "explore.lead_in": "The layers before {where} cannot read this image ({error})",
    "explore.channels": (
        "The image reaches {where} with {got} channel(s), but it reads {count}: load the dataset the model was made "
        "for on the Train tab"
    ),
    "explore.no_image": (
        "The layers before {where} make no image of it: load the dataset the model was made for on the Train tab"
    ),
}


class Said(str):
    """An English message that knows its code and values (see the module's docstring)."""

    code: str
    values: dict[str, str]

    def __new__(cls, code: str, values: Mapping[str, object]) -> Said:
        kept = {name: value if isinstance(value, Said) else str(value) for name, value in values.items()}
        said = super().__new__(cls, TEXTS[code].format(**kept))
        said.code, said.values = code, kept
        return said

    def __reduce__(self):
        return (Said, (self.code, self.values))


def say(code: str, **values: object) -> Said:
    """The message `code` with its values: say("shape.linear", shape="8×4×4")."""
    return Said(code, values)


def said_in(error: object) -> Said | None:
    """The coded message an exception (its first argument) or a text is, if any."""
    if isinstance(error, Said):
        return error
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], Said) else None


def to_record(text: object) -> dict | None:
    """A coded message as JSON-able data, to keep it with its code where it is stored (a study's trials, the run
    store); None for a plain text."""
    if not isinstance(text, Said):
        return None
    values = {name: to_record(value) or value for name, value in text.values.items()}
    return {"code": text.code, "values": values}


def from_record(record: object, english: str) -> str:
    """What `to_record` kept, as the message again: a `Said` when its code is known and its values fit, else
    `english` (the line stored beside it, as a store written by an older or newer version has it)."""
    try:
        values = {
            name: from_record(value, "") if isinstance(value, dict) else str(value)
            for name, value in record["values"].items()  # type: ignore[index]
        }
        said = Said(record["code"], values)  # type: ignore[index]
    except (TypeError, KeyError, IndexError, ValueError, AttributeError):
        return english
    return said if not english or str(said) == english else english
