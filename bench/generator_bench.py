"""PyTorch reference for bench/GeneratorBench: the same DiT (src/Trainer/Models) and the same training step.

Architecture, mirrored from the C# model file by file: PatchEmbed (stride-p conv) + fixed 2D sin-cos
positions; TimestepEmbedder (sinusoidal features of 1000*t, Linear-SiLU-Linear); text tokens projected by
Linear(TextDim, D) and mean-pooled text by another Linear added to the time embedding; adaLN-Zero blocks
(LayerNorm without affine, eps 1e-6; fused qkv; SDPA with a boolean key mask; GELU-tanh MLP); sequence
[text | image]; FinalLayer with adaLN shift/scale. Step: flow-matching MSE on random data, backward,
clip_grad_norm 1.0, AdamW(1e-4, betas 0.9/0.99), loss.item() as the sync. The parameter count printed
must equal GeneratorBench's.

    python bench/generator_bench.py --preset shapes-m --batch 32 --steps 20 --device cuda --dtype bfloat16
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# (image_size, in_channels, patch, hidden, depth, heads, text_dim, freq, text_tokens): src/Trainer/Models/ModelPresets.cs
PRESETS = {
    "shapes-xs": (16, 3, 2, 64, 2, 4, 32, 64, 12),
    "shapes-s": (32, 3, 4, 128, 4, 4, 64, 128, 24),
    "shapes-m": (64, 3, 2, 512, 12, 8, 256, 256, 24),
    "dit-2b": (64, 16, 2, 2048, 26, 16, 1024, 256, 64),
}


def sincos_2d(dim, grid):
    quarter = dim // 4
    omega = 1.0 / (10000.0 ** (torch.arange(quarter, dtype=torch.float64) / quarter))
    pos = torch.arange(grid, dtype=torch.float64)
    out = torch.zeros(grid, grid, dim, dtype=torch.float64)
    col = pos[None, :, None] * omega  # (1, grid, q)
    row = pos[:, None, None] * omega  # (grid, 1, q)
    out[..., :quarter] = torch.sin(col).expand(grid, grid, quarter)
    out[..., quarter:2 * quarter] = torch.cos(col).expand(grid, grid, quarter)
    out[..., 2 * quarter:3 * quarter] = torch.sin(row).expand(grid, grid, quarter)
    out[..., 3 * quarter:] = torch.cos(row).expand(grid, grid, quarter)
    return out.reshape(1, grid * grid, dim).float()


def modulate(x, shift, scale):
    return x * (scale + 1) + shift


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask):
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(y.transpose(1, 2).reshape(n, s, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class DiTBlock(nn.Module):
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=1e-6, elementwise_affine=False)
        self.attn = Attention(d, heads)
        self.norm2 = nn.LayerNorm(d, eps=1e-6, elementwise_affine=False)
        self.mlp = Mlp(d, hidden)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))

    def forward(self, x, c, mask):
        sm, cm, gm, sp, cp, gp = self.adaLN_modulation(c).chunk(6, dim=-1)
        x = x + gm * self.attn(modulate(self.norm1(x), sm, cm), mask)
        return x + gp * self.mlp(modulate(self.norm2(x), sp, cp))


class DiT(nn.Module):
    def __init__(self, size, cin, p, d, depth, heads, text_dim, freq):
        super().__init__()
        self.size, self.cin, self.p, self.freq = size, cin, p, freq
        self.grid = size // p
        self.x_embedder = nn.Conv2d(cin, d, p, p)
        self.t_linear1 = nn.Linear(freq, d)
        self.t_linear2 = nn.Linear(d, d)
        self.y_embedder = nn.Linear(text_dim, d)
        self.y_pooler = nn.Linear(text_dim, d)
        self.ref_marker = nn.Parameter(torch.zeros(1, 1, d))
        self.register_buffer("pos_embed", sincos_2d(d, self.grid))
        self.blocks = nn.ModuleList(DiTBlock(d, heads, round(d * 4.0)) for _ in range(depth))
        self.norm_final = nn.LayerNorm(d, eps=1e-6, elementwise_affine=False)
        self.final_linear = nn.Linear(d, p * p * cin)
        self.final_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))

    def timestep(self, t):
        half = self.freq // 2
        freqs = torch.exp(torch.arange(half, device=t.device, dtype=torch.float32) * (-math.log(10000.0) / half))
        args = (t.float() * 1000.0)[:, None] * freqs[None]
        emb = torch.cat([torch.cos(args), torch.sin(args)], dim=1).to(self.t_linear1.weight.dtype)
        return self.t_linear2(F.silu(self.t_linear1(emb)))

    def forward(self, x, t, text, text_mask):
        n, l = x.shape[0], text.shape[1]
        target = self.x_embedder(x).flatten(2).transpose(1, 2) + self.pos_embed.to(x.dtype)
        y = self.y_embedder(text)
        keep = text_mask.to(text.dtype).unsqueeze(-1)
        pooled = (text * keep).sum(1) / keep.sum(1).clamp_min(1.0)
        c = (self.timestep(t) + self.y_pooler(pooled)).unsqueeze(1)
        h = torch.cat([y, target], dim=1)
        mask = torch.cat([text_mask, torch.ones(n, target.shape[1], dtype=torch.bool, device=x.device)], dim=1).view(n, 1, 1, -1)
        for block in self.blocks:
            h = block(h, c, mask)
        shift, scale = self.final_modulation(c).chunk(2, dim=-1)
        out = self.final_linear(modulate(self.norm_final(h[:, l:]), shift, scale))
        g, p, ch = self.grid, self.p, self.cin
        return out.view(n, g, g, p, p, ch).permute(0, 5, 1, 3, 2, 4).reshape(n, ch, g * p, g * p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="shapes-s", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--threads", type=int, default=None)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    size, cin, p, d, depth, heads, text_dim, freq, text_tokens = PRESETS[a.preset]
    dtype = getattr(torch, a.dtype)
    device = torch.device(a.device)
    torch.manual_seed(0)
    with device:  # initialise on the device: a 2B-parameter init on the CPU alone takes longer than the timed steps
        model = DiT(size, cin, p, d, depth, heads, text_dim, freq).to(dtype=dtype)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0)
    params = sum(q.numel() for q in model.parameters())

    def step(phases=None):
        # With a phases dict (CUDA only) each phase is synchronised and timed; those steps are not the measured ones.
        clock = [time.perf_counter()]

        def mark(name):
            if phases is None:
                return
            torch.cuda.synchronize()
            now = time.perf_counter()
            phases[name] = phases.get(name, 0.0) + (now - clock[0]) * 1000
            clock[0] = now

        x = torch.randn(a.batch, cin, size, size, device=device, dtype=dtype)
        noise = torch.randn_like(x)
        t = torch.rand(a.batch, device=device, dtype=dtype)
        text = torch.randn(a.batch, text_tokens, text_dim, device=device, dtype=dtype)
        mask = torch.ones(a.batch, text_tokens, dtype=torch.bool, device=device)
        tt = t.view(-1, 1, 1, 1)
        xt = (1 - tt) * x + tt * noise
        opt.zero_grad(set_to_none=False)
        mark("data_ms")
        v = model(xt, t, text, mask)
        loss = F.mse_loss(v.float(), (noise - x).float())
        mark("forward_ms")
        loss.backward()
        mark("backward_ms")
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        mark("clip_ms")
        opt.step()
        mark("optimizer_ms")
        return loss.item()

    for _ in range(a.warmup):
        step()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(a.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    phases, breakdown_steps = {}, 5
    if device.type == "cuda":
        for _ in range(breakdown_steps):
            step(phases)
    result = {
        "impl": "pytorch",
        "preset": a.preset,
        "device": str(device),
        "dtype": a.dtype,
        "batch": a.batch,
        "tokens": (size // p) ** 2 + text_tokens,
        "parameters": params,
        "threads": torch.get_num_threads(),
        "steps": a.steps,
        "ms_per_step_median": statistics.median(times),
        "ms_per_step_mean": statistics.mean(times),
        "steps_per_second": 1000.0 / statistics.mean(times),
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else None,
        "phases_ms": {k: round(v / breakdown_steps, 2) for k, v in phases.items()},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
