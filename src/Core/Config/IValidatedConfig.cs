namespace NpEdit.Core.Config;

/// <summary>A config record that checks combinations a type system cannot (e.g. steps in {1, 2, 4, 8}).</summary>
public interface IValidatedConfig
{
    /// <summary>Messages for every problem, each naming its dotted key; empty when the config is valid.</summary>
    IEnumerable<string> Validate();
}
