"""The one catalog of layer types.

Each entry names a torch.nn class, its parameters (exactly torch's names and defaults), its group in
the palette, a one-line tooltip and a paragraph for learners, and the shape rule. The palette, the
inspector form, spec validation, shape inference, model building and code export all read this;
none keeps its own list.

Left out on purpose: `inplace` (an in-place activation overwrites the previous layer's output, which
the feature-map probe needs to show), `return_indices` (changes the output type) and device/dtype.
Derived sizes (in_channels, in_features, num_features) are never parameters: they are inferred.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.model import shape_rules as rules
from workbench.model.params import Kind, Param

GROUPS = (
    "Convolution",
    "Normalization",
    "Activation",
    "Pooling",
    "Regularization",
    "Reshape",
    "Dense",
    "Output",
)


@dataclass(frozen=True)
class LayerType:
    name: str
    group: str
    params: tuple[Param, ...]
    tooltip: str
    explain: str
    rule: Callable[[rules.Shape, dict[str, Any]], rules.LayerShape]
    derived: str | None = None  # which torch argument is inferred from the input shape

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def resolve(self, given: dict[str, Any]) -> dict[str, Any]:
        """All parameters: the given ones, torch's defaults for the rest."""
        return {p.name: given.get(p.name, p.default) for p in self.params}


SIZE = 4096  # upper bound for channel and feature counts
SPATIAL = 255  # upper bound for kernel sizes, strides, paddings


def _kernel(required: bool = True) -> Param:
    return Param(
        "kernel_size",
        Kind.PAIR,
        None,
        "Size of the sliding window: one number for a square window, or [height, width].",
        1,
        SPATIAL,
        required=required,
    )


def _stride(default: Any = 1, nullable: bool = False) -> Param:
    note = " Leave empty to step by the kernel size." if nullable else ""
    return Param(
        "stride",
        Kind.PAIR,
        default,
        "How many pixels the window moves each step; 2 halves the output size." + note,
        1,
        SPATIAL,
        nullable=nullable,
    )


def _dilation() -> Param:
    return Param("dilation", Kind.PAIR, 1, "Spacing between kernel elements; 2 spreads a 3×3 kernel over 5×5.", 1, 64)


def _pool_padding() -> Param:
    return Param(
        "padding",
        Kind.PAIR,
        0,
        "Implicit padding added on every side (at most half the kernel).",
        0,
        SPATIAL,
    )


def _ceil_mode() -> Param:
    return Param("ceil_mode", Kind.BOOL, False, "Round the output size up instead of down, so no border is dropped.")


def _bias() -> Param:
    return Param("bias", Kind.BOOL, True, "Learn an additive bias for each output.")


def _bn_params() -> tuple[Param, ...]:
    return (
        Param("eps", Kind.FLOAT, 1e-5, "Small number added to the variance to avoid dividing by zero.", 1e-12, 1.0),
        Param(
            "momentum",
            Kind.FLOAT,
            0.1,
            "How fast the running mean/variance follow each batch (empty: a plain average).",
            0.0,
            1.0,
            nullable=True,
        ),
        Param("affine", Kind.BOOL, True, "Learn a scale and shift per channel after normalising."),
        Param(
            "track_running_stats",
            Kind.BOOL,
            True,
            "Keep running statistics for evaluation; off uses each batch's own statistics always.",
        ),
    )


def _dim(default: int = 1) -> Param:
    return Param(
        "dim",
        Kind.INT,
        default,
        "Dimension to normalise over, counted with the batch first (1 = classes).",
        -8,
        8,
    )


def _p(default: float = 0.5) -> Param:
    return Param("p", Kind.FLOAT, default, "Probability of zeroing each element during training.", 0.0, 1.0)


def _activation(name: str, tooltip: str, explain: str, *params: Param) -> LayerType:
    return LayerType(name, "Activation", tuple(params), tooltip, explain, rules.elementwise)


