namespace Policyc.Runtime.Policy;

/// <summary>The shape of every compiled or interpreted rule: a pure function of the read-only context.</summary>
public delegate T PolicyHook<T>(in HookContext context);

/// <summary>Where a rule was written, so the runtime can say which rule decided something or failed.</summary>
public sealed record RuleOrigin(string Policy, string File, int Line, int Column, string Text)
{
    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>
/// Thrown by a rule that cannot produce a value (overflow, division by zero, a value out of range).
/// The runtime ends the run with verdict <c>policy-error</c> and keeps what it measured.
/// </summary>
public sealed class PolicyFault(RuleOrigin origin, string message) : Exception(message)
{
    public RuleOrigin Origin { get; } = origin;
}
