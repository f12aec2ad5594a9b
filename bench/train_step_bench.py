"""PyTorch reference for bench/TrainStepBench: one full NP-Edit training step (paper Algorithm 1) as
src/Trainer/Training/NpEditTrainer.cs runs it, with random weights and the same synthetic batch.

Step: G_theta unrolled in two passes (x0_hat = eps - G(eps, 1, c, y); re-noise to t in {0.75, 0.5, 0.25}; x0 = x_t - t G(x_t, t, c, y)),
gradients through both passes (activation checkpointing of each pass for the large preset, as in C#); the critic's
Yes/No loss for two two-image questions per sample (one critic call per question kind: reference features under
no_grad, edited image with grad); DMD (teacher with CFG 3.5 against the negative prompt, A_phi without CFG, x0 form);
0.01 L_VLM + 0.5 L_DMD; Adam(lr 2e-6, betas (0, 0.9)); then N_aux = 10 updates of A_phi with the flow loss on fresh
two-pass generator samples (no grad). bf16 = our scheme: bf16 module copies for compute, fp32 master weights in
Adam, inputs cast at each DiT call, losses in fp32. The .item() reads NpEditTrainer makes for its logs are made here too.

The DiT is bench/generator_bench.py's (module by module the C# model), with the reference-token path of DiT.cs.
The critic is transformers' LlavaOnevisionForConditionalGeneration, driven through its parts as bench/critic_bench.py.
Prints one JSON line; on any failure a JSON line with "error".

    python bench/train_step_bench.py --device cuda --preset shapes-m --critic shapes-mini --batch 8
    python bench/train_step_bench.py --device cuda --preset dit-2b --critic llava-ov-0.5b --dtype bfloat16 --batch 2
"""
import argparse
import json
import math
import os
import sys
import time
import traceback

RESULT = {"side": "pytorch"}


def emit(**extra):
    print(json.dumps({**RESULT, **extra}), flush=True)


def fail(stage, error):
    traceback.print_exc(file=sys.stderr)
    emit(error=f"{stage}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    sys.exit(1)


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.checkpoint import checkpoint
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from generator_bench import PRESETS, DiT, Attention, Mlp, modulate
except Exception as e:  # noqa: BLE001
    fail("import torch / generator_bench", e)

# Text encoder (depth, heads) of src/Trainer/Models/ModelPresets.cs; its dim and token count are the DiT's text_dim, text_tokens.
TEXT = {"shapes-xs": (1, 2), "shapes-s": (2, 4), "shapes-m": (4, 4), "dit-2b": (2, 16)}

# Critic shapes: src/Trainer/Critic/Shapes/CriticPresets.cs (shapes-mini) and LLaVA-OV-0.5B (LlavaOnevisionConfig defaults).
# sequence = positions of the [edit, identity] questions with two images; vocab/yes/no/image ids of the word tokenizer,
# all as printed by TrainStepBench (critic_sequence, critic_vocab, critic_yes_no_image).
CRITICS = {
    "shapes-mini": dict(vision=dict(hidden_size=128, intermediate_size=256, num_hidden_layers=4, num_attention_heads=4,
                                    image_size=64, patch_size=8),
                        text=dict(vocab_size=294, hidden_size=128, intermediate_size=256, num_hidden_layers=4,
                                  num_attention_heads=4, num_key_value_heads=2, rope_theta=10000.0),
                        sequence=(220, 193), yes=291, no=170, image=2),
    "llava-ov-0.5b": dict(vision=dict(hidden_size=1152, intermediate_size=4304, num_hidden_layers=26, num_attention_heads=16,
                                      image_size=384, patch_size=14),
                          text=dict(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                                    num_attention_heads=14, num_key_value_heads=2, rope_theta=1e6),
                          sequence=(1550, 1523), yes=291, no=170, image=2),
}


class TextEncoder(nn.Module):
    """ShapesTextEncoder: embedding + learned positions, pre-LN layers (LayerNorm eps 1e-5), final LayerNorm."""

    def __init__(self, vocab, dim, depth, heads, tokens):
        super().__init__()
        self.tok_embed = nn.Embedding(vocab, dim)
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dim))
        self.layers = nn.ModuleList(nn.ModuleDict(dict(norm1=nn.LayerNorm(dim), attn=Attention(dim, heads),
                                                       norm2=nn.LayerNorm(dim), mlp=Mlp(dim, 4 * dim))) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)

    def forward(self, ids, mask):
        x = self.tok_embed(ids) + self.pos_embed
        key = mask.view(mask.shape[0], 1, 1, -1)
        for layer in self.layers:
            x = x + layer["attn"](layer["norm1"](x), key)
            x = x + layer["mlp"](layer["norm2"](x))
        return self.norm(x)


