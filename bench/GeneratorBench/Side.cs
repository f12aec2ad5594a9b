using NpEdit.Core.Config;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Optimization;

/// <summary>One model with its optimizer and what its steps measured.</summary>
sealed record Side(AdamImplementation Implementation, DiT Dit, IAdamOptimizer Optimizer)
{
    public List<double> Times { get; } = [];
    public List<double> CpuTimes { get; } = [];
    public Dictionary<string, double> Phases { get; } = [];
}

