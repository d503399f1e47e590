"""The train component's default CNN in PyTorch, timed on the same GPU as the tfjs run: the
hardware's reference point for bench/train-gpu.ts (not a kfp-ts code path).

Network (cnn.ts DEFAULT_CNN): conv16 3x3 same + ReLU -> maxpool 2 -> conv32 -> maxpool 2 -> conv64
-> global average pool -> dropout 0.25 -> dense 64 + ReLU -> dropout 0.25 -> dense 3 (softmax in
the loss). Adam 1e-3, cross-entropy, random NHWC-equivalent data, cuDNN benchmark mode; the mean of
100 timed steps after 20 warm-up steps, per input size, batch and precision.

    python3 bench/train-gpu-pytorch.py [--json]
"""
import json
import sys
import time

import torch
from torch import nn

CLASSES = 3


def network() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Dropout(0.25), nn.Linear(64, 64), nn.ReLU(),
        nn.Dropout(0.25), nn.Linear(64, CLASSES),
    )


def images_per_second(size: int, batch: int, bf16: bool, warmup: int = 20, steps: int = 100) -> float:
    torch.manual_seed(0)
    model = network().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, 3, size, size, device="cuda")
    y = torch.randint(0, CLASSES, (batch,), device="cuda")

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    return batch * steps / (time.perf_counter() - started)


def main() -> None:
    if not torch.cuda.is_available():
        sys.exit("no CUDA device visible to PyTorch")
    torch.backends.cudnn.benchmark = True
    results = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__}
    for size in (64, 224):
        for batch in (32, 256):
            results[f"fp32_{size}_b{batch}"] = round(images_per_second(size, batch, bf16=False), 1)
            results[f"bf16_{size}_b{batch}"] = round(images_per_second(size, batch, bf16=True), 1)
    if "--json" in sys.argv:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
