using System.Text;

namespace Policyc.Cli.Output;

/// <summary>
/// A writer that drops the spaces at the end of each line. Table cells are padded to their column's width,
/// which is invisible on a terminal but leaves trailing blanks in a saved report or a pasted email.
/// </summary>
public sealed class TrailingSpaceTrimmer(TextWriter inner) : TextWriter
{
    readonly StringBuilder pendingSpaces = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                pendingSpaces.Append(value);
                break;
            case '\n':
            case '\r':
                pendingSpaces.Clear();
                inner.Write(value);
                break;
            default:
                if (pendingSpaces.Length > 0)
                {
                    inner.Write(pendingSpaces.ToString());
                    pendingSpaces.Clear();
                }
                inner.Write(value);
                break;
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
            Write(c);
    }

    public override void Flush() => inner.Flush();
}
