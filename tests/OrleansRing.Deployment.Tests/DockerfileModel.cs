namespace OrleansRing.Deployment.Tests;

/// <summary>
/// A Dockerfile read as instructions (continuation lines joined, comments dropped), split into build stages, with
/// global ARG defaults substituted into FROM lines. Enough to check structure without a Docker engine.
/// </summary>
internal sealed class DockerfileModel
{
    private DockerfileModel(IReadOnlyList<IReadOnlyList<(string Instruction, string Arguments)>> stages, IReadOnlyList<string> bases)
    {
        Stages = stages;
        Bases = bases;
    }

    /// <summary>Each stage's instructions, FROM first.</summary>
    public IReadOnlyList<IReadOnlyList<(string Instruction, string Arguments)>> Stages { get; }

    /// <summary>Each stage's base image, ARG defaults substituted.</summary>
    public IReadOnlyList<string> Bases { get; }

    public IReadOnlyList<(string Instruction, string Arguments)> Final => Stages[^1];

    public static DockerfileModel Load(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }
        var arguments = new Dictionary<string, string>();
        var stages = new List<List<(string, string)>>();
        var bases = new List<string>();
        foreach (var (instruction, value) in instructions)
        {
            if (instruction == "ARG" && stages.Count == 0 && value.Contains('=', StringComparison.Ordinal))
            {
                var equals = value.IndexOf('=', StringComparison.Ordinal);
                arguments[value[..equals]] = value[(equals + 1)..];
            }
            if (instruction == "FROM")
            {
                stages.Add([]);
                var image = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                foreach (var (name, defaultValue) in arguments)
                {
                    image = image.Replace("${" + name + "}", defaultValue, StringComparison.Ordinal);
                }
                bases.Add(image);
            }
            if (stages.Count > 0)
            {
                stages[^1].Add((instruction, value));
            }
        }
        return new DockerfileModel([.. stages], bases);
    }

    /// <summary>The final stage's ENV settings (KEY=VALUE pairs, several per line).</summary>
    public Dictionary<string, string> FinalEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, value) in Final.Where(i => i.Instruction == "ENV"))
        {
            foreach (var pair in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                environment[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        return environment;
    }
}
