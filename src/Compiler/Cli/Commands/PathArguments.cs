using System.CommandLine;
using System.CommandLine.Parsing;

namespace Policyc.Cli.Commands;

/// <summary>
/// The file and directory arguments of every command. A word starting with '-' is an unknown
/// option, not a path: a usage error (exit 2) rather than "cannot read '--bogus'" or
/// "--bogus: no such policy file". A lone '-' stays a path; an empty word is a usage error too.
/// </summary>
static class PathArguments
{
    public static Argument<string> One(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(RejectNonPaths);
        return argument;
    }

    public static Argument<string[]> Many(string name, string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = arity };
        argument.Validators.Add(RejectNonPaths);
        return argument;
    }

    static void RejectNonPaths(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.StartsWith('-') && token.Value.Length > 1)
                result.AddError($"unknown option '{token.Value}'");
            else if (token.Value.Length == 0)
                result.AddError($"an empty {result.Argument.Name} ('' is no file name; an unset shell variable?)");
        }
    }
}
