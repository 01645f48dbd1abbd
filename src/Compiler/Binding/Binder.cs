using System.Globalization;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Text;

namespace Policyc.Compiler.Binding;

/// <summary>
/// Binds one policy whose base is already bound: sections and rules against <see cref="HookCatalog"/>,
/// names against constants, <see cref="ContextSymbols"/>, <see cref="GfpSymbols"/> and shrinker
/// actions; checks types and units; folds constants. This file binds the policy, its constants,
/// sections and rules; expressions are in Binder.Expressions.cs and folding in Binder.Folding.cs.
/// </summary>
sealed partial class Binder
{
    readonly SourceText text;
    readonly DiagnosticBag diagnostics;
    readonly BoundPolicy policy;
    readonly HashSet<string> usedConstants = new(StringComparer.Ordinal);

    // The hook being bound, or null while binding a constant.
    HookDescriptor? hook;
    RuleKey key;
    BoundRule? rule;
    bool readsContext;

    // Derived from a base that failed to load: check what can be checked, build nothing.
    readonly bool isDerived;

    Binder(SourceText text, DiagnosticBag diagnostics, BoundPolicy policy, bool isDerived)
    {
        this.isDerived = isDerived;
        this.text = text;
        this.diagnostics = diagnostics;
        this.policy = policy;
    }

    /// <summary>
    /// Binds a policy. <paramref name="namesInTests"/> are the names the tests written in the same
    /// file mention: a constant only they use is used, not "never used".
    /// </summary>
    public static BoundPolicy Bind(SourceText text, PolicySyntax syntax, BoundPolicy? basePolicy, DiagnosticBag diagnostics, bool isDerived,
        IReadOnlySet<string>? namesInTests = null)
    {
        var policy = new BoundPolicy(syntax.Name.Text, text, syntax, basePolicy);
        var binder = new Binder(text, diagnostics, policy, isDerived);
        if (namesInTests is not null)
            binder.usedConstants.UnionWith(namesInTests);
        binder.BindPolicy(syntax);
        return policy;
    }

    /// <summary>
    /// Binds an expression that must be known without a context (a test's given value or expected
    /// value): it may use <paramref name="scope"/>'s constants, GFP names, shrinker actions and units.
    /// </summary>
    internal static BoundExpression BindValue(SourceText text, ExpressionSyntax syntax, BoundPolicy scope, DiagnosticBag diagnostics)
    {
        var scratch = new BoundPolicy(scope.Name, text, scope.Syntax, scope);
        return new Binder(text, diagnostics, scratch, isDerived: true).BindExpression(syntax);
    }

    TextLocation At(TextSpan span) => new(text, span);

    void BindPolicy(PolicySyntax syntax)
    {
        var constSyntax = new Dictionary<string, ConstSyntax>(StringComparer.Ordinal);
        foreach (var member in syntax.Members.OfType<ConstSyntax>())
        {
            if (BindConstant(member))
                constSyntax[member.Name.Text] = member;
        }

        var sections = new Dictionary<(PolicySection, string?), SectionSyntax>();
        var ruleStarts = new Dictionary<RuleKey, TextSpan>();
        foreach (var section in syntax.Members.OfType<SectionSyntax>())
            BindSection(section, sections, ruleStarts);

        foreach (var (name, member) in constSyntax)
            if (!usedConstants.Contains(name))
                diagnostics.ReportUnusedConstant(At(member.Name.Span), name);

        if (!isDerived)
            CheckComplete(syntax);
    }

    bool BindConstant(ConstSyntax member)
    {
        string name = member.Name.Text;
        string? clash = policy.Lineage.Any(p => p.Constants.ContainsKey(name)) ? "a constant"
            : ContextSymbols.FindUnqualifiedField(name) is not null ? "a field of the request"
            : GfpSymbols.TryGet(name, out _) ? "a GFP flag or mask"
            : TryShrinkAction(name, out _) ? "a shrinker action"
            : ContextSymbols.FindGroup(name) is not null ? "a context group"
            : null;
        if (clash is not null)
        {
            diagnostics.ReportDuplicateName(At(member.Name.Span), name, clash);
            return false;
        }
        hook = null;
        rule = null;
        readsContext = false;
        var value = BindExpression(member.Value);
        if (value is BoundLiteral literal)
        {
            policy.Constants[name] = literal with { Name = name };
            return true;
        }
        if (!value.Type.IsError)
            diagnostics.ReportNotConstant(At(member.Value.Span), name);
        // Record it anyway (as an error value) so uses do not report an unknown name.
        policy.Constants[name] = new BoundLiteral(BoundType.Error, 0, member.Name.Span, name);
        return true;
    }

