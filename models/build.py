#!/usr/bin/python3
"""Train a small CNN on scikit-learn's digits dataset and export it to ONNX.

Outputs (next to this script):
  digits-cnn.onnx          opset 13, BatchNormalization nodes kept (not folded)
  digits-test-input.pb     TensorProto float32 [N,1,8,8] named "input"
  digits-test-labels.pb    TensorProto int64 [N] named "labels"
  digits-cnn.json          {"accuracy_torch", "test_samples", "seed", "opset", ...}

Run: /usr/bin/python3 models/build.py
Needs Debian packages: python3-torch python3-sklearn python3-onnx
"""
import json
import os
import random
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
OPSET = 13
EPOCHS = 40
BATCH_SIZE = 64
LR = 3e-3
WEIGHT_DECAY = 1e-4

HERE = os.path.dirname(os.path.abspath(__file__))


def set_determinism(seed):
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False


class DigitsCNN(nn.Module):
    """input [N,1,8,8] -> logits [N,10]"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)    # [N,16,8,8]
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)   # [N,32,8,8]
        self.bn2 = nn.BatchNorm2d(32)
        self.pool = nn.MaxPool2d(2)                     # [N,32,4,4]
        self.conv3 = nn.Conv2d(32, 32, 3, padding=1)   # [N,32,4,4]
        self.bn3 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)            # [N,64]
        self.dropout = nn.Dropout(0.3)
        self.fc2 = nn.Linear(64, 10)                    # [N,10]

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = self.pool(x)
        # residual: conv3's output channels are coupled to conv2's via the Add
        x = F.relu(self.bn3(self.conv3(x)) + x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        return self.fc2(x)


def run_onnx_numpy(model, x):
    """Minimal float64 NumPy interpreter for the ops this graph uses; an
    independent check (no onnxruntime here) that the exported graph matches torch."""
    env = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
    env[model.graph.input[0].name] = x.astype(np.float64)

    def attrs(node):
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    for node in model.graph.node:
        a = attrs(node)
        ins = [env[n] for n in node.input]
        op = node.op_type
        if op == "Conv":
            xx, w = ins[0], ins[1]
            p = a.get("pads", [0, 0, 0, 0])
            assert a.get("group", 1) == 1 and a.get("strides", [1, 1]) == [1, 1]
            xx = np.pad(xx, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
            kh, kw = w.shape[2:]
            oh, ow = xx.shape[2] - kh + 1, xx.shape[3] - kw + 1
            cols = np.stack([xx[:, :, i:i + oh, j:j + ow] for i in range(kh) for j in range(kw)], axis=2)
            y = np.einsum("nckhw,ock->nohw", cols, w.reshape(w.shape[0], w.shape[1], kh * kw))
            if len(ins) > 2:
                y = y + ins[2][None, :, None, None]
        elif op == "BatchNormalization":
            xx, g, b, m, v = ins
            sh = (1, -1, 1, 1)
            y = (xx - m.reshape(sh)) / np.sqrt(v.reshape(sh) + a["epsilon"]) * g.reshape(sh) + b.reshape(sh)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "MaxPool":
            assert a["kernel_shape"] == [2, 2] and a["strides"] == [2, 2]
            n, c, h, w = ins[0].shape
            y = ins[0].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
        elif op == "Flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
        elif op == "Gemm":
            assert a.get("transB") == 1 and not a.get("transA")
            y = ins[0] @ ins[1].T + (ins[2] if len(ins) > 2 else 0)
        elif op == "Identity":
            y = ins[0]
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = y
    return env[model.graph.output[0].name]


def main():
    t0 = time.time()
    set_determinism(SEED)

    digits = load_digits()
    X = (digits.images.astype(np.float32) / 16.0)[:, None, :, :]  # [1797,1,8,8]
    y = digits.target.astype(np.int64)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y)

    Xtr, ytr = torch.from_numpy(X_train), torch.from_numpy(y_train)
    Xte, yte = torch.from_numpy(X_test), torch.from_numpy(y_test)

    model = DigitsCNN()
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
    gen = torch.Generator().manual_seed(SEED)

    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(Xtr), generator=gen)
        total = 0.0
        for i in range(0, len(perm), BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            opt.zero_grad()
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        if (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1:3d} loss {total / len(Xtr):.4f}")

    model.eval()
    with torch.no_grad():
        pred = model(Xte).argmax(1)
    correct = int((pred == yte).sum())
    accuracy = correct / len(yte)
    print(f"test accuracy (torch): {accuracy:.6f} ({correct}/{len(yte)})")

    onnx_path = os.path.join(HERE, "digits-cnn.onnx")
    tmp_path = onnx_path + ".tmp"
    torch.onnx.export(
        model, torch.zeros(1, 1, 8, 8), tmp_path,
        opset_version=OPSET,
        do_constant_folding=False,
        # PRESERVE (with the model already in eval mode) exports inference
        # semantics but skips torch's eval-mode peephole pass, which would
        # otherwise fuse Conv+BatchNormalization even with constant folding off.
        training=torch.onnx.TrainingMode.PRESERVE,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
    )
    os.replace(tmp_path, onnx_path)

    m = onnx.load(onnx_path)
    onnx.checker.check_model(m, full_check=True)
    ops = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    print("onnx ops:", dict(sorted(ops.items())))
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes)")

    with torch.no_grad():
        torch_logits = model(Xte).numpy()
    np_logits = run_onnx_numpy(m, X_test)
    max_diff = float(np.abs(np_logits - torch_logits).max())
    correct_onnx = int((np_logits.argmax(1) == y_test).sum())
    accuracy_onnx = correct_onnx / len(y_test)
    print(f"test accuracy (onnx graph, numpy reference): {accuracy_onnx:.6f}; "
          f"max |logit diff| vs torch: {max_diff:.2e}")
    if correct_onnx != correct or max_diff > 1e-3:
        sys.exit("exported ONNX graph disagrees with torch")
    if os.path.getsize(onnx_path) >= 1 << 20:
        sys.exit("digits-cnn.onnx is over 1 MB")

    for name, arr, fname in [("input", X_test, "digits-test-input.pb"),
                             ("labels", y_test, "digits-test-labels.pb")]:
        path = os.path.join(HERE, fname)
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(np.ascontiguousarray(arr), name).SerializeToString())
        print(f"wrote {path} {list(arr.shape)} {arr.dtype}")

    meta = {
        "accuracy_torch": accuracy,
        "test_samples": int(len(y_test)),
        "seed": SEED,
        "opset": OPSET,
        "correct": correct,
        "accuracy_onnx_numpy": accuracy_onnx,
        "params": int(sum(p.numel() for p in model.parameters())),
        "torch_version": torch.__version__,
    }
    with open(os.path.join(HERE, "digits-cnn.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
