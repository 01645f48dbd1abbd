using System.Reflection;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Emit;

/// <summary>
/// Bound policy → C# → assembly (from the cache, or Roslyn) → loaded into a collectible context →
/// a table of delegates to the generated static methods.
/// </summary>
public static class PolicyBuilder
{
    /// <summary>The table, the assembly image it was loaded from, and whether Roslyn was skipped.</summary>
    public sealed record Output(PolicyTable? Table, byte[]? Image, IReadOnlyList<Diagnostic> Diagnostics, bool CacheHit);

    public static Output Build(PolicyCompilation compilation, BuildCache? cache)
    {
        var policy = compilation.Policy ?? throw new ArgumentException("the compilation has errors", nameof(compilation));
        string key = BuildCache.Key(compilation.Sources, policy.Directory);
        byte[]? image = cache?.TryGet(key);
        bool hit = image is not null;
        // On a cache hit neither the C# text nor Roslyn is needed: the warm path never loads Roslyn.
        if (image is null)
        {
            string source = CSharpEmitter.Emit(policy);
            var result = RoslynCompiler.Compile("Policy_" + key[..16], source, policy.Name + ".g.cs");
            if (result.Assembly is null)
            {
                var bag = new DiagnosticBag();
                bag.ReportEmitFailed(new TextLocation(policy.Text, policy.Syntax.Name.Span), string.Join("; ", result.Errors.Take(3)));
                return new Output(null, null, bag.ToSortedList(), false);
            }
            image = result.Assembly;
            cache?.Put(key, image);
        }
        var names = new GeneratedNames(policy);
        try
        {
            var assembly = PolicyAssemblyLoadContext.LoadPolicy(image);
            var table = TableAssembler.Assemble(policy, rule => CreateDelegate(assembly, names, rule));
            return new Output(table, image, [], hit);
        }
        catch (Exception e) when (hit && e is BadImageFormatException or FileLoadException or TypeLoadException or InvalidOperationException)
        {
            // A damaged cache entry (a full disk, a copy cut short): compile afresh and replace it.
            var fresh = Build(compilation, cache: null);
            if (fresh.Image is not null)
                cache!.Put(key, fresh.Image);
            return fresh;
        }
    }

    static Delegate CreateDelegate(Assembly assembly, GeneratedNames names, BoundRule rule)
    {
        var type = assembly.GetType(names.FullClassOf(rule.Owner), throwOnError: true)!;
        var method = type.GetMethod(names.MethodOf(rule.Key), BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"generated code lacks {names.MethodOf(rule.Key)}");
        return method.CreateDelegate(TableAssembler.DelegateType(rule.Hook));
    }
}
