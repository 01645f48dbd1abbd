using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Binding;

/// <summary>Names a rule: its hook, and for shrinker rules the section's pattern.</summary>
public readonly record struct RuleKey(HookId Hook, string? Pattern)
{
    public override string ToString()
    {
        var hook = HookCatalog.Get(Hook);
        return Pattern is null ? hook.QualifiedName : $"shrinker \"{Pattern}\".{hook.Name}";
    }
}

/// <summary>One rule as written in one policy, bound.</summary>
public sealed class BoundRule
{
    internal BoundRule(BoundPolicy owner, RuleKey key, RuleSyntax syntax, SourceText text)
    {
        Owner = owner;
        Key = key;
        Syntax = syntax;
        Text = text;
        Body = new BoundError(syntax.Span);
    }

    public BoundPolicy Owner { get; }
    public RuleKey Key { get; }
    public HookDescriptor Hook => HookCatalog.Get(Key.Hook);
    public BoundType Type => Hook.Returns;
    public RuleSyntax Syntax { get; }
    public SourceText Text { get; }
    public BoundExpression Body { get; internal set; }

    /// <summary>
    /// The rule's source text as written, for comments and for <see cref="RuleOrigin"/>. Continuation
    /// lines lose the indentation of the rule's own line, so the text reads as it does in the file.
    /// </summary>
    public string SourceCode
    {
        get
        {
            var lines = Text.ToString(Syntax.Span).Replace("\r\n", "\n").Split('\n');
            int indent = Text.GetLinePosition(Syntax.Span.Start).Column - 1;
            for (int i = 1; i < lines.Length; i++)
            {
                int spaces = lines[i].TakeWhile(c => c == ' ').Count();
                lines[i] = lines[i][Math.Min(spaces, indent)..];
            }
            return string.Join("\n", lines);
        }
    }

    /// <summary>
    /// Where the rule was written, its file named relative to <paramref name="directory"/> (the root
    /// policy's directory), so generated code and messages do not depend on where the build ran.
    /// </summary>
    public RuleOrigin OriginRelativeTo(string directory)
    {
        var at = Text.GetLinePosition(Syntax.Span.Start);
        return new RuleOrigin(Owner.Name, Owner.DisplayPath(directory), at.Line, at.Column, SourceCode);
    }
}

/// <summary>
/// A policy with its base bound first. <see cref="Rules"/> holds only the rules this policy writes;
/// <see cref="EffectiveRules"/> the rules in force (its own over its base's).
/// </summary>
public sealed class BoundPolicy
{
    internal BoundPolicy(string name, SourceText text, PolicySyntax syntax, BoundPolicy? basePolicy)
    {
        Name = name;
        Text = text;
        Syntax = syntax;
        Base = basePolicy;
    }

    public string Name { get; }
    public SourceText Text { get; }
    public PolicySyntax Syntax { get; }
    public BoundPolicy? Base { get; }

    /// <summary>The policy's file relative to <paramref name="directory"/>, with '/' separators.</summary>
    public string DisplayPath(string directory)
    {
        if (Text.Path.StartsWith('<'))
            return Text.Path;
        return System.IO.Path.GetRelativePath(directory, System.IO.Path.GetFullPath(Text.Path)).Replace('\\', '/');
    }

    /// <summary>The directory of this policy's file: what <see cref="DisplayPath"/> is relative to.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Text.Path)) ?? ".";
    internal Dictionary<RuleKey, BoundRule> OwnRules { get; } = [];
    internal Dictionary<string, BoundLiteral> Constants { get; } = new(StringComparer.Ordinal);

    /// <summary>The rules this policy states, in source order.</summary>
    public IReadOnlyList<BoundRule> Rules => OwnRules.Values.OrderBy(r => r.Syntax.Span.Start).ToArray();

    /// <summary>This policy, then its base, then its base's base.</summary>
    public IEnumerable<BoundPolicy> Lineage
    {
        get
        {
            for (var p = this; p is not null; p = p.Base)
                yield return p;
        }
    }

    /// <summary>The rule in force for a key: the most derived policy's.</summary>
    public BoundRule? Find(RuleKey key) =>
        Lineage.Select(p => p.OwnRules.GetValueOrDefault(key)).FirstOrDefault(r => r is not null);

    public IReadOnlyDictionary<RuleKey, BoundRule> EffectiveRules
    {
        get
        {
            var rules = new Dictionary<RuleKey, BoundRule>();
            foreach (var policy in Lineage)
                foreach (var (key, rule) in policy.OwnRules)
                    rules.TryAdd(key, rule);
            return rules;
        }
    }

    /// <summary>
    /// Shrinker patterns in resolution order: patterns without wildcards first, then those with
    /// more literal characters, so the most specific section that states a hook wins; "*" last.
    /// </summary>
    public IReadOnlyList<string> ShrinkerPatterns => EffectiveRules.Keys
        .Where(k => k.Pattern is not null)
        .Select(k => k.Pattern!)
        .Distinct()
        .OrderBy(p => p.Contains('*') || p.Contains('?') ? 1 : 0)
        .ThenByDescending(p => p.Count(c => c != '*' && c != '?'))
        // Among as many literal characters, fewer '*' is more specific: "??????" before "*".
        .ThenBy(p => p.Count(c => c == '*'))
        .ThenBy(p => p, StringComparer.Ordinal)
        .ToArray();
}