    void BindSection(SectionSyntax section, Dictionary<(PolicySection, string?), SectionSyntax> seen, Dictionary<RuleKey, TextSpan> ruleStarts)
    {
        if (!HookCatalog.TryParseSection(section.Kind.Text, out var kind))
        {
            var sections = Enum.GetValues<PolicySection>().Select(HookCatalog.SectionName).ToList();
            diagnostics.ReportUnknownSection(At(section.Kind.Span), section.Kind.Text, sections,
                Spelling.Suggest(section.Kind.Text, sections));
            return;
        }
        string? pattern = section.Pattern?.Value;
        if (kind == PolicySection.Shrinker && section.Pattern is null)
        {
            diagnostics.ReportMissingPattern(At(section.Kind.Span));
            return;
        }
        if (kind != PolicySection.Shrinker && section.Pattern is not null)
        {
            diagnostics.ReportUnexpectedPattern(At(section.Pattern.Span), section.Kind.Text);
            pattern = null;
        }
        if (pattern is not null && !CheckPattern(section.Pattern!, pattern))
            return;
        if (seen.TryGetValue((kind, pattern), out var first))
            diagnostics.ReportDuplicateSection(At(section.Kind.Span),
                pattern is null ? section.Kind.Text : $"shrinker \"{pattern}\"", text.GetLinePosition(first.Span.Start));
        else
            seen[(kind, pattern)] = section;

        foreach (var ruleSyntax in section.Rules)
        {
            var descriptor = HookCatalog.Find(kind, ruleSyntax.Name.Text);
            if (descriptor is null)
            {
                var names = HookCatalog.All.Where(h => h.Section == kind).Select(h => h.Name);
                diagnostics.ReportUnknownRule(At(ruleSyntax.Name.Span), section.Kind.Text, ruleSyntax.Name.Text,
                    Spelling.Suggest(ruleSyntax.Name.Text, names));
                continue;
            }
            var key = new RuleKey(descriptor.Id, pattern);
            if (ruleStarts.TryGetValue(key, out var previous))
            {
                diagnostics.ReportDuplicateRule(At(ruleSyntax.Name.Span), key.ToString(), text.GetLinePosition(previous.Start));
                continue;
            }
            ruleStarts[key] = ruleSyntax.Span;
            var baseRule = policy.Base?.Find(key);
            if (policy.Base is not null && baseRule is null && OverridesSomething(key))
                diagnostics.ReportOverrideWithoutBase(At(ruleSyntax.Name.Span), key.ToString(), policy.Base.Name);
            BindRule(key, descriptor, ruleSyntax, baseRule);
        }
    }

    /// <summary>
    /// A derived policy may add a shrinker section with a new pattern; it may not state a hook in a
    /// section its base has without that hook (that would silently change resolution order).
    /// </summary>
    bool OverridesSomething(RuleKey key) =>
        key.Pattern is null || policy.Base!.EffectiveRules.Keys.Any(k => k.Pattern == key.Pattern);

    bool CheckPattern(StringSyntax syntax, string pattern)
    {
        string? why = pattern.Length == 0 ? "it is empty"
            : pattern.Length > Limits.MaxNameLength ? $"it is longer than {Limits.MaxNameLength} characters"
            : pattern.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '*' or '?' or '/'))
                ? "use letters, digits, '-', '_', '.', ':', '/' and the wildcards '*' and '?'"
            : null;
        if (why is null)
            return true;
        diagnostics.ReportInvalidPattern(At(syntax.Span), pattern, why);
        return false;
    }

    void BindRule(RuleKey key, HookDescriptor descriptor, RuleSyntax syntax, BoundRule? baseRule)
    {
        var bound = new BoundRule(policy, key, syntax, text);
        policy.OwnRules[key] = bound;
        hook = descriptor;
        this.key = key;
        rule = baseRule;
        readsContext = false;
        var body = BindExpression(syntax.Value);
        body = Expect(body, descriptor.Returns, $"rule '{key}'", syntax.Value.Span);
        bound.Body = body;
        if (body is BoundLiteral literal && readsContext)
            diagnostics.ReportConstantRule(At(syntax.Value.Span), key.ToString(), Display(literal));
    }

    void CheckComplete(PolicySyntax syntax)
    {
        var rules = policy.OwnRules.Keys.ToHashSet();
        var missing = HookCatalog.All
            .Where(h => h.Section != PolicySection.Shrinker && !rules.Contains(new RuleKey(h.Id, null)))
            .Select(h => h.QualifiedName)
            .Concat(HookCatalog.All
                .Where(h => h.Section == PolicySection.Shrinker && !rules.Contains(new RuleKey(h.Id, "*")))
                .Select(h => $"shrinker \"*\".{h.Name}"))
            .ToArray();
        if (missing.Length > 0)
            diagnostics.ReportMissingRules(At(syntax.Name.Span), policy.Name, missing);
    }

    static string Display(BoundLiteral literal) => literal.Type.Policy switch
    {
        PolicyType.Bool => literal.Value != 0 ? "true" : "false",
        PolicyType.ShrinkAction => ((ShrinkAction)literal.Value).ToString().ToLowerInvariant(),
        PolicyType.Gfp => "0x" + literal.Value.ToString("x", CultureInfo.InvariantCulture),
        _ => literal.Value.ToString(CultureInfo.InvariantCulture),
    };
}