def dit_forward(m, x, t, text, text_mask, reference=None):
    """DiT.cs forward: [text | target | reference] tokens; reference tokens reuse the positions, add the marker and
    are conditioned on t = 0 (per-token adaLN by segment); only target tokens are decoded."""
    n, l = x.shape[0], text.shape[1]
    patches = m.x_embedder(x).flatten(2).transpose(1, 2)
    positions = m.pos_embed.to(patches.dtype)
    target = patches + positions
    count = target.shape[1]
    keep = text_mask.to(text.dtype).unsqueeze(-1)
    pooled = (text * keep).sum(1) / keep.sum(1).clamp_min(1.0)
    text_c = m.y_pooler(pooled)
    c = m.timestep(t) + text_c
    tokens, conditions = [m.y_embedder(text), target], [c]
    visible = [text_mask, torch.ones(n, count, dtype=torch.bool, device=x.device)]
    segment = None
    if reference is not None:
        tokens.append(m.x_embedder(reference).flatten(2).transpose(1, 2) + positions + m.ref_marker)
        conditions.append(m.timestep(torch.zeros(n, device=x.device)) + text_c)
        visible.append(torch.ones(n, count, dtype=torch.bool, device=x.device))
        segment = torch.cat([torch.zeros(l + count, dtype=torch.long, device=x.device),
                             torch.ones(count, dtype=torch.long, device=x.device)])
    h = torch.cat(tokens, 1)
    cs = torch.stack(conditions, 1)
    mask = torch.cat(visible, 1).view(n, 1, 1, -1)
    for block in m.blocks:
        mod = block.adaLN_modulation(cs)
        if segment is not None:
            mod = mod.index_select(1, segment)
        sm, cm, gm, sp, cp, gp = mod.chunk(6, dim=-1)
        h = h + gm * block.attn(modulate(block.norm1(h), sm, cm), mask)
        h = h + gp * block.mlp(modulate(block.norm2(h), sp, cp))
    shift, scale = m.final_modulation(c.unsqueeze(1)).chunk(2, dim=-1)
    out = m.final_linear(modulate(m.norm_final(h[:, l:l + count]), shift, scale))
    g, p, ch = m.grid, m.p, m.cin
    return out.view(n, g, g, p, p, ch).permute(0, 5, 1, 3, 2, 4).reshape(n, ch, g * p, g * p)


