using System.Text.Json.Nodes;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Loads a Hugging Face LLaVA-OneVision folder: <c>config.json</c> (+ <c>preprocessor_config.json</c> for
/// mean/std), <c>tokenizer.json</c>, and the weights as <c>model.safetensors</c> or shards listed by
/// <c>model.safetensors.index.json</c>. Shards are read one at a time (PyBridge reads each fully into RAM),
/// renamed by <see cref="HfLlavaOnevisionKeys"/> and copied into the model, bf16 → model dtype.
/// </summary>
public static class HfLlavaOnevisionLoader
{
    /// <summary>Model, tokenizer and config; every model tensor must be found in the checkpoint.</summary>
    public static (LlavaOnevisionModel Model, ICriticTokenizer Tokenizer, CriticConfig Config) Load(string folder, Device? device = null)
    {
        var config = ReadConfig(folder);
        var tokenizer = CriticCheckpoint.CreateTokenizer(config, folder);
        var model = new LlavaOnevisionModel(config.Model);
        LoadWeights(model, folder);
        if (device is not null)
            model.to(device);
        return (model, tokenizer, config);
    }

    /// <summary>Copies the folder's weights into <paramref name="model"/>, shard by shard; throws if any model tensor is missing.</summary>
    public static void LoadWeights(LlavaOnevisionModel model, string folder)
    {
        var expected = model.state_dict().Keys.ToHashSet();
        var loaded = new HashSet<string>();
        foreach (var shard in ShardFiles(folder))
        {
            var state = Safetensors.LoadStateDict(shard);
            try
            {
                var renamed = new Dictionary<string, Tensor>();
                foreach (var (hfKey, value) in state)
                {
                    var key = HfLlavaOnevisionKeys.Map(hfKey);
                    if (key is null || (key == "lm_head.weight" && model.Config.TextConfig.TieWordEmbeddings))
                        continue;                                   // unused tensor, or a tied head saved anyway
                    if (!expected.Contains(key))
                        throw new InvalidDataException($"{shard}: tensor '{hfKey}' has no place in a model with this config.json.");
                    renamed[key] = value;
                }
                model.load_state_dict(renamed, strict: false);     // copies under no_grad, converting dtype
                loaded.UnionWith(renamed.Keys);
            }
            finally
            {
                foreach (var tensor in state.Values)
                    tensor.Dispose();
            }
        }
        var missing = expected.Except(loaded).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{folder} lacks {missing.Length} tensor(s) of the model, e.g. {string.Join(", ", missing.Take(5))}.");
    }

    /// <summary>The critic config of an HF folder: config.json's fields, the processor's mean/std, Yes/No ids from the tokenizer.</summary>
    public static CriticConfig ReadConfig(string folder)
    {
        var model = ReadModelConfig(folder);
        var tokenizerFile = "tokenizer.json";
        var tokenizer = Qwen2Tokenizer.FromFile(Path.Combine(folder, tokenizerFile));
        return new CriticConfig
        {
            Name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)),
            Model = model,
            TokenizerKind = "qwen2",
            TokenizerFile = tokenizerFile,
            YesTokenId = tokenizer.TokenId("Yes"),
            NoTokenId = tokenizer.TokenId("No"),
            TurnSeparator = TurnSeparatorOf(folder),
        }.Validate();
    }

    /// <summary>The model config of an HF folder: config.json's fields (HF defaults where absent) and the processor's mean/std.</summary>
    public static LlavaOnevisionConfig ReadModelConfig(string folder)
    {
        var root = ReadJson(Path.Combine(folder, "config.json"), required: true)!;
        var text = root["text_config"] ?? new JsonObject();
        var vision = root["vision_config"] ?? new JsonObject();
        if (root["vision_feature_layer"] is JsonArray)
            throw new InvalidDataException("config.json: a list of vision_feature_layer values is not supported; LLaVA-OneVision uses one layer.");
        var preprocessor = ReadJson(Path.Combine(folder, "preprocessor_config.json"), required: false);
        var model = new LlavaOnevisionConfig
        {
            // Missing sub-config fields fall back to HF's LlavaOnevisionConfig defaults (so400m tower, Qwen2 0.5B-like decoder).
            VisionConfig = new SiglipVisionConfig
            {
                HiddenSize = Int(vision, "hidden_size", 1152),
                IntermediateSize = Int(vision, "intermediate_size", 4304),
                NumHiddenLayers = Int(vision, "num_hidden_layers", 26),
                NumAttentionHeads = Int(vision, "num_attention_heads", 16),
                NumChannels = Int(vision, "num_channels", 3),
                ImageSize = Int(vision, "image_size", 384),
                PatchSize = Int(vision, "patch_size", 14),
                LayerNormEps = Double(vision, "layer_norm_eps", 1e-6),
            },
            TextConfig = new Qwen2TextConfig
            {
                VocabSize = Int(text, "vocab_size", 151936),
                HiddenSize = Int(text, "hidden_size", 4096),
                IntermediateSize = Int(text, "intermediate_size", 22016),
                NumHiddenLayers = Int(text, "num_hidden_layers", 32),
                NumAttentionHeads = Int(text, "num_attention_heads", 32),
                NumKeyValueHeads = Int(text, "num_key_value_heads", Int(text, "num_attention_heads", 32)),
                RmsNormEps = Double(text, "rms_norm_eps", 1e-6),
                // transformers 5.x moved θ into rope_parameters.
                RopeTheta = Double(text["rope_parameters"] ?? new JsonObject(), "rope_theta", Double(text, "rope_theta", 10000.0)),
                TieWordEmbeddings = Bool(text, "tie_word_embeddings", Bool(root, "tie_word_embeddings", false)),
            },
            ImageTokenIndex = Int(root, "image_token_id", Int(root, "image_token_index", 151646)),
            ProjectorHiddenAct = (string?)root["projector_hidden_act"] ?? "gelu",
            MultimodalProjectorBias = Bool(root, "multimodal_projector_bias", true),
            VisionFeatureLayer = Int(root, "vision_feature_layer", -1),
            VisionFeatureSelectStrategy = (string?)root["vision_feature_select_strategy"] ?? "full",
            ImageMean = Doubles(preprocessor, "image_mean") ?? [0.5, 0.5, 0.5],
            ImageStd = Doubles(preprocessor, "image_std") ?? [0.5, 0.5, 0.5],
        };
        return model.Validate();
    }

    /// <summary>The shard files in index order, or the single weights file.</summary>
    public static IReadOnlyList<string> ShardFiles(string folder)
    {
        var index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(index))
        {
            var map = ReadJson(index, required: true)!["weight_map"]?.AsObject()
                ?? throw new InvalidDataException($"{index} has no weight_map.");
            return map.Select(kv => Path.Combine(folder, (string)kv.Value!)).Distinct().ToArray();
        }
        var single = Path.Combine(folder, "model.safetensors");
        return File.Exists(single) ? [single]
            : throw new FileNotFoundException($"{folder} has neither model.safetensors nor model.safetensors.index.json.");
    }

    /// <summary>The hub template ends turns with "&lt;|im_end|&gt;\n"; an explicit template file without it wins.</summary>
    static string TurnSeparatorOf(string folder)
    {
        var template = (string?)ReadJson(Path.Combine(folder, "chat_template.json"), required: false)?["chat_template"]
                       ?? (string?)ReadJson(Path.Combine(folder, "tokenizer_config.json"), required: false)?["chat_template"];
        return template is not null && template.Contains("'<|im_end|>'", StringComparison.Ordinal) ? "" : "\n";
    }

    static JsonNode? ReadJson(string path, bool required)
    {
        if (!File.Exists(path))
            return required ? throw new FileNotFoundException($"{path} not found; is this a Hugging Face LLaVA-OneVision folder?", path) : null;
        return JsonNode.Parse(File.ReadAllText(path));
    }

    static int Int(JsonNode node, string name, int fallback) => node[name] is { } v ? (int)v : fallback;

    static double Double(JsonNode node, string name, double fallback) => node[name] is { } v ? (double)v : fallback;

    static bool Bool(JsonNode node, string name, bool fallback) => node[name] is { } v ? (bool)v : fallback;

    static double[]? Doubles(JsonNode? node, string name) => node?[name] is JsonArray a ? a.Select(v => (double)v!).ToArray() : null;
}
