using System.Net;
using System.Text;
using System.Text.Json;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;

namespace NpEdit.ShapesWorld.Tests;

public class FaultInjectorFacts
{
    [Fact]
    public void Parse_ReadsEveryKind_WhenCliSpecIsGiven()
    {
        var f = FaultOptions.Parse("429:0.05,500:0.02,timeout:0.01,garbage:0.03");
        Assert.Equal((0.05, 0.02, 0.01, 0.03), (f.TooManyRequestsRate, f.ServerErrorRate, f.TimeoutRate, f.GarbageRate));
    }

    [Theory]
    [InlineData("429=0.1")]
    [InlineData("503:0.1")]
    [InlineData("429:1.5")]
    [InlineData("429:0.6,500:0.6")]
    public void Parse_ThrowsHelpfulMessage_WhenSpecIsBad(string spec)
    {
        var ex = Assert.Throws<FormatException>(() => FaultOptions.Parse(spec));
        Assert.Matches("KIND:RATE|use 429|add up", ex.Message);
    }

    [Fact]
    public void Next_DrawsLatencyWithinJitter_WhenLatencyIsSet()
    {
        var injector = new FaultInjector(FaultOptions.None, 200, 50, 7);
        var delays = Enumerable.Range(0, 500).Select(_ => injector.Next().Delay.TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 150, 250));
        Assert.InRange(delays.Average(), 190, 210);
    }

    [Fact]
    public async Task Server_InjectsFaultsAtConfiguredRates_WhenCalledOverHttp()
    {
        var faults = new FaultOptions { TooManyRequestsRate = 0.1, ServerErrorRate = 0.05, TimeoutRate = 0.03, GarbageRate = 0.1, TimeoutHang = TimeSpan.FromMilliseconds(20) };
        await using var server = await AnnotatorServer.StartAsync(new AnnotatorOptions(new SceneRegistry()) { Faults = faults, Seed = 11 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        const string body = """{"model":"m","messages":[{"role":"user","content":"hello"}]}""";
        var counts = new Dictionary<FaultKind, int>();
        const int n = 600;
        for (int i = 0; i < n; i++)
        {
            FaultKind kind;
            try
            {
                using var resp = await http.PostAsync($"{server.BaseAddress}/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
                string text = await resp.Content.ReadAsStringAsync();
                kind = resp.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests => FaultKind.TooManyRequests,
                    HttpStatusCode.InternalServerError => FaultKind.ServerError,
                    HttpStatusCode.OK => IsJson(text) ? FaultKind.None : FaultKind.Garbage,
                    _ => throw new InvalidOperationException($"unexpected {resp.StatusCode}"),
                };
            }
            catch (HttpRequestException)
            {
                kind = FaultKind.Timeout;
            }
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        // ±4 binomial standard deviations.
        void Near(FaultKind k, double p) => Assert.InRange(counts.GetValueOrDefault(k), n * p - 4 * Math.Sqrt(n * p * (1 - p)), n * p + 4 * Math.Sqrt(n * p * (1 - p)));
        Near(FaultKind.TooManyRequests, 0.1);
        Near(FaultKind.ServerError, 0.05);
        Near(FaultKind.Timeout, 0.03);
        Near(FaultKind.Garbage, 0.1);
        Near(FaultKind.None, 0.72);
    }

    private static bool IsJson(string text)
    {
        try { JsonDocument.Parse(text).Dispose(); return true; }
        catch (JsonException) { return false; }
    }
}
