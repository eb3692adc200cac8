"""Teach a trained model the user's own digits: a short fine-tune on them mixed with the original data.

Each step's batch is part the user's digits (randomly shifted, rotated and scaled, so a few drawings
stand for many) and part images of the original training split, so that the model learns the new
drawings without forgetting the old data. BatchNorm and Dropout stay in eval mode throughout: a few
hundred small mixed batches would otherwise pull BatchNorm's running statistics towards the user's
digits and cost accuracy on everything else. The weights passed in are never changed: the caller keeps
them, which is what makes a Teach one Undo away.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from workbench.data.datasets import affine, black_value
from workbench.data.images import ImageSet
from workbench.insight.probe import normalise
from workbench.model.build import build_model, logits_model
from workbench.model.spec import ModelSpec

__all__ = ["TeachResult", "TeachSettings", "teach"]

PROGRESS_INTERVAL = 0.1  # seconds between progress calls


@dataclass(frozen=True)
class TeachSettings:
    steps: int = 200
    batch_size: int = 64
    own_share: float = 0.25  # of each batch: the user's digits (augmented); the rest original images
    lr: float = 1e-3  # Adam
    max_shift: float = 2.5  # pixels
    max_rotation: float = 12.0  # degrees
    max_scale: float = 0.12  # ± share of the size
    seed: int = 0
    remember: float = 3.0  # weight of matching the original model's own answers on the original images

    def __post_init__(self) -> None:
        if self.steps < 1 or self.batch_size < 2:
            raise ValueError("Teach needs at least 1 step and a batch of at least 2 images")
        if not 0 < self.own_share < 1:
            raise ValueError("own_share is a share of the batch, between 0 and 1")


@dataclass
class TeachResult:
    state: dict[str, torch.Tensor]  # the taught weights (CPU)
    labels: np.ndarray  # the user's labels (N,)
    before: np.ndarray  # softmax (N, K) of the user's digits with the weights passed in
    after: np.ndarray  # and with the taught ones
    steps: int
    seconds: float
    stopped: bool

    @property
    def right_before(self) -> int:
        return int((self.before.argmax(1) == self.labels).sum())

    @property
    def right_after(self) -> int:
        return int((self.after.argmax(1) == self.labels).sum())


def teach(
    spec: ModelSpec,
    state: dict[str, torch.Tensor],
    mean,
    std,
    images: torch.Tensor,
    labels: torch.Tensor,
    original: ImageSet,
    settings: TeachSettings | None = None,
    *,
    progress: Callable[[int, int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TeachResult:
    """Fine-tune a copy of (spec, state) on the user's `images` ((N, C, H, W) float in [0, 1]) and `labels`,
    mixed with `original` (the training split it learned from, uint8). ValueError with a reason when the
    digits do not fit the model. `progress(step, steps, loss)` a few times a second; `should_stop()` is
    polled between steps (the result then holds the weights reached so far)."""
    settings = settings or TeachSettings()
    started = time.perf_counter()
    model = build_model(spec)
    model.load_state_dict(state)  # copies: `state` stays as it was
    model.eval()
    head = logits_model(model)
    _check_fits(spec, images, labels, original, head)
    generator = torch.Generator().manual_seed(settings.seed)
    own = normalise(images.float(), mean, std)
    fill = black_value(mean, std)
    teacher = copy.deepcopy(head).requires_grad_(False)  # the model as it was: what it must keep saying
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    before = _probabilities(head, own)
    own_count = max(1, round(settings.batch_size * settings.own_share))
    last_report, step, stopped = 0.0, 0, False
    for step in range(1, settings.steps + 1):
        if should_stop is not None and should_stop():
            stopped, step = True, step - 1
            break
        x, y = _mixed_batch(own, labels, original, own_count, settings, generator, mean, std, fill)
        loss = _loss(head, teacher, x, y, own_count, settings.remember)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        now = time.perf_counter()
        if progress is not None and (now - last_report >= PROGRESS_INTERVAL or step == settings.steps):
            last_report = now
            progress(step, settings.steps, loss.item())
    after = _probabilities(head, own)
    taught = {name: value.detach().clone() for name, value in model.state_dict().items()}
    return TeachResult(taught, labels.numpy().copy(), before, after, step, time.perf_counter() - started, stopped)


def _loss(head, teacher, x, y, own_count: int, remember: float) -> torch.Tensor:
    """Cross-entropy on the labels, plus, on the original images, the divergence from what the model said
    before ("learning without forgetting", Li & Hoiem 2016): the taught model keeps the old answers."""
    logits = head(x).flatten(1)
    loss = F.cross_entropy(logits, y)
    if remember > 0:
        with torch.no_grad():
            old = torch.log_softmax(teacher(x[own_count:]).flatten(1), dim=1)
        new = torch.log_softmax(logits[own_count:], dim=1)
        loss = loss + remember * F.kl_div(new, old, log_target=True, reduction="batchmean")
    return loss


def _check_fits(spec: ModelSpec, images: torch.Tensor, labels: torch.Tensor, original: ImageSet, head) -> None:
    shape = tuple(spec.input)
    if images.dim() != 4 or tuple(images.shape[1:]) != shape:
        raise ValueError(f"the digits are {tuple(images.shape[1:])}, the model takes {shape}")
    if len(images) == 0 or len(images) != len(labels):
        raise ValueError("Teach needs at least one digit with its label")
    if len(original) == 0 or tuple(original.images.shape[1:]) != shape:
        raise ValueError(
            f"the original data is {tuple(original.images.shape[1:])}, the model takes {shape}: "
            "choose the dataset the model was trained on in the Train tab"
        )
    with torch.no_grad():
        classes = head(torch.zeros(1, *shape)).flatten(1).shape[1]
    top = int(max(labels.max(), original.labels.max()))
    if top >= classes:
        raise ValueError(f"a digit is labelled {top}, but the model has only {classes} classes (0–{classes - 1})")


def _mixed_batch(own, own_labels, original: ImageSet, own_count: int, settings, generator, mean, std, fill):
    """`own_count` augmented user digits and the rest of the batch from the original split, normalised."""
    pick_own = torch.randint(len(own), (own_count,), generator=generator)
    pick_original = torch.randint(len(original), (settings.batch_size - own_count,), generator=generator)
    mine = _augmented(own[pick_own], settings, generator, fill)
    theirs = normalise(original.images[pick_original].float() / 255.0, mean, std)
    return torch.cat([mine, theirs]), torch.cat([own_labels[pick_own], original.labels[pick_original]])


def _augmented(x: torch.Tensor, settings: TeachSettings, generator, fill) -> torch.Tensor:
    n = x.shape[0]
    angles = (torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * settings.max_rotation
    shifts = (torch.rand(n, 2, generator=generator, dtype=torch.float64) * 2 - 1) * settings.max_shift
    moved = affine(x, angles, shifts, fill)
    scales = 1 + (torch.rand(n, generator=generator) * 2 - 1) * settings.max_scale
    return _scaled(moved, scales, fill)


def _scaled(x: torch.Tensor, scales: torch.Tensor, fill) -> torch.Tensor:
    """Each image zoomed by scales[i] about its centre (bilinear), uncovered pixels `fill`."""
    n, c, _, _ = x.shape
    fill_t = torch.as_tensor(fill, dtype=x.dtype).reshape(-1, 1, 1).expand(c, 1, 1).unsqueeze(0)
    theta = torch.zeros(n, 2, 3, dtype=x.dtype)
    theta[:, 0, 0] = theta[:, 1, 1] = 1.0 / scales.to(x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x - fill_t, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + fill_t


@torch.no_grad()
def _probabilities(head, x: torch.Tensor) -> np.ndarray:
    return torch.softmax(head(x).flatten(1).double(), dim=1).numpy()
