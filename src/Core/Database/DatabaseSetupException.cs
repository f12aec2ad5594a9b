namespace NpEdit.Core.Database;

/// <summary>A database problem the user can fix; the message says how.</summary>
public sealed class DatabaseSetupException(string message, Exception? inner = null) : Exception(message, inner);
