using System.Runtime.InteropServices;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Reads a CUDA device's name through the CUDA runtime that libtorch_cuda already mapped
/// (TorchSharp 0.107 has no <c>torch.cuda.get_device_name</c>). <c>cudaDeviceProp.name</c> is a
/// <c>char[256]</c> at offset 0 in every CUDA version, so only that field is read from an
/// oversized buffer, and the struct layout of later fields does not matter.
/// </summary>
internal static class CudaDeviceName
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int GetDeviceProperties(IntPtr prop, int device);

    const int PropBufferBytes = 16 * 1024;

    /// <summary>The device name, or null with <paramref name="error"/> saying why not.</summary>
    public static string? TryGet(int device, out string? error)
    {
        error = null;
        var cudart = NativeProcessMap.FindMapped("libcudart");
        if (cudart is null)
        {
            error = "libcudart is not mapped in this process";
            return null;
        }
        var buffer = IntPtr.Zero;
        try
        {
            var handle = NativeLibrary.Load(cudart);
            if (!NativeLibrary.TryGetExport(handle, "cudaGetDeviceProperties_v2", out var fn)
                && !NativeLibrary.TryGetExport(handle, "cudaGetDeviceProperties", out fn))
            {
                error = $"{cudart} exports no cudaGetDeviceProperties";
                return null;
            }
            buffer = Marshal.AllocHGlobal(PropBufferBytes);
            for (var i = 0; i < PropBufferBytes; i += 8)
                Marshal.WriteInt64(buffer, i, 0);
            var status = Marshal.GetDelegateForFunctionPointer<GetDeviceProperties>(fn)(buffer, device);
            if (status != 0)
            {
                error = $"cudaGetDeviceProperties({device}) returned CUDA error {status}";
                return null;
            }
            return Marshal.PtrToStringAnsi(buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            error = ex.Message;
            return null;
        }
        finally
        {
            if (buffer != IntPtr.Zero)
                Marshal.FreeHGlobal(buffer);
        }
    }
}
