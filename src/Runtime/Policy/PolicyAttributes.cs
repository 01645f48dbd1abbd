namespace Policyc.Runtime.Policy;

/// <summary>
/// Marks a field of a hook-context group as readable by policies under <paramref name="name"/>
/// (written <c>group.name</c> in a policy). The compiler builds its symbol table from these
/// attributes, so a field added here is usable in policies without touching the compiler.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class PolicyFieldAttribute(string name, PolicyType type, string doc) : Attribute
{
    public string Name { get; } = name;
    public PolicyType Type { get; } = type;
    public string Doc { get; } = doc;

    /// <summary>The least value the kernel state can have (in the type's base unit); a test may not give less.</summary>
    public long Min { get; init; }

    /// <summary>The greatest value the kernel state can have; a test may not give more.</summary>
    public long Max { get; init; } = long.MaxValue;
}

/// <summary>
/// Marks a readonly method of a hook-context group as a built-in function of the language,
/// for example <c>zone.watermark_ok(zone.high, order)</c>. Parameter types are listed in order.
/// The method must be pure: the same context and arguments give the same answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PolicyFunctionAttribute(string name, PolicyType returns, string doc, params PolicyType[] parameters) : Attribute
{
    public string Name { get; } = name;
    public PolicyType Returns { get; } = returns;
    public string Doc { get; } = doc;
    public PolicyType[] Parameters { get; } = parameters;
}

/// <summary>
/// Marks a field of <see cref="HookContext"/> as a group of policy-visible state. Fields of a group
/// marked <see cref="Unqualified"/> may also be written without the group prefix (<c>order</c>, <c>gfp</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class PolicyGroupAttribute(string name, ContextGroups group, string doc) : Attribute
{
    public string Name { get; } = name;
    public ContextGroups Group { get; } = group;
    public string Doc { get; } = doc;
    public bool Unqualified { get; init; }
}

/// <summary>The groups of state a hook may read; each hook's descriptor says which are filled in.</summary>
[Flags]
public enum ContextGroups
{
    None = 0,
    Request = 1 << 0,
    Zone = 1 << 1,
    Node = 1 << 2,
    Swap = 1 << 3,
    Shrinker = 1 << 4,
    Kswapd = 1 << 5,
    Scan = 1 << 6,
    Vm = 1 << 7,
    Clock = 1 << 8,
}
