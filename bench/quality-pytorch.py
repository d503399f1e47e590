#!/usr/bin/python3
"""The PyTorch baseline of `npm run bench:quality` (bench/quality.ts runs it; not a kfp-ts step).

Trains, on the CPU, the network the kfp-ts train step just trained, rebuilt layer by layer from
that model's model.json (the Keras topology tfjs writes), on the same Fashion-MNIST images (the
official indices the bench's conversion chose, read from the Debian package's IDX files), for the
same epochs, batch size and optimizer settings, then scores the official test images as the
evaluate step does: top-1, top-3, ECE over 15 equal-width confidence bins, before and after
temperature scaling fitted on the validation images.

  /usr/bin/python3 bench/quality-pytorch.py CONFIG.json     # prints one JSON line of results

Needs python3-torch and python3-numpy (Debian: sudo apt-get install python3-torch).
"""
import gzip
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ECE_BINS = 15


def read_idx(path):
    """Unsigned-byte IDX (the MNIST format): magic 00 00 08 <dims>, big-endian uint32 sizes, data."""
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise SystemExit(f'{path} is not an unsigned-byte IDX file')
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def tf_same_padding(size, kernel, stride, dilation=1):
    """TensorFlow's 'same' padding: the extra pixel, when odd, goes after (bottom/right)."""
    effective = (kernel - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class Same(nn.Module):
    """Wraps a conv or pool that Keras runs with padding 'same'."""

    def __init__(self, inner, kernel, stride, dilation=1, fill=0.0):
        super().__init__()
        self.inner, self.kernel, self.stride, self.dilation, self.fill = inner, kernel, stride, dilation, fill

    def forward(self, x):
        top, bottom = tf_same_padding(x.shape[2], self.kernel[0], self.stride[0], self.dilation)
        left, right = tf_same_padding(x.shape[3], self.kernel[1], self.stride[1], self.dilation)
        return self.inner(F.pad(x, (left, right, top, bottom), value=self.fill))


ACTIVATIONS = {
    'linear': nn.Identity, 'relu': nn.ReLU, 'relu6': nn.ReLU6, 'elu': nn.ELU, 'selu': nn.SELU,
    'sigmoid': nn.Sigmoid, 'tanh': nn.Tanh, 'swish': nn.SiLU, 'gelu': nn.GELU,
}


def activation(name, last):
    if name == 'softmax':
        if not last:
            raise SystemExit('softmax before the last layer is not mirrored')
        return nn.Identity()  # the loss takes logits; softmax is applied when scoring
    if name not in ACTIVATIONS:
        raise SystemExit(f'activation {name!r} is not mirrored in quality-pytorch.py')
    return ACTIVATIONS[name]()


def glorot(module):
    """Keras's default initialisers: Glorot-uniform kernels, zero biases."""
    nn.init.xavier_uniform_(module.weight)
    if module.bias is not None:
        nn.init.zeros_(module.bias)
    return module


class Layer(nn.Module):
    """One Keras layer: its module and how it maps shapes (C, H, W)."""

    def __init__(self, cls, cfg, shape, last):
        super().__init__()
        c, h, w = shape if len(shape) == 3 else (shape[0], 1, 1)
        self.flatten = False
        if cls in ('Conv2D', 'DepthwiseConv2D'):
            k, s = tuple(cfg['kernel_size']), tuple(cfg['strides'])
            d = tuple(cfg.get('dilation_rate', [1, 1]))
            if cls == 'Conv2D':
                out, groups = cfg['filters'], 1
            else:
                out, groups = c * cfg.get('depth_multiplier', 1), c
            conv = glorot(nn.Conv2d(c, out, k, s, dilation=d, groups=groups, bias=cfg.get('use_bias', True)))
            inner = Same(conv, k, s, d[0]) if cfg['padding'] == 'same' else conv
            self.module = nn.Sequential(inner, activation(cfg.get('activation', 'linear'), last))
            h, w = [math.ceil(n / st) if cfg['padding'] == 'same' else (n - (kk - 1) * dd - 1) // st + 1 for n, kk, st, dd in zip((h, w), k, s, d)]
            c = out
        elif cls in ('MaxPooling2D', 'AveragePooling2D'):
            k, s = tuple(cfg['pool_size']), tuple(cfg.get('strides') or cfg['pool_size'])
            if cls == 'MaxPooling2D':
                inner, fill = nn.MaxPool2d(k, s), -math.inf
            else:
                inner, fill = nn.AvgPool2d(k, s, count_include_pad=False), 0.0
            self.module = Same(inner, k, s, fill=fill) if cfg['padding'] == 'same' else inner
            h, w = [math.ceil(n / st) if cfg['padding'] == 'same' else (n - kk) // st + 1 for n, kk, st in zip((h, w), k, s)]
        elif cls == 'BatchNormalization':
            # Keras: moving = momentum·moving + (1 − momentum)·batch; torch's momentum is the other weight.
            self.module = nn.BatchNorm2d(c, eps=cfg.get('epsilon', 1e-3), momentum=1 - cfg.get('momentum', 0.99))
        elif cls == 'Activation':
            self.module = activation(cfg['activation'], last)
        elif cls == 'ReLU':
            self.module = nn.ReLU6() if cfg.get('max_value') == 6 else nn.ReLU()
        elif cls in ('GlobalAveragePooling2D', 'GlobalMaxPooling2D'):
            pool = nn.AdaptiveAvgPool2d(1) if cls == 'GlobalAveragePooling2D' else nn.AdaptiveMaxPool2d(1)
            self.module = nn.Sequential(pool, nn.Flatten())
            h = w = 1
        elif cls == 'Flatten':
            # Keras flattens NHWC; the order only permutes the next layer's weights, trained from scratch.
            self.module = nn.Flatten()
            c, h, w = c * h * w, 1, 1
        elif cls == 'Dense':
            self.module = nn.Sequential(glorot(nn.Linear(c * h * w, cfg['units'], bias=cfg.get('use_bias', True))), activation(cfg.get('activation', 'linear'), last))
            c, h, w = cfg['units'], 1, 1
        elif cls in ('Dropout', 'SeededDropout'):
            self.module = nn.Dropout(cfg['rate'])
        elif cls == 'SpatialDropout2D':
            self.module = nn.Dropout2d(cfg['rate'])
        else:
            raise SystemExit(f'layer {cls} is not mirrored in quality-pytorch.py; add it there')
        self.shape = (c, h, w)

    def forward(self, x):
        return self.module(x)


class KerasNet(nn.Module):
    """A Sequential or functional Keras topology; functional graphs may add and concatenate."""

    def __init__(self, topology, in_shape):
        super().__init__()
        config = topology['config']
        specs = config['layers'] if isinstance(config, dict) else config
        self.layers = nn.ModuleDict()
        self.order = []  # (name, class, inbound names)
        shapes = {}
        functional = topology['class_name'] != 'Sequential'
        previous = '__input__'
        shapes[previous] = in_shape
        for i, spec in enumerate(specs):
            cls, cfg = spec['class_name'], spec['config']
            name = cfg['name']
            if functional:
                nodes = spec.get('inbound_nodes') or []
                inbound = [n[0] for n in nodes[0]] if nodes else []
            else:
                inbound = [previous]
            if cls == 'InputLayer':
                shapes[name] = in_shape
                self.order.append((name, 'Input', []))
            elif cls == 'Add':
                shapes[name] = shapes[inbound[0]]
                self.order.append((name, 'Add', inbound))
            elif cls == 'Concatenate':
                first = shapes[inbound[0]]
                shapes[name] = (sum(shapes[n][0] for n in inbound),) + tuple(first[1:])
                self.order.append((name, 'Concatenate', inbound))
            else:
                layer = Layer(cls, cfg, shapes[inbound[0]], i == len(specs) - 1)
                self.layers[name.replace('.', '_')] = layer
                shapes[name] = layer.shape
                self.order.append((name, 'Layer', inbound))
            previous = name
        self.output_name = config['output_layers'][0][0] if functional else previous

    def forward(self, x):
        values = {'__input__': x}
        for name, kind, inbound in self.order:
            if kind == 'Input':
                values[name] = x
            elif kind == 'Add':
                values[name] = sum(values[n] for n in inbound)
            elif kind == 'Concatenate':
                values[name] = torch.cat([values[n] for n in inbound], dim=1)
            else:
                values[name] = self.layers[name.replace('.', '_')](values[inbound[0]])
        return values[self.output_name]


def augment(x, rng, options):
    """The train step's augmentation (augment.ts): flip, shift with edge pixels repeated, brightness."""
    n, _, size, _ = x.shape
    limit = round(options.get('maxShift', 0) * size)
    out = torch.empty_like(x)
    grid = torch.arange(size)
    for i in range(n):
        flip = rng.random() < 0.5 and options.get('flip', False)
        vertical = rng.random() < 0.5 and options.get('verticalFlip', False)
        sy = int(rng.integers(-limit, limit + 1)) if limit else 0
        sx = int(rng.integers(-limit, limit + 1)) if limit else 0
        rows = (grid - sy).clamp(0, size - 1)
        cols = (grid - sx).clamp(0, size - 1)
        if flip:
            cols = size - 1 - cols
        if vertical:
            rows = size - 1 - rows
        out[i] = x[i][:, rows][:, :, cols]
    b = options.get('brightness', 0)
    if b:
        out = (out + torch.from_numpy(rng.uniform(-b, b, size=(n, 1, 1, 1)).astype(np.float32))).clamp(0, 1)
    return out


def ece(probabilities, labels):
    confidence, predicted = probabilities.max(dim=1)
    correct = (predicted == labels).double()
    bins = (torch.ceil(confidence.double() * ECE_BINS) - 1).clamp(0, ECE_BINS - 1).long()
    total = 0.0
    for b in range(ECE_BINS):
        members = bins == b
        if members.any():
            total += members.double().mean().item() * abs(correct[members].mean().item() - confidence[members].double().mean().item())
    return total


def fit_temperature(logits, labels):
    """Minimises the validation NLL over log T (so T stays positive)."""
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.exp().item())


def predict(net, x, batch=500):
    net.eval()
    with torch.no_grad():
        return torch.cat([net(x[i:i + batch]) for i in range(0, len(x), batch)])


def learning_rate(config, step, steps_per_epoch, total_steps):
    """The train step's schedule (learning-rate-schedule.ts): linear warm-up, then constant or a half cosine to 0."""
    base = config['learningRate']
    warmup = round(config.get('warmupEpochs', 0) * steps_per_epoch)
    if warmup and step < warmup:
        return base * (step + 1) / warmup
    if config.get('schedule') == 'cosine':
        progress = min(1.0, (step - warmup) / max(1, total_steps - warmup - 1))
        return base * 0.5 * (1 + math.cos(math.pi * progress))
    return base


def main():
    config = json.load(open(sys.argv[1]))
    torch.manual_seed(config['seed'])
    torch.set_num_threads(config['threads'])
    rng = np.random.default_rng(config['seed'])
    idx = config['idxDir']
    train_images = read_idx(f'{idx}/train-images-idx3-ubyte.gz')
    train_labels = read_idx(f'{idx}/train-labels-idx1-ubyte.gz')
    test_images = read_idx(f'{idx}/t10k-images-idx3-ubyte.gz')
    test_labels = read_idx(f'{idx}/t10k-labels-idx1-ubyte.gz')
    channels = config['inputChannels']

    def tensors(images, labels, indices):
        x = torch.from_numpy(images[indices].astype(np.float32) / 255.0).unsqueeze(1)
        return x.repeat(1, channels, 1, 1), torch.from_numpy(labels[indices].astype(np.int64))

    x_train, y_train = tensors(train_images, train_labels, np.array(config['train']))
    x_val, y_val = tensors(train_images, train_labels, np.array(config['val']))
    x_test, y_test = tensors(test_images, test_labels, np.arange(len(test_labels)))

    topology = json.load(open(config['modelJson']))['modelTopology']
    net = KerasNet(topology, (channels, x_train.shape[2], x_train.shape[3]))
    # Counted as tfjs's countParams() does: batch norm's moving mean and variance included.
    parameters = sum(p.numel() for p in net.parameters()) + sum(b.numel() for n, b in net.named_buffers() if n.endswith(('running_mean', 'running_var')))
    decay = config.get('weightDecay', 0.0)
    # The train step's AdamW (adamw.ts) decays convolution and dense kernels only, not biases or
    # batch norm, with tfjs's epsilon 1e-7 (torch's default is 1e-8).
    kernels = [m.weight for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    kernel_ids = {id(p) for p in kernels}
    others = [p for p in net.parameters() if id(p) not in kernel_ids]
    groups = [{'params': kernels, 'weight_decay': decay}, {'params': others, 'weight_decay': 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=config['learningRate'], eps=1e-7)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=config.get('labelSmoothing', 0.0))
    batch, epochs = config['batchSize'], config['epochs']
    steps_per_epoch = math.ceil(len(x_train) / batch)
    schedule_steps = steps_per_epoch * config.get('scheduleEpochs', epochs)
    step = 0
    started = time.perf_counter()
    for epoch in range(epochs):
        net.train()
        order = torch.from_numpy(rng.permutation(len(x_train)))
        for first in range(0, len(order), batch):
            members = order[first:first + batch]
            x = x_train[members]
            if config.get('augment'):
                x = augment(x, rng, config['augment'])
            for group in optimizer.param_groups:
                group['lr'] = learning_rate(config, step, steps_per_epoch, schedule_steps)
            optimizer.zero_grad()
            loss = loss_fn(net(x), y_train[members])
            loss.backward()
            optimizer.step()
            step += 1
        print(f'[pytorch] epoch {epoch + 1}/{epochs}: loss {loss.item():.4f}', file=sys.stderr, flush=True)
    train_seconds = time.perf_counter() - started

    val_logits, test_logits = predict(net, x_val), predict(net, x_test)
    temperature = fit_temperature(val_logits, y_val)
    probabilities = F.softmax(test_logits, dim=1)
    top3 = test_logits.topk(3, dim=1).indices
    print(json.dumps({
        'top1': (test_logits.argmax(dim=1) == y_test).double().mean().item(),
        'top3': (top3 == y_test.unsqueeze(1)).any(dim=1).double().mean().item(),
        'eceUncalibrated': ece(probabilities, y_test),
        'ece': ece(F.softmax(test_logits / temperature, dim=1), y_test),
        'temperature': temperature,
        'trainImagesPerSecond': len(x_train) * epochs / train_seconds,
        'trainSeconds': train_seconds,
        'trainImages': len(x_train),
        'testImages': len(x_test),
        'parameters': parameters,
        'epochs': epochs,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
    }))


if __name__ == '__main__':
    main()
