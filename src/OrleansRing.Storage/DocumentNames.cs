namespace OrleansRing.Storage;

/// <summary>Blob names of experiment-level documents: <c>{experiment}/documents/{name}</c>, name of 1-64 of a-z, 0-9, '-', '.'.</summary>
public static class DocumentNames
{
    public const string Segment = "documents";

    public static string BlobName(string experimentId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is < 1 or > 64 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.') || name.StartsWith('.'))
        {
            throw new ArgumentException($"Document name '{name}' must be 1-64 characters of a-z, 0-9, '-' or '.', not starting with '.'.", nameof(name));
        }
        return $"{ExperimentIds.EnsureValid(experimentId)}/{Segment}/{name}";
    }
}
