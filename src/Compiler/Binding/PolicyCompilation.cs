using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Binding;

/// <summary>
/// Loads a policy file and, through <c>extends</c>, its bases; parses and binds each once, base
/// first. This is the one place that knows the order of the phases up to the bound tree.
/// </summary>
public sealed class PolicyCompilation
{
    readonly DiagnosticBag diagnostics = new();
    readonly Dictionary<string, BoundPolicy?> bound = new(StringComparer.Ordinal);
    readonly List<string> loading = [];
    readonly List<SourceText> sources = [];
    readonly Func<string, string?> readFile;

    PolicyCompilation(Func<string, string?> readFile) => this.readFile = readFile;

    /// <summary>The policy, or null when it could not be bound (see <see cref="Diagnostics"/>).</summary>
    public BoundPolicy? Policy { get; private set; }
    /// <summary>The file given holds tests and no policy (a NAME.test.rpol): `policyc test` runs it; nothing else can.</summary>
    public bool HoldsOnlyTests { get; private set; }

    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics.ToSortedList();

    public bool HasErrors => diagnostics.HasErrors;

    /// <summary>Every source text read, the policy's own first: what the build cache hashes.</summary>
    public IReadOnlyList<SourceText> Sources => sources;

    public static PolicyCompilation Load(string path) => Load(path, ReadFileOrNull);

    /// <summary>Compiles text that is not on disk (tests, editors); <c>extends</c> still reads files.</summary>
    public static PolicyCompilation FromText(string text, string path = "<input>")
    {
        string full = Path.GetFullPath(path);
        return Load(path, p => Path.GetFullPath(p) == full ? text : ReadFileOrNull(p));
    }

    public static PolicyCompilation Load(string path, Func<string, string?> readFile)
    {
        var compilation = new PolicyCompilation(readFile);
        compilation.Policy = compilation.LoadFile(path, null);
        if (compilation.diagnostics.HasErrors)
            compilation.Policy = null;
        return compilation;
    }

    static string? ReadFileOrNull(string path) => SourceFile.ReadOrNull(path);

    BoundPolicy? LoadFile(string path, TextLocation? referencedFrom)
    {
        string key = Path.GetFullPath(path);
        if (bound.TryGetValue(key, out var done))
            return done;
        if (loading.Contains(key))
        {
            if (referencedFrom is { } at)
            {
                var cycle = loading.SkipWhile(p => p != key).Append(key).Select(p => System.IO.Path.GetFileName(p));
                diagnostics.ReportExtendsCycle(at, cycle);
            }
            return null;
        }

        if (SourceFile.ReadReporting(path, diagnostics, readFile, reportMissing: referencedFrom is null) is not { } content)
            return null;
        var text = SourceText.From(content, path);
        if (Bundling.Bundle.IsBundleText(content))
        {
            // Its '#' lines would each be a syntax error; say what the file is instead.
            diagnostics.ReportBundleNotPolicy(new TextLocation(text, new TextSpan(0, 0)));
            return null;
        }
        sources.Add(text);
        var tree = SyntaxTree.Parse(text);
        diagnostics.AddRange(tree.Diagnostics);
        if (tree.Policy is not { } syntax)
        {
            HoldsOnlyTests |= referencedFrom is null && tree.Tests.Count > 0 && !tree.Diagnostics.Any(d => d.IsError);
            return null;
        }
        loading.Add(key);
        BoundPolicy? basePolicy = null;
        bool baseFailed = false;
        if (syntax.Base is { } baseRef)
        {
            var baseAt = new TextLocation(text, baseRef.Span);
            var candidates = BaseCandidates(path, baseRef);
            string? found = candidates?.FirstOrDefault(Exists);
            if (candidates is null)
            {
                diagnostics.ReportBaseNotAPath(baseAt, baseRef.Text);
                baseFailed = true;
            }
            else if (found is null)
            {
                diagnostics.ReportBaseNotFound(baseAt, baseRef.Text, candidates.Take(2));
                baseFailed = true;
            }
            else
            {
                int errorsBefore = diagnostics.Count(d => d.IsError);
                basePolicy = LoadFile(found, baseAt);
                if (basePolicy is null || diagnostics.Count(d => d.IsError) > errorsBefore)
                {
                    if (basePolicy is not null)
                        diagnostics.ReportBaseHasErrors(baseAt, baseRef.Text);
                    baseFailed = true;
                }
                else if (!baseRef.IsPath && basePolicy.Name != baseRef.Text)
                {
                    diagnostics.ReportBaseNameMismatch(baseAt, baseRef.Text, basePolicy.Name);
                    baseFailed = true;
                }
            }
        }
        loading.Remove(key);

        // A policy whose base is missing is still checked on its own, as if it were a derived
        // policy, so its other errors are reported too; it cannot be built.
        var policy = Binder.Bind(text, syntax, baseFailed ? null : basePolicy, diagnostics, isDerived: syntax.Base is not null,
            Syntax.ExpressionNames.InTests(tree.Tests));
        bound[key] = baseFailed ? null : policy;
        return bound[key];
    }

    /// <summary>Whether a base candidate is there; one that cannot be read is there, and reported when loaded.</summary>
    bool Exists(string candidate)
    {
        try
        {
            return readFile(candidate) is not null;
        }
        catch (SourceFileException)
        {
            return true;
        }
    }

    /// <summary>
    /// Where <c>extends NAME</c> may live: NAME.rpol beside the file, then in the nearest
    /// <c>policies/</c> directory above it. A quoted path is relative to the file. Candidates are
    /// spelled as <see cref="Paths.Display"/> does, so a base's diagnostics name it as a user would.
    /// </summary>
    static IReadOnlyList<string>? BaseCandidates(string path, BaseRefSyntax baseRef)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        // The name is the author's text: it may hold characters no path can (NUL, kept by the parser's
        // error recovery even in an unquoted name); null says so.
        if (baseRef.Text.Contains('\0'))
            return null;
        if (baseRef.IsPath)
            return [Paths.Display(System.IO.Path.Combine(directory, baseRef.Text))];
        string fileName = baseRef.Text + ".rpol";
        var candidates = new List<string> { Paths.Display(System.IO.Path.Combine(directory, fileName)) };
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            string policies = Paths.Display(System.IO.Path.Combine(dir.FullName, "policies", fileName));
            if (!candidates.Contains(policies))
                candidates.Add(policies);
        }
        return candidates;
    }
}
