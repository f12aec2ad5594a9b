using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Critic;

public sealed class CriticCheckpointFacts : IDisposable
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("npedit-critic-");

    public CriticCheckpointFacts() => TorchTestEnvironment.Initialize(seed: 3);

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void SaveThenLoad_GivesAFrozenCriticWithTheSameAnswers()
    {
        using var scope = NewDisposeScope();
        var config = TinyCritics.Config(tied: false);
        var model = new LlavaOnevisionModel(config.Model);
        var path = Path.Combine(folder.FullName, "critic.safetensors");
        CriticCheckpoint.Save(path, model, config with { Step = 7 });
        var images = rand(2, 3, 16, 16) * 2 - 1;
        string[] questions = ["is there a red circle", "is the second image the same"];
        Tensor before;
        using (no_grad())
            before = new LlavaOnevisionCritic(model, TinyCritics.Tokenizer, config).AnswerLogits(images, images.flip(3), questions);

        using var critic = CriticCheckpoint.Load(path);
        Tensor after;
        using (no_grad())
            after = critic.AnswerLogits(images, images.flip(3), questions);

        Assert.True(after.allclose(before, atol: 1e-6));
        Assert.Equal(config.YesTokenId, critic.YesTokenId);
        Assert.Equal(7, CriticCheckpoint.ReadConfig(path).Step);
        Assert.Contains("\"image_token_index\"", File.ReadAllText(CriticCheckpoint.ConfigPath(path)));
        Assert.All(critic.Module.parameters(), p => Assert.False(p.requires_grad));
    }

    /// <summary>
    /// A critic trained with the question first must be asked that way by whoever loads it (NP-Edit's critic loss,
    /// the evaluator, <c>npedit critic ask</c>), so the layout travels in the checkpoint's config; a config written
    /// before the layout existed is read as HF's images-first layout.
    /// </summary>
    [Fact]
    public void PromptLayout_IsStoredWithTheCheckpoint_AndOldConfigsReadAsImagesFirst()
    {
        using var scope = NewDisposeScope();
        var config = TinyCritics.Config() with { PromptLayout = CriticPromptLayout.QuestionFirst };
        var model = new LlavaOnevisionModel(config.Model);
        var path = Path.Combine(folder.FullName, "question-first.safetensors");
        CriticCheckpoint.Save(path, model, config);
        var images = rand(2, 3, 16, 16) * 2 - 1;
        string[] questions = ["is there a red circle", "is there a blue square"];
        Tensor asTrained, imagesFirst;
        using (no_grad())
        {
            asTrained = new LlavaOnevisionCritic(model, TinyCritics.Tokenizer, config).AnswerLogits(images, images.flip(3), questions);
            imagesFirst = new LlavaOnevisionCritic(model, TinyCritics.Tokenizer, config with { PromptLayout = CriticPromptLayout.ImagesFirst })
                .AnswerLogits(images, images.flip(3), questions);
        }

        using var critic = (LlavaOnevisionCritic)CriticCheckpoint.Load(path);
        Tensor loaded;
        using (no_grad())
            loaded = critic.AnswerLogits(images, images.flip(3), questions);

        Assert.Equal(CriticPromptLayout.QuestionFirst, critic.Config.PromptLayout);
        Assert.Contains("\"prompt_layout\": \"question_first\"", File.ReadAllText(CriticCheckpoint.ConfigPath(path)));
        Assert.True(loaded.allclose(asTrained, atol: 1e-6));
        Assert.False(loaded.allclose(imagesFirst, atol: 1e-3));

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(CriticCheckpoint.ConfigPath(path)))!.AsObject();
        json.Remove("prompt_layout");
        File.WriteAllText(CriticCheckpoint.ConfigPath(path), json.ToJsonString());
        Assert.Equal(CriticPromptLayout.ImagesFirst, CriticCheckpoint.ReadConfig(path).PromptLayout);
    }

    [Fact]
    public void Load_ExplainsAMissingFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => CriticCheckpoint.Load(Path.Combine(folder.FullName, "none.safetensors")));
        Assert.Contains("npedit pretrain critic", ex.Message);
    }

    [Theory]
    [InlineData("model.vision_tower.vision_model.encoder.layers.1.self_attn.q_proj.weight", "vision_tower.encoder.layers.1.self_attn.q_proj.weight")]
    [InlineData("vision_tower.vision_model.embeddings.patch_embedding.bias", "vision_tower.embeddings.patch_embedding.bias")]
    [InlineData("model.language_model.layers.0.mlp.gate_proj.weight", "language_model.layers.0.mlp.gate_proj.weight")]
    [InlineData("language_model.model.embed_tokens.weight", "language_model.embed_tokens.weight")]
    [InlineData("language_model.lm_head.weight", "lm_head.weight")]
    [InlineData("lm_head.weight", "lm_head.weight")]
    [InlineData("model.multi_modal_projector.linear_2.bias", "multi_modal_projector.linear_2.bias")]
    [InlineData("model.image_newline", "image_newline")]
    [InlineData("image_newline", "image_newline")]
    [InlineData("model.vision_tower.vision_model.post_layernorm.weight", null)]
    [InlineData("vision_tower.vision_model.head.mlp.fc1.weight", null)]
    public void HfKeyMap_CoversBothLayouts(string hfKey, string? expected) =>
        Assert.Equal(expected, HfLlavaOnevisionKeys.Map(hfKey));

    [Fact]
    public void HfKeyMap_RejectsUnknownKeys() =>
        Assert.Throws<InvalidDataException>(() => HfLlavaOnevisionKeys.Map("model.something_new.weight"));

    [Fact]
    public void HfFolder_WithShardedBf16Weights_LoadsIntoAnFp32Model()
    {
        using var scope = NewDisposeScope();
        // The fixture tokenizer has 274 ids; <image> is 273.
        var config = TinyCritics.Config(tied: false) is var c ? c with { Model = c.Model with { TextConfig = c.Model.TextConfig with { VocabSize = 274 }, ImageTokenIndex = 273 } } : null!;
        var source = new LlavaOnevisionModel(config.Model);
        var hf = source.state_dict().ToDictionary(kv => ToHfKey(kv.Key), kv => kv.Value.detach().to(bfloat16));
        hf["model.vision_tower.vision_model.post_layernorm.weight"] = ones(24, dtype: bfloat16);
        var keys = hf.Keys.Order(StringComparer.Ordinal).ToArray();
        var shards = new[] { keys[..(keys.Length / 2)], keys[(keys.Length / 2)..] };
        for (var i = 0; i < 2; i++)
            using (var stream = File.Create(Path.Combine(folder.FullName, $"model-0000{i + 1}-of-00002.safetensors")))
                Safetensors.SaveStateDict(stream, shards[i].ToDictionary(k => k, k => hf[k]));
        File.WriteAllText(Path.Combine(folder.FullName, "model.safetensors.index.json"),
            System.Text.Json.JsonSerializer.Serialize(new { weight_map = keys.ToDictionary(k => k, k => Array.IndexOf(shards[0], k) >= 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors") }));
        WriteHfConfig(config.Model);
        File.Copy(Fixtures.Path("tokenizer", "tokenizer.json"), Path.Combine(folder.FullName, "tokenizer.json"));

        var (model, _, loaded) = HfLlavaOnevisionLoader.Load(folder.FullName);

        Assert.Equal(config.Model.TextConfig, loaded.Model.TextConfig);
        Assert.Equal(config.Model.VisionConfig, loaded.Model.VisionConfig);
        Assert.Equal((257, 258), (loaded.YesTokenId, loaded.NoTokenId));
        var expected = source.state_dict();
        foreach (var (key, value) in model.state_dict())
        {
            Assert.Equal(float32, value.dtype);
            Assert.True(value.allclose(expected[key].to(bfloat16).to(float32)), key);
        }
    }

    static string ToHfKey(string key) => key switch
    {
        _ when key.StartsWith("vision_tower.") => "model.vision_tower.vision_model." + key["vision_tower.".Length..],
        "lm_head.weight" => key,
        _ => "model." + key,
    };

    void WriteHfConfig(LlavaOnevisionConfig c) => File.WriteAllText(Path.Combine(folder.FullName, "config.json"), $$"""
        {
          "model_type": "llava_onevision",
          "image_token_id": {{c.ImageTokenIndex}},
          "projector_hidden_act": "gelu",
          "vision_feature_layer": -1,
          "vision_feature_select_strategy": "full",
          "text_config": { "model_type": "qwen2", "vocab_size": {{c.TextConfig.VocabSize}}, "hidden_size": 32, "intermediate_size": 64,
                           "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6,
                           "rope_parameters": { "rope_type": "default", "rope_theta": 10000.0 }, "tie_word_embeddings": false },
          "vision_config": { "model_type": "siglip_vision_model", "hidden_size": 24, "intermediate_size": 48, "num_hidden_layers": 2,
                             "num_attention_heads": 2, "image_size": 16, "patch_size": 4, "layer_norm_eps": 1e-6 }
        }
        """);
}
