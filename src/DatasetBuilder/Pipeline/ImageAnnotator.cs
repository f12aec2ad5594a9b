using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Images;
using NpEdit.DatasetBuilder.Inputs;
using NpEdit.DatasetBuilder.Parsing;
using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// Runs the App. D pipelines on one prepared image. Local edits: (a) propose 4 instructions over the 10 types,
/// (b) check each for validity and get the edited caption c^x; keep the valid ones. Customization: (c) check for
/// one prominent central object and name it, (d) ask for three background captions, each becoming the App. E.2
/// generator prompt. A reply that cannot be parsed is recorded raw and contributes no row.
/// </summary>
public sealed class ImageAnnotator(VlmDispatcher vlm, PromptSet prompts, bool local, bool customization)
{
    public async Task<ImageOutcome> AnnotateAsync(InputImage input, PreparedImage image, DateTime createdAt, CancellationToken ct)
    {
        var outcome = new ImageOutcome();
        var pipelines = new List<Task>();
        if (local)
            pipelines.Add(LocalAsync(input, image, createdAt, outcome, ct));
        if (customization)
            pipelines.Add(CustomizationAsync(input, image, createdAt, outcome, ct));
        await Task.WhenAll(pipelines);
        return outcome;
    }

    private async Task LocalAsync(InputImage input, PreparedImage image, DateTime createdAt, ImageOutcome outcome, CancellationToken ct)
    {
        var reply = await CallAsync(input, prompts.InstructionGeneration(image), outcome, ct);
        if (reply is null)
            return;
        var proposal = InstructionListParser.Parse(reply.Text);
        if (!proposal.Ok)
        {
            Reject(outcome, input, PromptSet.InstructionGenerationName, proposal.Error!, reply.Text);
            return;
        }
        var checks = proposal.Value!.Items.Select(async item =>
        {
            var check = await CallAsync(input, prompts.Validity(image, item), outcome, ct);
            return (item, check);
        }).ToList();
        // Rows keep the proposal's order, whatever order the checks finish in.
        var rows = new List<EditSample>();
        foreach (var (item, check) in await Task.WhenAll(checks))
        {
            if (check is null)
                continue;
            var verdict = ValidityParser.Parse(check.Text);
            if (!verdict.Ok)
            {
                Reject(outcome, input, PromptSet.ValidityName, $"{verdict.Error} (instruction '{item.Instruction}')", check.Text);
                continue;
            }
            if (!verdict.Value!.Valid)
            {
                lock (outcome)
                    outcome.InvalidInstructions++;
                continue;
            }
            rows.Add(Row(input, image, createdAt, item.Instruction, item.EditType, verdict.Value.EditedCaption,
                item.EditType == EditType.Remove ? RemovedObject.FromInstruction(item.Instruction) : "",
                EditTask.Local, verdict.Value.Reasoning));
        }
        lock (outcome)
            outcome.Rows.InsertRange(0, rows);
    }

    private async Task CustomizationAsync(InputImage input, PreparedImage image, DateTime createdAt, ImageOutcome outcome, CancellationToken ct)
    {
        var reply = await CallAsync(input, prompts.ProminentObject(image), outcome, ct);
        if (reply is null)
            return;
        var verdict = ProminentObjectParser.Parse(reply.Text);
        if (!verdict.Ok)
        {
            Reject(outcome, input, PromptSet.ProminentObjectName, verdict.Error!, reply.Text);
            return;
        }
        if (!verdict.Value!.Prominent)
        {
            outcome.NotProminent = true;
            return;
        }
        var objectName = verdict.Value.ObjectName;
        var backgrounds = await CallAsync(input, prompts.Backgrounds(image, objectName), outcome, ct);
        if (backgrounds is null)
            return;
        var captions = BackgroundListParser.Parse(backgrounds.Text);
        if (!captions.Ok)
        {
            Reject(outcome, input, PromptSet.BackgroundsName, captions.Error!, backgrounds.Text);
            return;
        }
        var rows = captions.Value!.Select(background => Row(input, image, createdAt, PromptSet.CustomizationInstruction(background),
            EditType.Customization, $"{objectName} {background}", objectName, EditTask.Customization, verdict.Value.Reasoning)).ToList();
        lock (outcome)
            outcome.Rows.AddRange(rows);
    }

    /// <summary>The reply, or null after recording a request the server refused; transient failures propagate (the unit fails and is retried).</summary>
    private async Task<VlmReply?> CallAsync(InputImage input, VlmRequest request, ImageOutcome outcome, CancellationToken ct)
    {
        try
        {
            var reply = await vlm.CompleteAsync(request, ct);
            lock (outcome)
                outcome.Calls.Add(VlmCallRecord.From(request.Prompt, reply));
            return reply;
        }
        catch (VlmCallException e) when (!e.Transient)
        {
            lock (outcome)
            {
                outcome.Calls.Add(VlmCallRecord.From(request.Prompt, e));
                outcome.Rejects.Add(new ParseReject(input.SourceId, request.Prompt, $"request refused: {e.Message}", ""));
            }
            return null;
        }
    }

    private static void Reject(ImageOutcome outcome, InputImage input, string prompt, string reason, string raw)
    {
        lock (outcome)
            outcome.Rejects.Add(new ParseReject(input.SourceId, prompt, reason, raw));
    }

    private EditSample Row(InputImage input, PreparedImage image, DateTime createdAt, string instruction, string editType,
        string editedCaption, string objectName, string task, string reasoning) => new()
    {
        Id = RowIds.Id(image.Sha256, instruction),
        SourceId = input.SourceId,
        SourceImage = new HfImage { Bytes = image.Png, Path = $"{image.Sha256[..16]}.png" },
        SourceSha256 = image.Sha256,
        SourceCaption = input.Caption,
        Instruction = instruction,
        EditType = editType,
        EditedCaption = editedCaption,
        ObjectName = objectName,
        Task = task,
        ValidityReasoning = reasoning,
        Model = vlm.Model,
        PromptVersion = PromptSet.Version,
        CreatedAt = createdAt,
    };
}
