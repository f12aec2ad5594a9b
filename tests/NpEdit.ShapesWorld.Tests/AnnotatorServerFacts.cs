using System.ClientModel;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Edits;
using NpEdit.Core.Prompts;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using OpenAI;
using OpenAI.Chat;

namespace NpEdit.ShapesWorld.Tests;

public class AnnotatorServerFacts : IAsyncLifetime
{
    private const int Size = 64;
    private readonly SceneRegistry _registry = new();
    private readonly Dictionary<ulong, byte[]> _png = new();
    private AnnotatorServer _server = null!;
    private ChatClient _client = null!;

    private ulong ProminentSeed { get; set; }
    private ulong BusySeed { get; set; }

    public async Task InitializeAsync()
    {
        ProminentSeed = Enumerable.Range(0, 500).Select(i => (ulong)i).First(s => EditApplier.ProminentObject(SceneSampler.Sample(s)) is not null);
        BusySeed = Enumerable.Range(0, 500).Select(i => (ulong)i).First(s => SceneSampler.Sample(s) is { Objects.Count: >= 3, Sign: not null });
        foreach (var seed in new[] { ProminentSeed, BusySeed })
        {
            var scene = SceneSampler.Sample(seed);
            var rgb = Renderer.Render(scene, Size);
            _registry.Add(seed, Size, scene, rgb);
            _png[seed] = PngCodec.Encode(rgb, Size, Size);
        }
        _server = await AnnotatorServer.StartAsync(new AnnotatorOptions(_registry));
        _client = new ChatClient("shapesworld-annotator", new ApiKeyCredential("EMPTY"), new OpenAIClientOptions { Endpoint = _server.BaseAddress });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<ChatCompletion> AskAsync(PromptTemplate prompt, string user, params byte[][] images)
    {
        var parts = new List<ChatMessageContentPart> { ChatMessageContentPart.CreateTextPart(user) };
        parts.AddRange(images.Select(png => ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png")));
        var messages = new List<ChatMessage> { new SystemChatMessage(prompt.System), new UserChatMessage(parts) };
        return (await _client.CompleteChatAsync(messages)).Value;
    }

    private static string InstructionPrompt()
    {
        var examples = new Dictionary<string, string>();
        var names = new[] { "color", "texture", "adjust", "add", "remove", "replace", "bg", "style", "action", "text" };
        foreach (var (type, name) in EditTypeNames.Local.Zip(names))
        {
            var item = Enumerable.Range(900, 200).Select(s => EditPrograms.Create((ulong)s, type, 1)).First(i => i.IsValid);
            examples[$"{name}_example"] = $"\n- Instruction: {item.Instruction}\n- Type: {EditTypeNames.PaperName(type)}";
        }
        return PaperPrompts.InstructionGeneration.FillUser(examples);
    }

    [Fact]
    public async Task Models_ListsTheAnnotatorModel_WhenQueried()
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{_server.BaseAddress}/models"));
        Assert.Equal("shapesworld-annotator", doc.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task InstructionGeneration_ReturnsFourValidInstructionsOfDistinctTypes_WhenImageIsKnown()
    {
        var reply = await AskAsync(PaperPrompts.InstructionGeneration, InstructionPrompt(), _png[BusySeed]);
        string text = reply.Content[0].Text;
        var instructions = Regex.Matches(text, @"^- Instruction: (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var types = Regex.Matches(text, @"^- Type: (.+)$", RegexOptions.Multiline).Select(m => EditTypeNames.Parse(m.Groups[1].Value)!.Value).ToList();
        Assert.Equal(4, instructions.Count);
        Assert.Equal(4, types.Distinct().Count());
        var scene = SceneSampler.Sample(BusySeed);
        foreach (var (instruction, type) in instructions.Zip(types))
        {
            var spec = InstructionParser.Parse(type, instruction, scene);
            Assert.NotNull(spec);
            Assert.True(EditApplier.Apply(scene, spec).IsValid, instruction);
            Assert.DoesNotContain(" near ", instruction);
        }
    }

    [Fact]
    public async Task ValidityPrompt_AnswersValidWithCleanCaption_WhenInstructionApplies()
    {
        var item = Enumerable.Range(0, 50).Select(i => EditPrograms.Create(SceneSampler.Sample(BusySeed), BusySeed, EditType.Remove, (ulong)i)).First(i => i.IsValid);
        string user = PaperPrompts.ValidityAndCaption.FillUser(new Dictionary<string, string> { ["edit_type"] = "remove", ["edit_instruction"] = item.Instructions[1] });
        string text = (await AskAsync(PaperPrompts.ValidityAndCaption, user, _png[BusySeed])).Content[0].Text;

        var match = Regex.Match(text, @"^Validity: (.+)\n\nReasoning: (.+)\n\nEdited image Caption: (.+)$");
        Assert.True(match.Success, text);
        Assert.Equal("valid", match.Groups[1].Value);
        string caption = match.Groups[3].Value;
        Assert.DoesNotContain(((RemoveEdit)item.Spec).Object.Name, caption);
        Assert.False(Captioner.ContainsInstructionWord(caption), caption);
    }

    [Fact]
    public async Task ValidityPrompt_AnswersInvalidWithNa_WhenObjectIsAbsent()
    {
        var item = EditPrograms.Create(SceneSampler.Sample(BusySeed), BusySeed, EditType.Remove, 3, invalid: true);
        string user = PaperPrompts.ValidityAndCaption.FillUser(new Dictionary<string, string> { ["edit_type"] = "remove", ["edit_instruction"] = item.Instruction });
        string text = (await AskAsync(PaperPrompts.ValidityAndCaption, user, _png[BusySeed])).Content[0].Text;
        Assert.StartsWith("Validity: invalid\n\nReasoning: The edit instruction is invalid because it mentions", text);
        Assert.EndsWith("Edited image Caption: NA", text);
    }

    [Fact]
    public async Task ProminentObjectPrompt_JudgesTheSecondImage_WhenTwoImagesAreSent()
    {
        string user = PaperPrompts.ProminentObject.FillUser(new Dictionary<string, string>());
        string yes = (await AskAsync(PaperPrompts.ProminentObject, user, _png[BusySeed], _png[ProminentSeed])).Content[0].Text;
        string no = (await AskAsync(PaperPrompts.ProminentObject, user, _png[ProminentSeed], _png[BusySeed])).Content[0].Text;

        var main = SceneSampler.Sample(ProminentSeed).Objects[0];
        Assert.Matches(@"^Output: True\n\nReasoning: .+\n\nObject Name: .+$", yes);
        Assert.EndsWith($"Object Name: {Captioner.ObjectPhrase(main, withSize: false)}", yes);
        Assert.StartsWith("Output: False\n\nReasoning: The image shows", no);
    }

    [Fact]
    public async Task BackgroundPrompt_ReturnsThreeNumberedCaptionsWithoutTheObject_WhenObjectIsNamed()
    {
        string user = PaperPrompts.BackgroundSuggestions.FillUser(new Dictionary<string, string> { ["object_name"] = "striped red star" });
        string text = (await AskAsync(PaperPrompts.BackgroundSuggestions, user, _png[ProminentSeed])).Content[0].Text;
        var lines = text.Split('\n');
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < 3; i++) Assert.StartsWith($"{i + 1}. ", lines[i]);
        Assert.DoesNotContain("star ", text.Replace("starry", ""));
        Assert.Equal(3, lines.Distinct().Count());
    }

    [Fact]
    public async Task AnyPrompt_AnswersCannotTell_WhenImageIsUnknown()
    {
        var stranger = PngCodec.Encode(Renderer.Render(SceneSampler.Sample(123_456), Size), Size, Size);
        string user = PaperPrompts.ValidityAndCaption.FillUser(new Dictionary<string, string> { ["edit_type"] = "color", ["edit_instruction"] = "make the red circle blue" });
        string text = (await AskAsync(PaperPrompts.ValidityAndCaption, user, stranger)).Content[0].Text;
        Assert.StartsWith($"Validity: {AnnotatorResponder.CannotTell}", text);
        Assert.Contains("not a ShapesWorld image I recognise", text);
        Assert.EndsWith("NA", text);
    }

    [Fact]
    public async Task Usage_CountsImagePatchesAndText_WhenImagesAreSent()
    {
        string user = PaperPrompts.ProminentObject.FillUser(new Dictionary<string, string>());
        var one = await AskAsync(PaperPrompts.ProminentObject, user, _png[ProminentSeed]);
        var two = await AskAsync(PaperPrompts.ProminentObject, user, _png[BusySeed], _png[ProminentSeed]);
        int perImage = ((Size + 27) / 28) * ((Size + 27) / 28) + 2;
        Assert.Equal(perImage, two.Usage.InputTokenCount - one.Usage.InputTokenCount);
        Assert.True(one.Usage.InputTokenCount > user.Length / 5);
        Assert.Equal(one.Usage.InputTokenCount + one.Usage.OutputTokenCount, one.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StartAsync_ThrowsClearMessage_WhenPortIsTaken()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => AnnotatorServer.StartAsync(new AnnotatorOptions(_registry) { Port = _server.Port }));
        Assert.Contains($"Port {_server.Port}", ex.Message);
        Assert.Contains("--port", ex.Message);
    }
}
