using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Syntax;

/// <summary>One parsed .rpol file: its policy (if any), its tests, every comment, and the syntax diagnostics.</summary>
public sealed class SyntaxTree
{
    internal SyntaxTree(SourceText text, IReadOnlyList<PolicySyntax> policies, IReadOnlyList<CommentSyntax> comments, IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlyList<TestSyntax>? tests = null)
    {
        Text = text;
        Policies = policies;
        Tests = tests ?? [];
        Comments = comments;
        Diagnostics = diagnostics;
    }

    public SourceText Text { get; }

    /// <summary>Every policy declaration; a valid file has exactly one.</summary>
    public IReadOnlyList<PolicySyntax> Policies { get; }

    public PolicySyntax? Policy => Policies.Count > 0 ? Policies[0] : null;

    /// <summary>The file's test blocks, in source order. A file of tests alone (NAME.test.rpol) holds no policy.</summary>
    public IReadOnlyList<TestSyntax> Tests { get; }

    public IReadOnlyList<CommentSyntax> Comments { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public static SyntaxTree Parse(SourceText text) => PolicyParser.Parse(text);

    public static SyntaxTree Parse(string text, string path = "<input>") => Parse(SourceText.From(text, path));
}
