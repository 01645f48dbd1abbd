using System.Reflection;
using System.Runtime.Loader;

namespace Policyc.Compiler.Emit;

/// <summary>
/// A collectible context for one compiled policy, so rebuilding a policy in a long-lived process
/// does not leak assemblies. The contract assembly resolves to the host's copy (types must match).
/// </summary>
sealed class PolicyAssemblyLoadContext() : AssemblyLoadContext("policyc-policy", isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;

    public static Assembly LoadPolicy(byte[] image)
    {
        var context = new PolicyAssemblyLoadContext();
        using var stream = new MemoryStream(image, writable: false);
        return context.LoadFromStream(stream);
    }
}