_LAYERS: tuple[LayerType, ...] = (
    LayerType(
        "Conv2d",
        "Convolution",
        (
            Param(
                "out_channels", Kind.INT, None, "Number of filters, i.e. output feature maps.", 1, SIZE, required=True
            ),
            _kernel(),
            _stride(),
            Param(
                "padding",
                Kind.PADDING,
                0,
                "Pixels added around the input: a number, [height, width], 'same' (keep the size) or 'valid' (none).",
                0,
                SPATIAL,
                choices=("same", "valid"),
            ),
            _dilation(),
            Param(
                "groups",
                Kind.INT,
                1,
                "Split channels into groups convolved separately (depthwise = channels).",
                1,
                SIZE,
            ),
            _bias(),
            Param(
                "padding_mode",
                Kind.CHOICE,
                "zeros",
                "What the padded border contains: zeros, a mirror image, the edge pixel repeated, or a wrap-around.",
                choices=("zeros", "reflect", "replicate", "circular"),
            ),
        ),
        "Slides small learned filters over the image; each filter makes one feature map that lights up "
        "where its pattern (an edge, a stroke, a texture) appears.",
        "A convolution multiplies a small window of the input by a kernel of learned weights and sums the "
        "products, then slides the window across the image. Each of the out_channels kernels looks at every "
        "input channel and produces one feature map. Early layers learn edges and strokes; later ones combine "
        "them into parts. Without padding the output shrinks by kernel_size − 1; padding keeps the border, "
        "and a stride above 1 skips positions to shrink the map.",
        rules.conv2d,
        derived="in_channels",
    ),
    LayerType(
        "BatchNorm2d",
        "Normalization",
        _bn_params(),
        "Normalises each channel to zero mean and unit variance over the batch, which makes training "
        "faster and more stable.",
        "Batch normalisation subtracts each channel's batch mean and divides by its standard deviation, then "
        "applies a learned scale and shift. It keeps activations in a good range so larger learning rates work. "
        "While training it uses the batch's statistics; in evaluation it uses running averages.",
        rules.batch_norm2d,
        derived="num_features",
    ),
    LayerType(
        "BatchNorm1d",
        "Normalization",
        _bn_params(),
        "Batch normalisation for flat feature vectors, e.g. between Linear layers.",
        "Like BatchNorm2d but for vectors: each feature is normalised over the batch, then scaled and shifted "
        "by learned parameters.",
        rules.batch_norm1d,
        derived="num_features",
    ),
    _activation(
        "ReLU",
        "Keeps positive values and sets negatives to zero: simple, fast, the default choice.",
        "ReLU(x) = max(0, x). Its gradient is 1 for positive inputs, so it does not saturate, but a unit whose "
        "input stays negative never learns again (a 'dead ReLU').",
    ),
    _activation(
        "ReLU6",
        "ReLU capped at 6, robust in low-precision arithmetic.",
        "ReLU6(x) = min(max(0, x), 6). Used in mobile networks because bounded outputs quantise well.",
    ),
    _activation(
        "LeakyReLU",
        "Like ReLU, but negatives keep a small slope so units never die completely.",
        "LeakyReLU(x) = x for x ≥ 0 and negative_slope·x otherwise.",
        Param("negative_slope", Kind.FLOAT, 0.01, "Slope for negative inputs.", -100.0, 100.0),
    ),
    _activation(
        "ELU",
        "Smooth ReLU variant whose negative side curves towards −alpha, keeping mean activations near zero.",
        "ELU(x) = x for x > 0 and alpha·(exp(x) − 1) otherwise.",
        Param("alpha", Kind.FLOAT, 1.0, "Value the negative side approaches.", 0.0, 100.0),
    ),
    _activation(
        "GELU",
        "Smooth gate used in transformers: weights each input by how likely it is to be positive.",
        "GELU(x) = x·Φ(x), with Φ the standard normal distribution; 'tanh' uses a faster approximation.",
        Param("approximate", Kind.CHOICE, "none", "Exact ('none') or tanh approximation.", choices=("none", "tanh")),
    ),
    _activation(
        "Sigmoid",
        "Squashes any value into (0, 1); saturates for large inputs, which slows learning in deep nets.",
        "Sigmoid(x) = 1 / (1 + exp(−x)). Its gradient is at most 0.25 and vanishes for large |x|; outputs are "
        "not zero-centred.",
    ),
    _activation(
        "Tanh",
        "Squashes values into (−1, 1), zero-centred; saturates like Sigmoid for large inputs.",
        "Tanh(x) = (exp(x) − exp(−x)) / (exp(x) + exp(−x)), the activation of the original LeNet.",
    ),
    _activation(
        "Softplus",
        "A smooth version of ReLU: log(1 + exp(x)).",
        "Softplus(x) = 1/beta · log(1 + exp(beta·x)); above the threshold it is treated as linear for "
        "numerical stability.",
        Param("beta", Kind.FLOAT, 1.0, "Sharpness: larger values approach ReLU.", 1e-6, 1000.0),
        Param("threshold", Kind.FLOAT, 20.0, "Above beta·x > threshold the output is x.", 1e-6, 1000.0),
    ),
    _activation(
        "SiLU",
        "x times sigmoid(x), also called Swish: smooth and non-monotonic.",
        "SiLU(x) = x·sigmoid(x). Smooth like GELU and cheap to compute.",
    ),
    LayerType(
        "MaxPool2d",
        "Pooling",
        (_kernel(), _stride(None, nullable=True), _pool_padding(), _dilation(), _ceil_mode()),
        "Keeps the largest value in each window, shrinking the map while keeping the strongest responses.",
        "Max pooling slides a window (usually 2×2 with stride 2) and keeps its maximum, halving height and "
        "width. The network becomes tolerant to small shifts and later layers see a wider area.",
        rules.max_pool2d,
    ),
    LayerType(
        "AvgPool2d",
        "Pooling",
        (
            _kernel(),
            _stride(None, nullable=True),
            _pool_padding(),
            _ceil_mode(),
            Param("count_include_pad", Kind.BOOL, True, "Count padded zeros when averaging."),
            Param(
                "divisor_override",
                Kind.INT,
                None,
                "Divide by this number instead of the window size (empty: window size).",
                1,
                SIZE,
                nullable=True,
            ),
        ),
        "Replaces each window by its average, shrinking the map smoothly.",
        "Average pooling slides a window and keeps the mean of its values; LeNet used it to subsample.",
        rules.avg_pool2d,
    ),
    LayerType(
        "AdaptiveAvgPool2d",
        "Pooling",
        (
            Param(
                "output_size",
                Kind.PAIR,
                None,
                "Height and width of the output, whatever the input size.",
                1,
                SIZE,
                required=True,
            ),
        ),
        "Averages each channel down to a fixed output size, whatever the input size.",
        "Adaptive average pooling chooses its windows so the output has exactly output_size; with 1 it "
        "turns each feature map into one number (global average pooling).",
        rules.adaptive_avg_pool2d,
    ),
    LayerType(
        "Dropout",
        "Regularization",
        (_p(),),
        "Randomly zeroes a fraction p of values during training, so the network cannot rely on any single one.",
        "Dropout zeroes each element with probability p while training and scales the rest by 1/(1−p); in "
        "evaluation it does nothing. It reduces overfitting.",
        rules.elementwise,
    ),
    LayerType(
        "Dropout2d",
        "Regularization",
        (_p(),),
        "Randomly zeroes whole feature maps during training.",
        "Dropout2d drops entire channels with probability p, which suits convolutional features whose "
        "neighbouring pixels are strongly correlated.",
        rules.dropout2d,
    ),
    LayerType(
        "Flatten",
        "Reshape",
        (
            Param("start_dim", Kind.INT, 1, "First dimension to merge (1 = channels; 0 is the batch).", -8, 8),
            Param("end_dim", Kind.INT, -1, "Last dimension to merge (-1 = the last).", -8, 8),
        ),
        "Unrolls the feature maps into one long vector so Linear layers can use them.",
        "Flatten turns a channels×height×width block into a vector of channels·height·width numbers; it "
        "learns nothing and changes no value.",
        rules.flatten,
    ),
    LayerType(
        "Linear",
        "Dense",
        (
            Param(
                "out_features",
                Kind.INT,
                None,
                "Number of outputs (the last one: number of classes).",
                1,
                65536,
                required=True,
            ),
            _bias(),
        ),
        "Every output is a weighted sum of every input plus a bias: a fully connected layer.",
        "A Linear layer multiplies the input vector by a learned weight matrix and adds a bias. The last "
        "Linear layer's outputs are the logits, one score per class.",
        rules.linear,
        derived="in_features",
    ),
    LayerType(
        "Softmax",
        "Output",
        (_dim(),),
        "Turns logits into probabilities that are positive and sum to 1.",
        "Softmax exponentiates each logit and divides by the sum, so the largest logit gets the largest "
        "probability. Training adds it implicitly through the cross-entropy loss, so a model does not need it.",
        rules.softmax,
    ),
    LayerType(
        "LogSoftmax",
        "Output",
        (_dim(),),
        "The logarithm of softmax: log-probabilities, numerically stabler than log(softmax).",
        "LogSoftmax gives log-probabilities; paired with the negative log-likelihood loss it equals "
        "cross-entropy on logits.",
        rules.softmax,
    ),
)

CATALOG: dict[str, LayerType] = {layer.name: layer for layer in _LAYERS}


def layer_type(name: str) -> LayerType:
    return CATALOG[name]


def by_group() -> dict[str, list[LayerType]]:
    grouped: dict[str, list[LayerType]] = {group: [] for group in GROUPS}
    for layer in _LAYERS:
        grouped[layer.group].append(layer)
    return grouped
