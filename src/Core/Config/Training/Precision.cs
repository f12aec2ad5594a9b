namespace NpEdit.Core.Config.Training;

/// <summary>Numeric precision of the trainer's networks.</summary>
public enum Precision
{
    /// <summary>Everything in fp32.</summary>
    Fp32,

    /// <summary>
    /// bf16 compute with fp32 master weights (TorchSharp has no autocast): G_θ and A_φ run as bf16 copies whose
    /// gradients are upcast into fp32 masters that Adam updates and copies back; the frozen teacher is bf16 only.
    /// Inputs are cast to bf16 at each DiT call and outputs back to fp32, so losses stay fp32. For the GPU.
    /// </summary>
    Bf16,
}
