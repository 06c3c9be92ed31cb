"""The PyTorch CEM baseline of `foresight bench planner`: the same cross-entropy method the Java
planner runs, written plainly in PyTorch the way the research anchors write it (V-JEPA 2-AC,
DINO-WM), on the same predictor weights (read from predictor.onnx).

    /usr/bin/python3 models/bench/cem_torch.py --predictor models/two-rooms/predictor.onnx \
        --samples 300 --horizon 15 --iterations 3 --elites 30 --plans 20 --threads 2

Prints one JSON object: milliseconds per plan (p50, mean), settings, versions, and the predictor's
output for a fixed check input (latent z[i] = sin(0.1 i + 1), action a = (0.5, -0.25)) so the
caller can check that both sides run the same function.

The predictor graph is executed op by op with torch operations (an eager interpreter for the ops
an exported MLP uses), so any predictor the recipe exports runs without its Python class.
"""

import argparse
import json
import math
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper


class OnnxTorch:
    """Runs an ONNX graph of MLP-style ops with eager torch ops."""

    def __init__(self, path):
        model = onnx.load(path)
        g = model.graph
        self.consts = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.consts]
        self.outputs = [o.name for o in g.output]
        self.nodes = []
        for n in g.node:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
            if n.op_type == "Constant":
                self.consts[n.output[0]] = torch.from_numpy(numpy_helper.to_array(attrs["value"]).copy())
                continue
            self.nodes.append((n.op_type, list(n.input), list(n.output), attrs))
        # Pre-transpose Gemm weights once, as a plain nn.Linear would hold them.
        for op, ins, _, attrs in self.nodes:
            if op == "Gemm" and attrs.get("transB", 0) and ins[1] in self.consts:
                self.consts[ins[1] + "::T"] = self.consts[ins[1]].t().contiguous()

    def matmul_flops_per_row(self):
        flops = 0
        for op, ins, _, _ in self.nodes:
            if op in ("Gemm", "MatMul") and ins[1] in self.consts:
                w = self.consts[ins[1]]
                flops += 2 * int(np.prod(w.shape))
        return flops

    def __call__(self, *args):
        env = dict(self.consts)
        env.update(zip(self.inputs, args))
        for op, ins, outs, a in self.nodes:
            x = [env[i] if i else None for i in ins]
            if op == "Gemm":
                A = x[0].t() if a.get("transA", 0) else x[0]
                B = env[ins[1] + "::T"] if a.get("transB", 0) and (ins[1] + "::T") in env else (
                    x[1].t() if a.get("transB", 0) else x[1])
                y = torch.matmul(A, B) * a.get("alpha", 1.0)
                if len(x) > 2 and x[2] is not None:
                    y = y + x[2] * a.get("beta", 1.0)
            elif op == "MatMul":
                y = torch.matmul(x[0], x[1])
            elif op == "Add":
                y = x[0] + x[1]
            elif op == "Sub":
                y = x[0] - x[1]
            elif op == "Mul":
                y = x[0] * x[1]
            elif op == "Div":
                y = x[0] / x[1]
            elif op == "Relu":
                y = torch.relu(x[0])
            elif op == "Tanh":
                y = torch.tanh(x[0])
            elif op == "Sigmoid":
                y = torch.sigmoid(x[0])
            elif op == "Erf":
                y = torch.erf(x[0])
            elif op == "Identity":
                y = x[0]
            elif op == "Concat":
                y = torch.cat(x, dim=a["axis"])
            elif op == "LayerNormalization":
                axis = a.get("axis", -1)
                shape = x[0].shape[axis:]
                y = torch.nn.functional.layer_norm(x[0], shape, x[1], x[2] if len(x) > 2 else None, a.get("epsilon", 1e-5))
            else:
                raise SystemExit(f"cem_torch.py: unsupported ONNX op {op}; add it to OnnxTorch")
            env[outs[0]] = y
        return env[self.outputs[0]]


