namespace NpEdit.Core.Config;

/// <summary>A config file or override the user must fix; the message names the key and the fix.</summary>
public sealed class ConfigException(string message) : Exception(message);
