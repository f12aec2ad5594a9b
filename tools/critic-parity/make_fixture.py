"""Build the LLaVA-OneVision parity fixture for the C# critic (tests/NpEdit.Trainer.Tests/Fixtures/critic-parity/).

Run on a machine with transformers 5.x, torch and safetensors (no weights or internet needed):

    python tools/critic-parity/make_fixture.py --out tests/NpEdit.Trainer.Tests/Fixtures/critic-parity

It builds a tiny randomly initialised LlavaOnevisionForConditionalGeneration (2 SigLIP layers, 2 Qwen2 layers,
grouped-query attention, untied head, a 320-token vocabulary with <image> = 300), perturbs every parameter so
norms and biases are not at their trivial initial values, and writes:

    config.json, model.safetensors   save_pretrained (transformers' own key layout)
    inputs.safetensors               input_ids (2, L) int64, pixel_values (4, 3, 28, 28) float32, logits (2, L, V) float32
    intermediates.safetensors        projector output per image, the spliced image features and every decoder
                                     hidden state (text_hidden_0 = the embeddings, the last after the final norm)
    provenance.json                  library versions and the command

Both rows are two-image prompts (the multi-image path NP-Edit's questions use: 16 patch tokens + 1 newline per image),
of equal length so no padding is involved. The C# test (CriticParityFacts) loads config.json + model.safetensors
with HfLlavaOnevisionLoader and requires max |logits_C# - logits_HF| <= 1e-4 in fp32.
"""
import argparse
import json
import os
import sys

import torch
import transformers
from safetensors.torch import save_file
from transformers import LlavaOnevisionConfig, LlavaOnevisionForConditionalGeneration

VOCAB = 320
IMAGE_TOKEN = 300
PATCHES = 16  # (28 / 7)^2


def build_model():
    torch.manual_seed(0)
    text = dict(model_type="qwen2", vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-6, max_position_embeddings=512,
                rope_theta=10000.0, rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                tie_word_embeddings=False)
    vision = dict(model_type="siglip_vision_model", hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                  num_attention_heads=4, image_size=28, patch_size=7, layer_norm_eps=1e-6)
    config = LlavaOnevisionConfig(text_config=text, vision_config=vision, image_token_id=IMAGE_TOKEN,
                                  image_token_index=IMAGE_TOKEN, vision_feature_layer=-1,
                                  vision_feature_select_strategy="full", projector_hidden_act="gelu",
                                  multimodal_projector_bias=True, tie_word_embeddings=False,
                                  image_grid_pinpoints=[[28, 28]])
    model = LlavaOnevisionForConditionalGeneration(config).eval().float()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model


def build_inputs():
    g = torch.Generator().manual_seed(1)
    image = [IMAGE_TOKEN] * (PATCHES + 1)
    rows = []
    for r in range(2):
        prefix = torch.randint(0, 290, (3,), generator=g).tolist()
        suffix = torch.randint(0, 290, (6,), generator=g).tolist()
        rows.append(prefix + image + image + suffix)
    input_ids = torch.tensor(rows, dtype=torch.long)
    # Already-normalised pixels: with SigLIP's mean = std = 0.5 these equal images in [-1, 1].
    pixel_values = torch.rand(4, 3, 28, 28, generator=g) * 2 - 1
    return input_ids, pixel_values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    model = build_model()
    input_ids, pixel_values = build_inputs()
    # Intermediates, so a mismatch can be located on a machine without transformers: the vision tower's
    # last hidden state and the projector's output are captured by hooks (stable across transformers versions).
    captured = {}

    def keep(name):
        def hook(_module, _inputs, output):
            tensor = output if torch.is_tensor(output) else output[0]
            captured[name] = tensor.detach().float().contiguous()
        return hook

    model.model.multi_modal_projector.register_forward_hook(keep("projected"))
    with torch.no_grad():
        out = model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                    pixel_values=pixel_values.unsqueeze(1),            # (images, patches=1, 3, H, W)
                    image_sizes=torch.tensor([[28, 28]] * 4),
                    batch_num_images=torch.tensor([2, 2]),             # multi-image path: no anyres tiling
                    output_hidden_states=True)
    logits = out.logits.float().contiguous()
    extras = {f"text_hidden_{i}": h.float().contiguous() for i, h in enumerate(out.hidden_states or [])}
    if out.image_hidden_states is not None:
        extras["image_hidden_states"] = out.image_hidden_states.float().contiguous()
    extras.update(captured)

    model.save_pretrained(args.out, safe_serialization=True)
    save_file({"input_ids": input_ids.contiguous(), "pixel_values": pixel_values.contiguous(), "logits": logits},
              os.path.join(args.out, "inputs.safetensors"))
    save_file(extras, os.path.join(args.out, "intermediates.safetensors"))
    with open(os.path.join(args.out, "provenance.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__,
                   "command": " ".join(sys.argv),
                   "intermediates": {k: list(v.shape) for k, v in extras.items()}}, f, indent=2)
    size = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {args.out}: logits {tuple(logits.shape)}, {size / 1e6:.2f} MB")
    assert size < 5e6, "fixture must stay under 5 MB"


if __name__ == "__main__":
    main()
