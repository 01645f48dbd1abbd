using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Syntax;

/// <summary>One parsed .rpol file: its policy (if any), every comment, and the syntax diagnostics.</summary>
public sealed class SyntaxTree
{
    internal SyntaxTree(SourceText text, IReadOnlyList<PolicySyntax> policies, IReadOnlyList<CommentSyntax> comments, IReadOnlyList<Diagnostic> diagnostics)
    {
        Text = text;
        Policies = policies;
        Comments = comments;
        Diagnostics = diagnostics;
    }

    public SourceText Text { get; }

    /// <summary>Every policy declaration; a valid file has exactly one.</summary>
    public IReadOnlyList<PolicySyntax> Policies { get; }

    public PolicySyntax? Policy => Policies.Count > 0 ? Policies[0] : null;

    public IReadOnlyList<CommentSyntax> Comments { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public static SyntaxTree Parse(SourceText text) => PolicyParser.Parse(text);

    public static SyntaxTree Parse(string text, string path = "<input>") => Parse(SourceText.From(text, path));
}
