using System.Text.Json.Serialization;
using Policyc.Runtime.Reporting;

namespace Policyc.Cli.Reporting;

/// <summary>
/// What <c>policyc compare --json</c> writes: the scenario and seed every policy ran on, and each policy's
/// full run report (the schema of <c>run --json</c>, docs/run-json.md), in the order given.
/// </summary>
public sealed record CompareReport
{
    public required string Scenario { get; init; }
    public required ulong Seed { get; init; }
    public required IReadOnlyList<RunReport> Runs { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CompareReport))]
public sealed partial class CompareReportJson : JsonSerializerContext;
