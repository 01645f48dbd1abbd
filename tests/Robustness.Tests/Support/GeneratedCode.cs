using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Policyc.Robustness.Tests.Support;

/// <summary>
/// Checks that generated code is only what the emitter means to write, whatever the policy's text:
/// the C# parses to static classes of static rule methods over <c>in HookContext</c>, with no
/// directive but <c>#nullable</c> and <c>#line</c>; and the assembly references only the
/// runtime contract and System.Runtime, and only a short list of core types.
/// </summary>
static class GeneratedCode
{
    static readonly string[] AllowedTypes =
    [
        "System.Object", "System.Math", "System.OverflowException", "System.DivideByZeroException",
        "System.Runtime.CompilerServices.*", "System.Diagnostics.DebuggableAttribute", "System.Diagnostics.DebuggableAttribute/*",
        "System.Reflection.AssemblyMetadataAttribute", "Microsoft.CodeAnalysis.*", "Policyc.Runtime.Policy.*",
    ];

    public static void AssertOnlyRuleMethods(string csharp)
    {
        var root = CSharpSyntaxTree.ParseText(csharp).GetCompilationUnitRoot();
        Assert.Empty(root.GetDiagnostics());
        Assert.All(root.Usings, u => Assert.Equal("Policyc.Runtime.Policy", u.Name!.ToString()));
        var members = root.Members.Single() is FileScopedNamespaceDeclarationSyntax ns
            ? ns.Members
            : throw new Xunit.Sdk.XunitException("expected one file-scoped namespace");
        foreach (var member in members)
        {
            var type = Assert.IsType<ClassDeclarationSyntax>(member);
            Assert.True(type.Modifiers.Any(SyntaxKind.StaticKeyword), type.Identifier.Text);
            Assert.Matches("^[A-Za-z0-9_]+$", type.Identifier.Text);
            foreach (var inner in type.Members)
                AssertRuleMember(inner);
        }
        foreach (var creation in root.DescendantNodes().OfType<ObjectCreationExpressionSyntax>())
            Assert.Contains(creation.Type.ToString(), new[] { "PolicyFault", "System.OverflowException" });
        Assert.DoesNotContain(root.DescendantNodes(), n => n is LambdaExpressionSyntax or AnonymousMethodExpressionSyntax
            or TypeOfExpressionSyntax or LocalFunctionStatementSyntax or AttributeListSyntax or UnsafeStatementSyntax);
        // Comments carry the rule's text for readers: printable ASCII only, so no character can end them early.
        foreach (var comment in root.DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)))
            Assert.True(comment.ToString().All(c => c >= 0x20 && c < 0x7f), "comment with a non-printable character: " + comment);
        foreach (var doc in root.DescendantNodes(descendIntoTrivia: true).OfType<XmlTextSyntax>())
            Assert.True(doc.TextTokens.All(t => t.IsKind(SyntaxKind.XmlTextLiteralNewLineToken) || t.Text.All(c => c >= 0x20 && c < 0x7f)),
                "documentation comment with a non-printable character: " + doc);
        foreach (var directive in root.DescendantTrivia().Where(t => t.IsDirective))
        {
            string text = directive.ToString();
            Assert.True(text == "#nullable enable" || text == "#line default" || System.Text.RegularExpressions.Regex.IsMatch(text, "^#line [0-9]+ \"[^\"\\\\]*\"$"),
                "unexpected directive: " + text);
        }
    }

    /// <summary>A static rule method, or the static readonly <c>RuleOrigin</c> made of literals that names it in faults.</summary>
    static void AssertRuleMember(MemberDeclarationSyntax member)
    {
        Assert.True(member.Modifiers.Any(SyntaxKind.StaticKeyword), member.ToString());
        Assert.Empty(member.AttributeLists);
        switch (member)
        {
            case MethodDeclarationSyntax:
                break;
            case FieldDeclarationSyntax field:
                Assert.Equal("RuleOrigin", field.Declaration.Type.ToString());
                var value = Assert.IsType<ImplicitObjectCreationExpressionSyntax>(Assert.Single(field.Declaration.Variables).Initializer!.Value);
                Assert.All(value.ArgumentList.Arguments, a => Assert.IsType<LiteralExpressionSyntax>(a.Expression));
                break;
            default:
                throw new Xunit.Sdk.XunitException("unexpected member in generated code: " + member);
        }
    }

    public static void AssertOnlyContractReferences(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var assemblies = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).Order().ToArray();
        Assert.Equal(["Policyc.Runtime", "System.Runtime"], assemblies);
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            string name = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                var outer = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
                name = metadata.GetString(outer.Namespace) + "." + metadata.GetString(outer.Name) + "/" + metadata.GetString(type.Name);
            }
            Assert.True(AllowedTypes.Any(a => a.EndsWith('*') ? name.StartsWith(a[..^1], StringComparison.Ordinal) : name == a),
                "generated code references " + name);
        }
        // Member references too: a call to Environment.Exit would show up as a type reference above,
        // but make the rule explicit for the members of the allowed core types.
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference
                && metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)member.Parent).Name) == "Math")
                Assert.Contains(metadata.GetString(member.Name), new[] { "Min", "Max", "Abs", "Clamp" });
        }
    }
}
