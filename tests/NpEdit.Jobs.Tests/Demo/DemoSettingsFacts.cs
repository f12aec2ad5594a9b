using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Jobs.Demo;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Demo;

/// <summary>The demo's NP-Edit schedules, as e010 plus each preset's overrides resolve them.</summary>
public sealed class DemoSettingsFacts
{
    private static string E010 => Path.Combine(RepoFiles.Root, "experiments", "e010-npedit-shapes-demo.yaml");

    private static ScheduleSection Resolve(DemoSettings settings) =>
        ConfigLoader.Load<NpEditConfig>(E010, settings.TrainSets.Select(kv => $"{kv.Key}={kv.Value}")).Value.Schedule;

    [Fact]
    public void Full_KeepsE010sWholeIdentityWarmup()
    {
        // The demo's 40-step warm-up left a blurred copy (preservation 0.39) that the editing steps then lost.
        var preset = ConfigLoader.Load<NpEditConfig>(E010).Value.Schedule;

        Assert.Equal(preset.WarmupSteps, Resolve(DemoSettings.Full).WarmupSteps);
    }

    [Fact]
    public void E010_TeacherReadsCompactCaptions_AgainstG_initsTrainedUnconditional()
    {
        // The e001 G_init learned compact captions only: prompted with prose c^x, the DMD teacher drew patch noise.
        var loss = ConfigLoader.Load<NpEditConfig>(E010, DemoSettings.Full.TrainSets.Select(kv => $"{kv.Key}={kv.Value}")).Value.Loss;

        Assert.Equal(TeacherCaption.Compact, loss.TeacherCaption);
        Assert.Equal("", loss.NegativePrompt);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("demo-quick")]
    public void EverySize_RunsWarmup_ThenSingleStep_ThenTwoPassUnrolling(string name)
    {
        var schedule = Resolve(name == DemoSettings.Full.Name ? DemoSettings.Full : DemoSettings.Quick);

        Assert.InRange(schedule.WarmupSteps, 1, schedule.Steps - 1);
        Assert.True(schedule.SingleStepSteps > 0, "no single-step phase");
        Assert.True(schedule.WarmupSteps + schedule.SingleStepSteps < schedule.Steps,
            $"no two-pass phase: warm-up {schedule.WarmupSteps} + single-step {schedule.SingleStepSteps} ≥ {schedule.Steps} steps");
    }
}
