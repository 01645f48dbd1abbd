using System.Reflection;
using Policyc.Compiler;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// The linux-3.13 policy in every form the hook benchmark compares, loaded once per process:
/// compiled as <c>run</c> loads it (collectible context), the same compiled image in the default
/// (non-collectible) context, the interpreter, and the runtime tests' hand-written table of lambdas.
/// </summary>
public sealed class HookTables
{
    public required PolicyTable Compiled { get; init; }
    public required PolicyTable CompiledDefaultContext { get; init; }
    public required PolicyTable Interpreted { get; init; }
    public required PolicyTable HandwrittenLambdas { get; init; }

    static string? policyPath;
    static HookTables? loaded;

    /// <summary>Set before the benchmarks run: the .rpol file to measure.</summary>
    public static string PolicyPath
    {
        get => policyPath ?? throw new InvalidOperationException("HookTables.PolicyPath is not set");
        set => policyPath = value;
    }

    public static HookTables Instance => loaded ??= Load(PolicyPath);

    static HookTables Load(string path)
    {
        // No cache: the benchmark measures what this compiler emits now, not an older assembly.
        var compiled = Succeeded(PolicyLoader.Load(path, new PolicyLoadOptions { UseCache = false }), path);
        var interpreted = Succeeded(PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = true }), path);
        return new HookTables
        {
            Compiled = compiled,
            CompiledDefaultContext = LoadInDefaultContext(path),
            Interpreted = interpreted,
            HandwrittenLambdas = Linux313Handwritten.Build(),
        };
    }

    static PolicyTable Succeeded(PolicyLoadResult result, string path) =>
        result.Table ?? throw new InvalidOperationException(
            $"{path} does not build: {string.Join("; ", result.Diagnostics.Select(d => d.ToString()))}");

    /// <summary>
    /// The generated assembly loaded like any application assembly, so the benchmark can tell whether
    /// the collectible context <c>policyc</c> uses costs anything per call.
    /// </summary>
    static PolicyTable LoadInDefaultContext(string path)
    {
        var compilation = PolicyCompilation.Load(path);
        var output = PolicyBuilder.Build(compilation, cache: null);
        if (output.Image is null || compilation.Policy is not { } policy)
            throw new InvalidOperationException($"{path} does not build");
        var assembly = Assembly.Load(output.Image);
        var names = new GeneratedNames(policy);
        return TableAssembler.Assemble(policy, rule =>
        {
            var type = assembly.GetType(names.FullClassOf(rule.Owner), throwOnError: true)!;
            var method = type.GetMethod(names.MethodOf(rule.Key), BindingFlags.Public | BindingFlags.Static)!;
            return method.CreateDelegate(TableAssembler.DelegateType(rule.Hook));
        });
    }
}
