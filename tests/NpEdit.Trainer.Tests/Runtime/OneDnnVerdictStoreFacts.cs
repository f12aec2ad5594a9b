using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public sealed class OneDnnVerdictStoreFacts : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npedit-onednn-").FullName;
    private string PathInDir => Path.Combine(_dir, "cache", "npedit", "onednn-isa.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_saved_verdict_is_found_for_its_machine_only_and_replaces_that_machines_earlier_one()
    {
        var when = new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);
        OneDnnVerdictStore.Save(PathInDir, new OneDnnVerdict("cpu A", "AVX2", 3e-7, when));
        OneDnnVerdictStore.Save(PathInDir, new OneDnnVerdict("cpu B", "SSE41", 6e-7, when));
        OneDnnVerdictStore.Save(PathInDir, new OneDnnVerdict("cpu A", "ALL", 4e-7, when.AddDays(1)));

        Assert.Equal(new OneDnnVerdict("cpu A", "ALL", 4e-7, when.AddDays(1)), OneDnnVerdictStore.Find(PathInDir, "cpu A"));
        Assert.Equal("SSE41", OneDnnVerdictStore.Find(PathInDir, "cpu B")!.Isa);
        Assert.Null(OneDnnVerdictStore.Find(PathInDir, "cpu C"));
        Assert.Equal(2, OneDnnVerdictStore.Load(PathInDir).Count);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(PathInDir)!, "*.tmp"));
    }

    [Fact]
    public void A_missing_file_holds_no_verdict_and_a_corrupt_one_is_named_and_left_as_it_is()
    {
        Assert.Null(OneDnnVerdictStore.Find(PathInDir, "cpu A"));

        Directory.CreateDirectory(Path.GetDirectoryName(PathInDir)!);
        File.WriteAllText(PathInDir, "{ not json");
        var error = Assert.Throws<InvalidDataException>(() => OneDnnVerdictStore.Save(PathInDir, new OneDnnVerdict("cpu A", "AVX2", 3e-7, DateTimeOffset.UtcNow)));
        Assert.Contains(PathInDir, error.Message);
        Assert.Contains("--check-onednn", error.Message);
        Assert.Equal("{ not json", File.ReadAllText(PathInDir));
    }

    [Fact]
    public void The_machine_key_names_the_CPU_model_and_the_libtorch()
    {
        var key = OneDnnVerdictStore.MachineKey();

        Assert.Matches(@"^.+ \| cpu flags [0-9a-f]{12} \| TorchSharp \d+\.\d+\.\d+\.\d+ \| libtorch .+$", key);
        if (File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } model)
            Assert.StartsWith(model[(model.IndexOf(':') + 1)..].Trim(), key);
    }
}
