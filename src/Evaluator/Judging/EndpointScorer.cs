using NpEdit.Core.Prompts;
using NpEdit.DatasetBuilder.Vlm;
using NpEdit.Evaluator.Imaging;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// Asks one scoring prompt through the <see cref="VlmDispatcher"/> (which owns HTTP retries and the reply
/// cache) and reads the score list. An unreadable reply is asked again with a new seed, up to
/// <see cref="EndpointJudgeOptions.ParseAttempts"/> times, then reported as a failure with every raw reply kept.
/// A request the endpoint refuses for good (after the dispatcher's retries) is a failure of this item; an
/// endpoint that cannot be reached at all stops the run (<see cref="VlmCallException"/> of kind Network).
/// </summary>
public sealed class EndpointScorer(VlmDispatcher dispatcher, EndpointJudgeOptions options)
{
    public string Model => dispatcher.Model;

    public sealed record Result(double[]? Scores, IReadOnlyList<JudgeCall> Calls, string? Failure);

    public async Task<Result> AskAsync(PromptTemplate prompt, IReadOnlyDictionary<string, string> values, IReadOnlyList<byte[]> images,
        int count, double min, double max, int sample, CancellationToken ct)
    {
        var user = prompt.FillUser(values);
        var attached = images.Select(i => new VlmImage(i, ImageBytes.MediaType(i))).ToArray();
        var calls = new List<JudgeCall>();
        for (var attempt = 0; attempt < options.ParseAttempts; attempt++)
        {
            var request = new VlmRequest(prompt.Name, prompt.System, user, attached)
            {
                Temperature = options.Temperature,
                Seed = options.Seed + 1009L * sample + attempt,
                MaxOutputTokens = options.MaxOutputTokens,
            };
            VlmReply reply;
            try
            {
                reply = await dispatcher.CompleteAsync(request, ct);
            }
            catch (VlmCallException e) when (e.Kind != VlmFailureKind.Network)
            {
                calls.Add(new JudgeCall(prompt.Name, "", false, 0, 0, 0, e.Attempts));
                return new Result(null, calls, $"{prompt.Name}: {e.Message}");
            }
            var scores = ScoreReplyParser.Parse(reply.Text, count, min, max);
            calls.Add(new JudgeCall(prompt.Name, reply.Text, scores is not null, reply.LatencyMs, reply.InputTokens, reply.OutputTokens, reply.Attempts));
            if (scores is not null)
                return new Result(scores, calls, null);
        }
        return new Result(null, calls,
            $"{prompt.Name}: no readable list of {count} scores in [{min}, {max}] after {options.ParseAttempts} replies");
    }
}
