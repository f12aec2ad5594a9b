using System.Text.Json.Nodes;
using NpEdit.Core.Tracking;

namespace NpEdit.Core.Config;

/// <summary>A config after defaults, file overrides and command-line overrides, with its canonical JSON and hash.</summary>
/// <param name="Value">The typed record tree.</param>
/// <param name="Json">The same values as JSON (snake_case keys), stored in checkpoints and in <c>npedit.runs.config</c>.</param>
public sealed record ResolvedConfig<T>(T Value, JsonObject Json)
{
    /// <summary>sha256 of the canonical JSON; equal configs hash equally whatever the key order or number spelling.</summary>
    public string Hash => CanonicalJson.Hash(Json);
}
