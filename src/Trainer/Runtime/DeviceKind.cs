namespace NpEdit.Trainer.Runtime;

/// <summary>The device family asked for on the command line (<c>--device</c>).</summary>
public enum DeviceKind
{
    /// <summary>CUDA when it initializes, otherwise the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>One CUDA device, by index.</summary>
    Cuda,
}
