namespace NpEdit.Core.Vlm;

/// <summary>
/// An OpenAI-compatible chat endpoint (vLLM, SGLang, Azure OpenAI, the ShapesWorld annotator).
/// Configured by <c>NPEDIT_VLM_ENDPOINTS</c>: a comma-separated list of <c>model@baseUrl</c>, e.g.
/// <c>Qwen/Qwen2.5-VL-32B-Instruct@http://gpu1:8000/v1,Qwen/Qwen2.5-VL-32B-Instruct@http://gpu2:8000/v1</c>.
/// The API key is read from <c>NPEDIT_VLM_API_KEY</c> (servers without auth accept any key).
/// </summary>
public sealed record VlmEndpoint(string Model, Uri BaseUrl)
{
    public const string EndpointsVariable = "NPEDIT_VLM_ENDPOINTS";
    public const string ApiKeyVariable = "NPEDIT_VLM_API_KEY";

    public static IReadOnlyList<VlmEndpoint> FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(EndpointsVariable));

    /// <exception cref="FormatException">An entry is not <c>model@http(s)://host[:port]/path</c>.</exception>
    public static IReadOnlyList<VlmEndpoint> Parse(string? text)
    {
        var list = new List<VlmEndpoint>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.LastIndexOf('@');
            if (at <= 0 || !Uri.TryCreate(entry[(at + 1)..], UriKind.Absolute, out var url) ||
                (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                throw new FormatException(
                    $"{EndpointsVariable} entry '{entry}' is not 'model@http(s)://host:port/v1' " +
                    "(e.g. 'Qwen/Qwen2.5-VL-7B-Instruct@http://127.0.0.1:8000/v1').");
            list.Add(new VlmEndpoint(entry[..at], url));
        }
        return list;
    }
}
