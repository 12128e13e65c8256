namespace OrleansRing.Storage;

/// <summary>
/// Rules for experiment ids, the first segment of every blob name: 1 to 64 characters of lowercase
/// ASCII letters, digits, '-' and '_', starting with a letter or digit. Lowercase only because a
/// folder store on a case-insensitive file system would otherwise merge "Run1" and "run1"; no '.'
/// or '/' so an id can never climb out of its folder or hide among temp files.
/// </summary>
public static class ExperimentIds
{
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="experimentId"/> follows the rules; otherwise <paramref name="error"/> says why.</summary>
    public static bool IsValid(string? experimentId, out string? error)
    {
        error = Check(experimentId);
        return error is null;
    }

    /// <summary>Returns <paramref name="experimentId"/> unchanged, or throws an <see cref="ArgumentException"/> that says which rule it breaks.</summary>
    public static string EnsureValid(string? experimentId, string? paramName = null)
    {
        var error = Check(experimentId);
        if (error is not null)
        {
            throw new ArgumentException(error, paramName ?? nameof(experimentId));
        }
        return experimentId!;
    }

    private static string? Check(string? id)
    {
        const string Rule = "Experiment ids are 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit";
        if (string.IsNullOrEmpty(id))
        {
            return $"{Rule}; got an empty id.";
        }
        if (id.Length > MaxLength)
        {
            return $"{Rule}; got {id.Length} characters: '{id[..20]}...'.";
        }
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (i > 0 && c is '-' or '_');
            if (!ok)
            {
                return $"{Rule}; '{id}' has '{c}' at position {i}.";
            }
        }
        return null;
    }
}
