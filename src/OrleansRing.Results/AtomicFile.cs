using System.Text;

namespace OrleansRing.Results;

/// <summary>Writes to a temporary name and renames, so a reader (or a rerun after a crash) never sees half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
