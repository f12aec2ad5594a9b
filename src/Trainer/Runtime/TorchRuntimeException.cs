namespace NpEdit.Trainer.Runtime;

/// <summary>
/// The TorchSharp runtime could not be set up (natives, libtorch override, device). The message says
/// what went wrong and what to do about it, so the CLI can print it as is.
/// </summary>
public sealed class TorchRuntimeException : Exception
{
    public TorchRuntimeException(string message) : base(message) { }

    public TorchRuntimeException(string message, Exception inner) : base(message, inner) { }
}