def cem(pred, z0, goal, samples, horizon, iterations, elites, momentum, init_std, min_std, low, high):
    """CEM with L2 cost at the horizon's end; the mean is sample 0; returns the best sequence."""
    a_dim = low.shape[0]
    mean = torch.zeros(horizon, a_dim)
    std = torch.full((horizon, a_dim), init_std) * (high - low)
    best, best_cost = None, float("inf")
    for _ in range(iterations):
        acts = mean + std * torch.randn(samples, horizon, a_dim)
        acts[0] = mean
        acts = torch.max(torch.min(acts, high), low)
        z = z0.expand(samples, -1)
        for t in range(horizon):
            z = pred(z, acts[:, t])
        cost = torch.linalg.norm(z - goal, dim=1)
        idx = torch.topk(cost, elites, largest=False).indices
        if cost[idx[0]] < best_cost:
            best_cost, best = float(cost[idx[0]]), acts[idx[0]].clone()
        el = acts[idx]
        mean = momentum * mean + (1 - momentum) * el.mean(0)
        std = torch.clamp(momentum * std + (1 - momentum) * el.std(0, unbiased=False), min=min_std)
    return best, best_cost


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--predictor", required=True)
    p.add_argument("--samples", type=int, default=300)
    p.add_argument("--horizon", type=int, default=15)
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--elites", type=int, default=30)
    p.add_argument("--momentum", type=float, default=0.1)
    p.add_argument("--init-std", type=float, default=0.5)
    p.add_argument("--min-std", type=float, default=0.05)
    p.add_argument("--plans", type=int, default=21)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    pred = OnnxTorch(args.predictor)
    lat_dim = None
    m = onnx.load(args.predictor)
    for i in m.graph.input:
        if i.name == pred.inputs[0]:
            lat_dim = i.type.tensor_type.shape.dim[1].dim_value
    a_dim = 2
    for i in m.graph.input:
        if i.name == pred.inputs[1]:
            a_dim = i.type.tensor_type.shape.dim[1].dim_value
    low, high = -torch.ones(a_dim), torch.ones(a_dim)

    with torch.no_grad():
        check_z = torch.tensor([[math.sin(0.1 * i + 1.0) for i in range(lat_dim)]], dtype=torch.float32)
        check_a = torch.tensor([[0.5, -0.25] + [0.0] * (a_dim - 2)], dtype=torch.float32)
        check = pred(check_z, check_a)[0].tolist()
        times = []
        for k in range(args.warmup + args.plans):
            z0 = torch.randn(1, lat_dim)
            goal = torch.randn(1, lat_dim)
            t0 = time.perf_counter()
            cem(pred, z0, goal, args.samples, args.horizon, args.iterations, args.elites,
                args.momentum, args.init_std, args.min_std, low, high)
            dt = (time.perf_counter() - t0) * 1000
            if k >= args.warmup:
                times.append(dt)
    # Three blocks; the fastest block's median is the figure (as on the Java side), which filters
    # out other processes on a shared machine.
    blocks = [times[i * len(times) // 3:(i + 1) * len(times) // 3] for i in range(3)]
    best_block = min(sorted(b)[len(b) // 2] for b in blocks if b)
    times.sort()
    print(json.dumps({
        "ms_per_plan_best_block_p50": best_block,
        "ms_per_plan_p50": times[len(times) // 2],
        "ms_per_plan_mean": sum(times) / len(times),
        "ms_per_plan_min": times[0],
        "plans": len(times),
        "samples": args.samples, "horizon": args.horizon, "iterations": args.iterations,
        "elites": args.elites, "threads": args.threads,
        "torch": torch.__version__,
        "matmul_flops_per_sample_step": pred.matmul_flops_per_row(),
        "latent_dim": lat_dim, "action_dim": a_dim,
        "check_next_latent": check,
    }))


if __name__ == "__main__":
    main()
