using System.Reflection;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Binding;

/// <summary>A group of <see cref="HookContext"/> (<c>zone</c>, <c>swap</c>…), found by reflection.</summary>
public sealed record GroupSymbol(string Name, ContextGroups Flag, bool Unqualified, FieldInfo Field, string Doc);

/// <summary>A readable field of a group: <c>zone.low</c>, with the range of values the kernel state can take.</summary>
public sealed record FieldSymbol(GroupSymbol Group, string Name, PolicyType Type, FieldInfo Field, string Doc, long Min = 0, long Max = long.MaxValue);

/// <summary>A built-in function of a group: <c>zone.watermark_ok(mark, order)</c>.</summary>
public sealed record FunctionSymbol(GroupSymbol Group, string Name, PolicyType Returns, IReadOnlyList<PolicyType> Parameters, MethodInfo Method, string Doc);

/// <summary>
/// Everything a policy can read, built once by reflecting over the contract's
/// <see cref="PolicyGroupAttribute"/>, <see cref="PolicyFieldAttribute"/> and
/// <see cref="PolicyFunctionAttribute"/>: the runtime can add a field without a compiler change.
/// </summary>
public static class ContextSymbols
{
    public static IReadOnlyList<GroupSymbol> Groups { get; }
    public static IReadOnlyList<FieldSymbol> Fields { get; }
    public static IReadOnlyList<FunctionSymbol> Functions { get; }

    static ContextSymbols()
    {
        var groups = new List<GroupSymbol>();
        var fields = new List<FieldSymbol>();
        var functions = new List<FunctionSymbol>();
        foreach (var groupField in typeof(HookContext).GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (groupField.GetCustomAttribute<PolicyGroupAttribute>() is not { } g)
                continue;
            var group = new GroupSymbol(g.Name, g.Group, g.Unqualified, groupField, g.Doc);
            groups.Add(group);
            foreach (var field in groupField.FieldType.GetFields(BindingFlags.Public | BindingFlags.Instance))
                if (field.GetCustomAttribute<PolicyFieldAttribute>() is { } f)
                    fields.Add(new FieldSymbol(group, f.Name, f.Type, field, f.Doc, f.Min, f.Max));
            foreach (var method in groupField.FieldType.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                if (method.GetCustomAttribute<PolicyFunctionAttribute>() is { } fn)
                    functions.Add(new FunctionSymbol(group, fn.Name, fn.Returns, fn.Parameters, method, fn.Doc));
        }
        Groups = groups;
        Fields = fields;
        Functions = functions;
    }

    public static GroupSymbol? FindGroup(string name) => Groups.FirstOrDefault(g => g.Name == name);

    public static FieldSymbol? FindField(GroupSymbol group, string name) =>
        Fields.FirstOrDefault(f => f.Group == group && f.Name == name);

    /// <summary>A field written without its group: only groups marked Unqualified allow it.</summary>
    public static FieldSymbol? FindUnqualifiedField(string name) =>
        Fields.FirstOrDefault(f => f.Group.Unqualified && f.Name == name);

    public static FunctionSymbol? FindFunction(GroupSymbol group, string name) =>
        Functions.FirstOrDefault(f => f.Group == group && f.Name == name);

    /// <summary>The names of the groups a hook may read, for messages.</summary>
    public static IEnumerable<string> Readable(ContextGroups reads) =>
        Groups.Where(g => (reads & g.Flag) != 0).Select(g => g.Name);
}
