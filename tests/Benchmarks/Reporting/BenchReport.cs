using System.Text.Json;
using System.Text.Json.Serialization;
using Policyc.Benchmarks.Processes;

namespace Policyc.Benchmarks.Reporting;

/// <summary>
/// bench.json: the headline figures at the top level (medians and ratios), the details beside them.
/// A measurement that was not taken is null. Names are snake_case ("2x" keeps its own word).
/// </summary>
public sealed record BenchReport
{
    public required string Mode { get; init; }
    public required string MeasuredAt { get; init; }
    public required MachineInfo Machine { get; init; }

    public double? HookCompiledOverHandwritten { get; init; }
    public double? HookInterpretedOverCompiled { get; init; }
    public double? HookCompiledOverHandwrittenPaired { get; init; }
    public double? HookInterpretedOverCompiledPaired { get; init; }
    public double? HookCompiledWorstOverHandwrittenPaired { get; init; }
    public double? HookInterpretedLeastOverCompiledPaired { get; init; }
    public double? HookCollectibleOverDefaultContext { get; init; }
    public double? HookCompiledOverHandwrittenLambda { get; init; }

    public double? BuildColdS { get; init; }
    public double? BuildWarmS { get; init; }
    public double? BuildHostFloorS { get; init; }

    public double? SeedWallS { get; init; }
    public double? SeedPeakRssMb { get; init; }
    [JsonPropertyName("scaling_time_2x")] public double? ScalingTime2x { get; init; }
    [JsonPropertyName("scaling_time_4x")] public double? ScalingTime4x { get; init; }
    [JsonPropertyName("scaling_memory_2x")] public double? ScalingMemory2x { get; init; }
    [JsonPropertyName("scaling_memory_4x")] public double? ScalingMemory4x { get; init; }

    public IReadOnlyList<HookRow>? Hooks { get; init; }
    public BuildResults? Build { get; init; }
    public SeedResults? Simulation { get; init; }

    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}

public sealed record MachineInfo(string Cpu, int Cores, double MemoryGb, string Os, string Dotnet)
{
    public static MachineInfo Current()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        double memory = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30), 1);
        return new MachineInfo(cpu, Environment.ProcessorCount, memory,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }
}
