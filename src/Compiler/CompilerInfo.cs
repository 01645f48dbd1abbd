using System.Reflection;

namespace Policyc.Compiler;

/// <summary>The compiler's version, as printed by <c>--version</c> and stamped in generated code.</summary>
public static class CompilerInfo
{
    public static string Version { get; } =
        typeof(CompilerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CompilerInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
