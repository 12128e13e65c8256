namespace OrleansRing.Sweeps;

/// <summary>A place in a sweep file, 1-based, as editors show it.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
