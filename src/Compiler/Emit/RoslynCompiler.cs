using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Emit;

/// <summary>
/// Compiles generated C# in memory. The reference list is exactly System.Runtime (a reference
/// assembly) and the runtime contract, built once per process: generated code can reach nothing
/// else, and re-creating references per compile is slow.
/// </summary>
public static class RoslynCompiler
{
    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        Basic.Reference.Assemblies.Net100.References.SystemRuntime,
        MetadataReference.CreateFromFile(typeof(PolicyTable).Assembly.Location),
    ]);

    static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        checkOverflow: true,
        nullableContextOptions: NullableContextOptions.Enable,
        deterministic: true);

    public sealed record Result(byte[]? Assembly, IReadOnlyList<string> Errors);

    public static Result Compile(string assemblyName, string source, string path)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path);
        var compilation = CSharpCompilation.Create(assemblyName, [tree], References.Value, Options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (emitted.Success)
            return new Result(stream.ToArray(), []);
        var errors = emitted.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToArray();
        return new Result(null, errors);
    }
}
