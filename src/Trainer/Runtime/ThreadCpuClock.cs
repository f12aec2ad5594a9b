using System.Runtime.InteropServices;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): with one torch thread every
/// CPU kernel runs on the caller, so this times torch work without the wall-clock inflation of a shared machine.
/// </summary>
public static class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3;

    /// <summary>Milliseconds of CPU this thread has used; NaN where the clock is unavailable.</summary>
    public static double Milliseconds() =>
        ClockGetTime(ThreadCpuTimeId, out var time) == 0 ? time.Seconds * 1e3 + time.Nanoseconds / 1e6 : double.NaN;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }
}
