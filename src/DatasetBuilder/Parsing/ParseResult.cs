namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>A parsed reply, or why it could not be read. Parsers never fill a value the reply did not state.</summary>
public sealed record ParseResult<T>(T? Value, string? Error) where T : class
{
    public bool Ok => Value is not null;

    public static ParseResult<T> Success(T value) => new(value, null);

    public static ParseResult<T> Reject(string error) => new(null, error);
}
