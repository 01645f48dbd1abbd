namespace Policyc.Compiler.Syntax;

/// <summary>
/// Hard limits on input, enforced as diagnostics so that no input can exhaust the stack or memory
/// of the compiler. Generous for hand-written policies.
/// </summary>
public static class Limits
{
    /// <summary>Largest .rpol file, in characters.</summary>
    public const int MaxFileLength = 1 << 20;

    /// <summary>Deepest nesting of parentheses and operators in one statement.</summary>
    public const int MaxNesting = 128;

    /// <summary>Longest identifier or policy name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Most constants, sections and rules in one policy.</summary>
    public const int MaxMembers = 4096;
}
