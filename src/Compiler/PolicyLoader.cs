using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Interpretation;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler;

public sealed record PolicyLoadOptions
{
    /// <summary>Interpret the bound trees instead of compiling them (the reference semantics).</summary>
    public bool Interpret { get; init; }

    /// <summary>Where compiled assemblies are cached; null means <see cref="BuildCache.DefaultDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    public bool UseCache { get; init; } = true;
}

public sealed record PolicyLoadResult(PolicyTable? Table, IReadOnlyList<Diagnostic> Diagnostics, bool CacheHit)
{
    /// <summary>The file holds tests and no policy (see <see cref="PolicyCompilation.HoldsOnlyTests"/>).</summary>
    public bool HoldsOnlyTests { get; init; }

    public bool Succeeded => Table is not null;
}

/// <summary>
/// The one entry point for turning a .rpol file into a <see cref="PolicyTable"/>: parse and bind the
/// policy and its bases, then either compile (Roslyn, cached by content hash) or interpret.
/// </summary>
public static class PolicyLoader
{
    public static PolicyLoadResult Load(string path, PolicyLoadOptions options)
    {
        var compilation = PolicyCompilation.Load(path);
        if (compilation.Policy is not { } policy)
            return new PolicyLoadResult(null, compilation.Diagnostics, CacheHit: false) { HoldsOnlyTests = compilation.HoldsOnlyTests };
        if (options.Interpret)
        {
            var table = TableAssembler.Assemble(policy, rule => Interpreter.CreateDelegate(rule, policy.Directory));
            return new PolicyLoadResult(table, compilation.Diagnostics, CacheHit: false);
        }
        var build = PolicyBuilder.Build(compilation, options.UseCache ? new BuildCache(options.CacheDirectory ?? BuildCache.DefaultDirectory) : null);
        var diagnostics = compilation.Diagnostics.Concat(build.Diagnostics).ToArray();
        return new PolicyLoadResult(build.Table, diagnostics, build.CacheHit);
    }
}
