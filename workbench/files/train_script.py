# ruff: noqa: E501  (the lines of a script template, checked when the test runs it)
"""The text of the standalone `train_ddp.py` that `export-train-script` writes (str.format fields: title,
dataset_title, settings; other braces doubled). It needs only torch, and model.py and data.pt beside it."""

TEMPLATE = '''"""Train {title} on {dataset_title} with PyTorch DistributedDataParallel. Written by CNN Workbench.

Needs only torch. Beside this file: model.py (the network, with the training normalisation built in) and
data.pt (the app's run's train / validation / test images, uint8, and labels).

    torchrun --nproc-per-node 2 train_ddp.py                      # CPU: 2 processes (gloo)
    torchrun --nproc-per-node 4 train_ddp.py                      # one machine with 4 GPUs (nccl)
    torchrun --nnodes 2 --node-rank 0 --nproc-per-node 4 --rdzv-endpoint HOST:29500 train_ddp.py   # machine 1
    torchrun --nnodes 2 --node-rank 1 --nproc-per-node 4 --rdzv-endpoint HOST:29500 train_ddp.py   # machine 2

Each process trains on its own slice of every batch (the batch size below is the whole batch, over all
processes); rank 0 prints the progress, writes weights.pt and ends with one line of JSON.
"""

import argparse
import json
import math
import os
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.distributed.nn  # noqa: F401  before the group exists, or its functions keep the group open at exit
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from model import Net

SETTINGS = {settings}
HERE = Path(__file__).resolve().parent


def part(count, rank, world):
    return slice(count * rank // world, count * (rank + 1) // world)


def make_optimizer(params):
    s = SETTINGS
    if s["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=s["lr"], momentum=s["momentum"], nesterov=s["nesterov"],
                               weight_decay=s["weight_decay"])
    if s["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=s["lr"], weight_decay=s["weight_decay"])
    if s["optimizer"] == "adamw":
        return torch.optim.AdamW(params, lr=s["lr"], weight_decay=s["weight_decay"])
    return torch.optim.RMSprop(params, lr=s["lr"], momentum=s["momentum"], weight_decay=s["weight_decay"])


def make_schedule(optimizer, steps_per_epoch):
    """(scheduler, steps per batch?): as the app's run scheduled its learning rate."""
    s, total = SETTINGS, max(1, SETTINGS["epochs"] * steps_per_epoch)
    if s["schedule"] == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, s["step_size"], s["gamma"]), False
    if s["schedule"] == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total), True
    if s["schedule"] == "one-cycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=s["lr"], total_steps=total), True
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0), False


def augment(x, generator, max_shift=2.0, max_rotation=10.0):
    """Random shifts (pixels) and rotations (degrees) of a batch in [0, 1], black outside, as the app does."""
    n, _, h, w = x.shape
    angles = torch.deg2rad((torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * max_rotation)
    shifts = (torch.rand(n, 2, generator=generator, dtype=torch.float64) * 2 - 1) * max_shift
    cos, sin = torch.cos(angles), torch.sin(angles)
    theta = torch.zeros(n, 2, 3, dtype=torch.float64)
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = cos, -sin * h / w, sin * w / h, cos
    dx, dy = shifts[:, 0], shifts[:, 1]
    theta[:, 0, 2] = -(cos * dx - sin * dy) * 2 / w
    theta[:, 1, 2] = -(sin * dx + cos * dy) * 2 / h
    grid = F.affine_grid(theta.to(x.device, x.dtype), [n, x.shape[1], h, w], align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


@torch.no_grad()
def evaluate(model, x, y, rank, world):
    """Accuracy and loss of the whole split: each rank reads its slice, the counts are summed."""
    model.eval()
    mine = part(len(y), rank, world)
    correct = torch.zeros(2, dtype=torch.float64, device=x.device)
    for start in range(mine.start, mine.stop, 1024):
        stop = min(start + 1024, mine.stop)
        logits = model(x[start:stop].float() / 255).flatten(1).float()
        correct[0] += (logits.argmax(1) == y[start:stop]).sum()
        correct[1] += F.cross_entropy(logits, y[start:stop], reduction="sum")
    dist.all_reduce(correct)
    model.train()
    return (correct[0] / max(len(y), 1)).item(), (correct[1] / max(len(y), 1)).item()


def main():
    parser = argparse.ArgumentParser(description="Train the network in model.py with torchrun and DDP.")
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--sync-batchnorm", action="store_true", help="BatchNorm over all ranks (CUDA only)")
    parser.add_argument("--out", default=str(HERE / "weights.pt"), help="where rank 0 saves the weights")
    args = parser.parse_args()
    SETTINGS["epochs"] = args.epochs
    rank, world = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.set_device(local_rank)
    else:
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ.get("LOCAL_WORLD_SIZE", 1))))
    if "RANK" not in os.environ:  # plain `python train_ddp.py`: a run of one process
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT="29512", RANK="0", WORLD_SIZE="1")
    dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{{local_rank}}" if cuda else "cpu")
    data = torch.load(HERE / "data.pt", weights_only=True)
    x, y = data["train_images"].to(device), data["train_labels"].to(device)
    torch.manual_seed(SETTINGS["seed"])
    model = Net().to(device)
    if args.sync_batchnorm and cuda:
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    ddp = DistributedDataParallel(model, device_ids=[local_rank] if cuda else None)
    optimizer = make_optimizer(model.parameters())
    batch = SETTINGS["batch_size"]
    steps_per_epoch = math.ceil(len(y) / batch)
    scheduler, per_batch = make_schedule(optimizer, steps_per_epoch)
    shuffle = torch.Generator().manual_seed(SETTINGS["seed"])
    step, started = 0, time.perf_counter()
    for epoch in range(1, SETTINGS["epochs"] + 1):
        order = torch.randperm(len(y), generator=shuffle).to(device)  # the same on every rank
        total = torch.zeros(3, dtype=torch.float64, device=device)
        for start in range(0, len(y), batch):
            chosen = order[start:start + batch]
            xb, yb = x[chosen].float() / 255, y[chosen]
            if SETTINGS["augment"]:
                xb = augment(xb, torch.Generator().manual_seed(SETTINGS["seed"] * 1_000_003 + step))
            mine = part(len(yb), rank, world)
            share = (mine.stop - mine.start) * world / len(yb)
            if mine.stop == mine.start:  # fewer images than ranks: take part with a zero weight
                mine, share = slice(0, min(2, len(yb))), 0.0
            logits = ddp(xb[mine]).flatten(1)
            loss = F.cross_entropy(logits.float(), yb[mine], label_smoothing=SETTINGS["label_smoothing"])
            optimizer.zero_grad(set_to_none=True)
            (loss * share).backward()
            optimizer.step()
            if per_batch and scheduler.last_epoch < getattr(scheduler, "total_steps", 1 << 62):
                scheduler.step()
            count = (mine.stop - mine.start) if share else 0
            total += torch.stack([loss.detach().double() * count,
                                  (logits.argmax(1) == yb[mine]).sum().double() * bool(share),
                                  torch.tensor(float(count), dtype=torch.float64, device=device)])
            step += 1
        if not per_batch:
            scheduler.step()
        dist.all_reduce(total)
        val_x, val_y = data["val_images"].to(device), data["val_labels"].to(device)
        val_accuracy, val_loss = evaluate(model, val_x, val_y, rank, world) if len(val_y) else (None, None)
        if rank == 0:
            shown = "" if val_accuracy is None else f", val loss {{val_loss:.4f}}, val accuracy {{100 * val_accuracy:.2f}}%"
            print(f"epoch {{epoch}}/{{SETTINGS['epochs']}}: train loss {{(total[0] / total[2]).item():.4f}}{{shown}}",
                  flush=True)
    seconds = time.perf_counter() - started
    test_x, test_y = data["test_images"].to(device), data["test_labels"].to(device)
    test_accuracy, test_loss = evaluate(model, test_x, test_y, rank, world) if len(test_y) else (None, None)
    if rank == 0:
        torch.save({{name: value.cpu() for name, value in model.state_dict().items()}}, args.out)
        print(json.dumps({{"test_accuracy": test_accuracy, "test_loss": test_loss, "epochs": SETTINGS["epochs"],
                          "steps": step, "seconds": round(seconds, 3), "processes": world,
                          "backend": dist.get_backend(), "weights": args.out}}))
    # Let go of everything that holds the group, then drop its last reference: it closes now, its worker threads
    # joined. Left to the interpreter's exit, a gloo worker may need the GIL while it finalises, and the process
    # aborts ("terminate called without an active exception").
    del ddp
    group = dist.group.WORLD
    dist.destroy_process_group()
    del group


if __name__ == "__main__":
    main()
'''
