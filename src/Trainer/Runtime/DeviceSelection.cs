using TorchSharp;

namespace NpEdit.Trainer.Runtime;

/// <summary>The device <see cref="TorchRuntime.Initialize"/> chose for a <see cref="DeviceSpec"/>, and why.</summary>
/// <param name="Requested">What was asked for (<c>--device</c>).</param>
/// <param name="Device">The torch device to put models and tensors on.</param>
/// <param name="Reason">One line for logs and <c>npedit doctor</c>, e.g. why <c>auto</c> fell back to the CPU.</param>
public sealed record DeviceSelection(DeviceSpec Requested, torch.Device Device, string Reason);
