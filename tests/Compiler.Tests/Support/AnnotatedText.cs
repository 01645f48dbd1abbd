using System.Text;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Tests.Support;

/// <summary>
/// Source with expected diagnostic spans marked inline by <c>[</c> and <c>]</c> (which the language
/// does not use), so a test reads like the policy it checks. Marks come out of the text.
/// </summary>
sealed record AnnotatedText(string Text, IReadOnlyList<TextSpan> Spans)
{
    public static AnnotatedText Parse(string annotated)
    {
        var text = new StringBuilder();
        var spans = new List<TextSpan>();
        var starts = new Stack<int>();
        foreach (char c in annotated)
        {
            if (c == '[')
                starts.Push(text.Length);
            else if (c == ']')
                spans.Add(TextSpan.FromBounds(starts.Pop(), text.Length));
            else
                text.Append(c);
        }
        if (starts.Count > 0)
            throw new ArgumentException("unbalanced '[' in annotated text");
        return new AnnotatedText(text.ToString(), spans.OrderBy(s => s.Start).ToArray());
    }
}