def build_critic(name, device, dtype):
    from transformers import LlavaOnevisionConfig, LlavaOnevisionForConditionalGeneration
    spec = CRITICS[name]
    t = spec["text"]
    text = dict(model_type="qwen2", rms_norm_eps=1e-6, tie_word_embeddings=True,
                rope_parameters={"rope_type": "default", "rope_theta": t["rope_theta"]}, **t)
    vision = dict(model_type="siglip_vision_model", layer_norm_eps=1e-6, **spec["vision"])
    common = dict(text_config=text, vision_config=vision, vision_feature_layer=-1, vision_feature_select_strategy="full",
                  projector_hidden_act="gelu", tie_word_embeddings=True)
    try:
        config = LlavaOnevisionConfig(image_token_id=spec["image"], image_token_index=spec["image"], **common)
    except TypeError:  # a transformers without the old image_token_index name
        config = LlavaOnevisionConfig(image_token_id=spec["image"], **common)
    try:
        config.vision_config.vision_use_head = False  # our SigLIP tower has no pooling head (LLaVA uses hidden states only)
    except Exception:  # noqa: BLE001 (a strict config: the head stays; critic_params_without_head still compares)
        pass
    config._attn_implementation = "sdpa"
    with torch.device(device):
        model = LlavaOnevisionForConditionalGeneration(config)
    model = model.to(device=device, dtype=dtype).eval()
    model.requires_grad_(False)
    return model, spec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--preset", default="shapes-m", choices=sorted(TEXT))
    ap.add_argument("--critic", default="shapes-mini", choices=sorted(CRITICS))
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--aux-updates", type=int, default=10)
    ap.add_argument("--checkpointing", choices=["on", "off"], default=None)
    ap.add_argument("--find-max-batch", action="store_true")
    ap.add_argument("--batch-limit", type=int, default=1024)
    a = ap.parse_args()
    RESULT.update(device=a.device, preset=a.preset, critic=a.critic, dtype=a.dtype, aux_updates=a.aux_updates)
    torch.backends.cuda.matmul.allow_tf32 = False  # TorchSharp leaves tf32 off too
    device = torch.device(a.device)
    compute = torch.bfloat16 if a.dtype == "bfloat16" else torch.float32
    size, cin, p, d, depth, heads, text_dim, freq, text_tokens = PRESETS[a.preset]
    checkpointing = (a.checkpointing == "on") if a.checkpointing else d >= 1024
    RESULT["checkpointing"] = checkpointing
    factor = 1 if cin == 3 else 8  # TrainStepBench's LatentStandIn: 8x for the 16-channel latent
    side = size * factor

    try:
        torch.manual_seed(0)
        with torch.device(device):
            generator = DiT(size, cin, p, d, depth, heads, text_dim, freq)
            auxiliary = DiT(size, cin, p, d, depth, heads, text_dim, freq)
            teacher = DiT(size, cin, p, d, depth, heads, text_dim, freq)
            text_depth, text_heads = TEXT[a.preset]
            text_encoder = TextEncoder(64, text_dim, text_depth, text_heads, text_tokens)
            ae_in = torch.randn(cin, 3, 1, 1) / math.sqrt(3)
            ae_out = torch.randn(3, cin, 1, 1) / math.sqrt(cin)
        auxiliary.load_state_dict(generator.state_dict())
        teacher.load_state_dict(generator.state_dict())
        for frozen in (teacher, text_encoder):
            frozen.requires_grad_(False)
        gen_params = sum(q.numel() for q in generator.parameters())
        RESULT["gen_params"] = gen_params

        def masters_of(module):
            if compute == torch.float32:
                return list(module.parameters())
            masters = [q.detach().clone().requires_grad_() for q in module.parameters()]
            module.to(compute)
            return masters

        gen_masters, aux_masters = masters_of(generator), masters_of(auxiliary)
        teacher.to(compute)
        gen_params_list, aux_params_list = list(generator.parameters()), list(auxiliary.parameters())
        gen_opt = torch.optim.Adam(gen_masters, lr=2e-6, betas=(0.0, 0.9))
        aux_opt = torch.optim.Adam(aux_masters, lr=2e-6, betas=(0.0, 0.9))
    except Exception as e:  # noqa: BLE001
        fail("build DiTs", e)

    try:
        critic, spec = build_critic(a.critic, device, compute)
        RESULT["critic_params"] = sum(q.numel() for q in critic.parameters())
        RESULT["critic_params_without_head"] = sum(q.numel() for n, q in critic.named_parameters() if ".head." not in n)
        RESULT["critic_sequence"] = list(spec["sequence"])
        inner = critic.model
        tower, projector, newline, language = inner.vision_tower, inner.multi_modal_projector, inner.image_newline, inner.language_model
        embed, lm_head = inner.get_input_embeddings(), critic.lm_head
        critic_size = spec["vision"]["image_size"]
        tokens_per_image = (critic_size // spec["vision"]["patch_size"]) ** 2 + 1
    except Exception as e:  # noqa: BLE001
        fail("build critic (transformers LlavaOnevision)", e)

    def encode_text(n, words):
        # BOS + `words` word ids, padded to text_tokens (WordTokenizer.Batch); ids only need to be in range.
        ids = torch.zeros(n, text_tokens, dtype=torch.long, device=device)
        mask = torch.zeros(n, text_tokens, dtype=torch.bool, device=device)
        ids[:, :words + 1] = torch.arange(2, words + 3, device=device) % 64
        mask[:, :words + 1] = True
        with torch.no_grad():
            return text_encoder(ids, mask), mask

    def call(model, x, t, c, y=None):
        if compute == torch.float32:
            return dit_forward(model, x, t, c[0], c[1], y)
        return dit_forward(model, x.to(compute), t, c[0].to(compute), c[1], None if y is None else y.to(compute)).float()

    def ae_encode(images):
        return images if factor == 1 else F.conv2d(F.avg_pool2d(images, factor), ae_in)

    def ae_decode(latents):
        return latents if factor == 1 else F.interpolate(F.conv2d(latents, ae_out), scale_factor=factor, mode="nearest")

    def unroll(noise, t, c, y, with_checkpoint):
        n = noise.shape[0]

        def g_pass(x, tt):
            if with_checkpoint:
                return checkpoint(lambda xi: call(generator, xi, tt, c, y), x, use_reentrant=False)
            return call(generator, x, tt, c, y)

        one = torch.ones(n, device=device)
        first = noise - g_pass(noise, one)
        tt = torch.full((n,), t, device=device)
        xt = (1 - tt.view(-1, 1, 1, 1)) * first + tt.view(-1, 1, 1, 1) * torch.randn_like(noise)
        return xt - tt.view(-1, 1, 1, 1) * g_pass(xt, tt)

    def image_features(images):
        x = images.float()
        if x.shape[-1] != critic_size:
            x = F.interpolate(x, size=(critic_size, critic_size), mode="bicubic", align_corners=False, antialias=True)
        x = (((x + 1) * 0.5 - 0.5) / 0.5).to(compute)
        hidden = tower(x, output_hidden_states=True).hidden_states[-1]
        projected = projector(hidden)
        return torch.cat([projected, newline.to(projected.dtype).expand(projected.shape[0], 1, -1)], 1)

    def critic_logits(reference, edited, length):
        n = edited.shape[0]
        ids = torch.full((n, length), 5, dtype=torch.long, device=device)
        ids[:, 2:2 + 2 * tokens_per_image] = spec["image"]
        with torch.no_grad():
            ref = image_features(reference)
        feats = torch.cat([ref, image_features(edited)], 1)
        embeds = embed(ids)
        embeds = embeds.masked_scatter((ids == spec["image"]).unsqueeze(-1).expand_as(embeds), feats.to(embeds.dtype))
        hidden = language(inputs_embeds=embeds, attention_mask=torch.ones_like(ids)).last_hidden_state
        return lm_head(hidden[:, -1]).float()

    def update(loss, opt, params, masters):
        opt.zero_grad()
        loss.backward()
        if compute != torch.float32:
            for q, m in zip(params, masters):
                if q.grad is not None:
                    m.grad = q.grad.float()
                    q.grad = None
        norm = torch.nn.utils.clip_grad_norm_(masters, 3.4e38)
        finite = math.isfinite(loss.item()) and math.isfinite(norm.item())
        if finite:
            opt.step()
            if compute != torch.float32:
                with torch.no_grad():
                    for q, m in zip(params, masters):
                        q.copy_(m)
        if compute != torch.float32:
            for m in masters:
                m.grad = None
        return finite

    times = [0.75, 0.5, 0.25]

    def step(n, refs, k):
        # Generator step
        y = ae_encode(refs)
        c = encode_text(n, 5)
        x = unroll(torch.randn_like(y), times[k % 3], c, y, checkpointing)
        image = ae_decode(x)
        vlm = 0
        for length in spec["sequence"]:  # one critic call per question kind (edit, identity)
            logits = critic_logits(refs, image, length)
            correct, opposite = logits[:, spec["yes"]], logits[:, spec["no"]]
            kind = -F.logsigmoid(correct - opposite).mean()
            kind.item(), torch.sigmoid(correct - opposite).mean().item(), torch.sigmoid(correct - opposite).cpu()
            vlm = vlm + kind
        vlm.item()
        with torch.no_grad():
            t = torch.rand(n, device=device) * 0.96 + 0.02
            tv = t.view(-1, 1, 1, 1)
            xt = (1 - tv) * x.detach() + tv * torch.randn_like(x)
            cx, neg = encode_text(n, 11), encode_text(n, 3)
            v_cond, v_neg = call(teacher, xt, t, cx), call(teacher, xt, t, neg)
            real = xt - tv * (v_neg + 3.5 * (v_cond - v_neg))
            fake = xt - tv * call(auxiliary, xt, t, cx)
            weight = (x.detach() - real).abs().mean([1, 2, 3], keepdim=True).clamp_min(1e-8)
            grad = ((fake - real) / weight).nan_to_num(0.0, 0.0, 0.0)
        dmd = 0.5 * F.mse_loss(x, (x.detach() - grad).detach())
        dmd.item(), grad.flatten(1).norm(1).mean().item(), weight.mean().item()
        total = 0.01 * vlm + 0.5 * dmd
        total.item()
        ok = update(total, gen_opt, gen_params_list, gen_masters)
        # N_aux updates of A_phi on fresh two-pass samples of G_theta (no grad)
        c, cx = encode_text(n, 5), encode_text(n, 11)
        for j in range(a.aux_updates):
            with torch.no_grad():
                x0 = unroll(torch.randn_like(y), times[(k + j + 1) % 3], c, y, False)
            t = torch.rand(n, device=device)
            noise = torch.randn_like(x0)
            tv = t.view(-1, 1, 1, 1)
            v = call(auxiliary, (1 - tv) * x0 + tv * noise, t, cx)
            loss = F.mse_loss(v, noise - x0)
            loss.item()
            ok = update(loss, aux_opt, aux_params_list, aux_masters) and ok
        if not ok:
            raise RuntimeError("a loss or gradient norm was not finite")

    def ms_per_step(n, measured, warm):
        refs = torch.rand(n, 3, side, side, device=device) * 2 - 1
        for k in range(warm):
            step(n, refs, k)
        if device.type == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        for k in range(measured):
            step(n, refs, k)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return (time.perf_counter() - start) * 1000 / measured

    def peak():
        return round(torch.cuda.max_memory_allocated() / 2**30, 2) if device.type == "cuda" else None

    if a.find_max_batch:
        largest, largest_ms, failed, failure, largest_peak = 0, None, 0, "", None
        n = max(1, a.batch)
        while n <= a.batch_limit:
            try:
                largest_ms = round(ms_per_step(n, 1, 1), 2)
                largest, largest_peak = n, peak()
                print(f"batch {n}: {largest_ms} ms/step", file=sys.stderr)
            except Exception as e:  # noqa: BLE001 (torch.OutOfMemoryError included)
                failed, failure = n, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                break
            n *= 2
        emit(find_max_batch=True, max_batch=largest, ms_per_step_at_max=largest_ms, peak_gib_at_max=largest_peak,
             failed_batch=failed, failure=failure)
        return
    try:
        ms = ms_per_step(a.batch, a.steps, a.warmup)
    except Exception as e:  # noqa: BLE001
        fail(f"step (batch {a.batch})", e)
    emit(batch=a.batch, steps=a.steps, ms_per_step=round(ms, 2), peak_gib=peak())


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001
        fail("main", e)
