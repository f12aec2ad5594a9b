"""PyTorch/transformers side of the critic timing (bench/CriticBench is the TorchSharp side).

One VLM-loss evaluation as NP-Edit uses the critic: a LLaVA-OneVision-0.5B-shaped model with random weights
(SigLIP so400m 26 layers, Qwen2-0.5B 24 layers, tied head), two images per question (reference under no_grad,
edited with grad, bicubic-antialias resize to 384 inside the graph), one teacher-forced forward,
-log sigmoid(l_Yes - l_No), backward into the edited image; loss.item() is the sync.

    python bench/critic_bench.py --device cuda --dtype bfloat16 --batch 4 --steps 20
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
from transformers import LlavaOnevisionConfig, LlavaOnevisionForConditionalGeneration

YES, NO = 9454, 2753


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--image-size", type=int, default=512)
    ap.add_argument("--text-tokens", type=int, default=100)
    args = ap.parse_args()
    dtype = torch.bfloat16 if args.dtype == "bfloat16" else torch.float32
    torch.backends.cuda.matmul.allow_tf32 = False  # TorchSharp leaves tf32 off too

    text = dict(model_type="qwen2", vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                num_attention_heads=14, num_key_value_heads=2, rms_norm_eps=1e-6, rope_theta=1e6,
                rope_parameters={"rope_type": "default", "rope_theta": 1e6}, tie_word_embeddings=True)
    vision = dict(model_type="siglip_vision_model", hidden_size=1152, intermediate_size=4304, num_hidden_layers=26,
                  num_attention_heads=16, image_size=384, patch_size=14, layer_norm_eps=1e-6)
    config = LlavaOnevisionConfig(text_config=text, vision_config=vision, image_token_id=151646, image_token_index=151646,
                                  vision_feature_layer=-1, vision_feature_select_strategy="full",
                                  projector_hidden_act="gelu", tie_word_embeddings=True)
    config._attn_implementation = "sdpa"
    torch.manual_seed(0)
    with torch.device(args.device):  # initialise on the device (the CPU init alone takes longer than the timed steps)
        model = LlavaOnevisionForConditionalGeneration(config).to(dtype).eval()
    model.requires_grad_(False)
    params = sum(p.numel() for p in model.parameters())

    tokens_per_image = (384 // 14) ** 2 + 1
    g = torch.Generator().manual_seed(1)
    b = args.batch
    ids = torch.cat([torch.randint(0, 100, (b, 20), generator=g),
                     torch.full((b, 2 * tokens_per_image), 151646),
                     torch.randint(0, 100, (b, args.text_tokens - 20), generator=g)], 1).to(args.device)
    reference = (torch.rand(b, 3, args.image_size, args.image_size, generator=g) * 2 - 1).to(args.device, dtype)
    edited = (torch.rand(b, 3, args.image_size, args.image_size, generator=g) * 2 - 1).to(args.device, dtype)

    def prepare(x):
        x = F.interpolate(x, size=(384, 384), mode="bicubic", align_corners=False, antialias=True)
        return ((x + 1) * 0.5 - 0.5) / 0.5

    def features(pixels):
        hidden = model.model.vision_tower(pixels, output_hidden_states=True).hidden_states[-1]
        projected = model.model.multi_modal_projector(hidden)
        newline = model.model.image_newline.to(projected.dtype).expand(projected.shape[0], 1, -1)
        return torch.cat([projected, newline], 1)

    def step():
        x = edited.detach().requires_grad_()
        with torch.no_grad():
            ref = features(prepare(reference))
        feats = torch.cat([ref, features(prepare(x))], 1)
        embeds = model.model.get_input_embeddings()(ids)
        embeds = embeds.masked_scatter((ids == 151646).unsqueeze(-1).expand_as(embeds), feats.to(embeds.dtype))
        hidden = model.model.language_model(inputs_embeds=embeds, attention_mask=torch.ones_like(ids)).last_hidden_state
        logits = model.lm_head(hidden[:, -1]).float()
        loss = -F.logsigmoid(logits[:, YES] - logits[:, NO]).mean()
        loss.backward()
        return loss.item() + 0 * x.grad.abs().sum().item()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    ms = (time.perf_counter() - start) * 1000 / args.steps
    print(json.dumps({"side": "pytorch", "device": args.device, "dtype": args.dtype, "parameters": params, "batch": b,
                      "sequence": ids.shape[1], "image_size": args.image_size, "ms_per_step": round(ms, 2),
                      "questions_per_s": round(b * 1000 / ms, 2)}))


if __name__ == "__main__":
    main()
