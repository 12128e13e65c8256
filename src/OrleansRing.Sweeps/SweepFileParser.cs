using System.Globalization;
using System.Text.RegularExpressions;
using OrleansRing.Abstractions;
using OrleansRing.Plugins.Host;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrleansRing.Sweeps;

/// <summary>
/// Reads a sweep file: `name`, optional `description`, a `base` configuration and `axes`. Any parameter given as
/// a list (in either section) is an axis; the grid is the product of the axes, in file order. Every problem is
/// collected with its line and column before anything runs.
/// </summary>
public static partial class SweepFileParser
{
    /// <summary>The name of a single run (<see cref="ParseRun"/>): its experiment ids start with "run-".</summary>
    public const string RunName = "run";

    private static readonly string[] s_sections = ["name", "description", "base", "axes"];

    public static SweepDefinition ParseFile(string path, SweepOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SweepFileException([new SweepProblem(path, new SourceLocation(1, 1), $"cannot read the sweep file: {ex.Message}")]);
        }
        return Parse(text, path, overrides);
    }

    public static SweepDefinition Parse(string text, string sourcePath, SweepOverrides? overrides = null) =>
        Parse(text, sourcePath, overrides, isRun: false);

    /// <summary>
    /// One experiment, written as a flat mapping of the `run` command's options (the keys of a sweep file's
    /// <c>base</c>), e.g. <c>{workers: 4, iterations: 8, attack: gradient-ascent}</c>, in YAML or JSON. Its id is
    /// "run-" and the configuration's hash, so submitting the same run twice names the same experiment.
    /// </summary>
    /// <exception cref="SweepFileException">Every problem, with its line, column and parameter; a list is one.</exception>
    public static SweepDefinition ParseRun(string text, string sourcePath, SweepOverrides? overrides = null) =>
        Parse(text, sourcePath, overrides, isRun: true);

    private static SweepDefinition Parse(string text, string sourcePath, SweepOverrides? overrides, bool isRun)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourcePath);
        overrides ??= SweepOverrides.None;
        var reader = new Reader(sourcePath, new SweepParseContext(Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? "."));
        var root = reader.Load(text);
        string? name = isRun ? RunName : null;
        string? description = null;
        var entries = new List<(string Key, YamlNode Value, SourceLocation Location)>();
        var axisKeys = new List<string>();

        void AddParameters(YamlMappingNode section, string sectionKey)
        {
            foreach (var (parameterKey, parameterValue) in section.Children)
            {
                var parameter = reader.Key(parameterKey);
                if (parameter is null)
                {
                    continue;
                }
                if (SweepParameters.Find(parameter) is null)
                {
                    reader.Problem(parameterKey, $"unknown parameter '{parameter}'.{NameSuggestion.DidYouMean(parameter, SweepParameters.All.Select(p => p.Key))} Known: {string.Join(", ", SweepParameters.All.Select(p => p.Key))}.", parameter);
                    continue;
                }
                if (entries.Any(e => e.Key == parameter))
                {
                    reader.Problem(parameterKey, $"'{parameter}' is set twice (in base and axes, or twice in one section).", parameter);
                    continue;
                }
                if (sectionKey == "axes" && parameterValue is not YamlSequenceNode)
                {
                    reader.Problem(parameterValue, $"axis '{parameter}' must be a list of values, e.g. {parameter}: [a, b]; put single values under base.", parameter);
                    continue;
                }
                if (sectionKey == RunName && parameterValue is YamlSequenceNode)
                {
                    reader.Problem(parameterValue, $"'{parameter}': a run takes one value; a list of values makes a sweep (submit it as a sweep file with axes).", parameter);
                    continue;
                }
                entries.Add((parameter, parameterValue, Location(parameterKey)));
            }
        }

        if (root is not null && isRun)
        {
            AddParameters(root, RunName);
        }
        else if (root is not null)
        {
            foreach (var (keyNode, value) in root.Children)
            {
                var key = reader.Key(keyNode);
                switch (key)
                {
                    case null:
                        break;
                    case "name":
                        name = reader.Name(value);
                        break;
                    case "description":
                        description = reader.Scalar(value, "description");
                        break;
                    case "base" or "axes":
                        if (value is not YamlMappingNode section)
                        {
                            reader.Problem(value, $"'{key}' must be a mapping of parameter: value.");
                            break;
                        }
                        AddParameters(section, key);
                        break;
                    default:
                        reader.Problem(keyNode, $"unknown section '{key}'.{NameSuggestion.DidYouMean(key, s_sections)} A sweep file has: {string.Join(", ", s_sections)}.");
                        break;
                }
            }
            if (name is null && !root.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "name"))
            {
                reader.Problem(root, "the sweep needs a 'name' (lowercase letters, digits and '-', up to 40 characters).", "name");
            }
        }

        // Each parameter's candidate values; a list (or a plugin mapping with lists) is an axis.
        var candidates = new List<(SweepParameter Parameter, List<Candidate> Values)>();
        foreach (var (key, value, _) in entries)
        {
            var parameter = SweepParameters.Find(key)!;
            if (overrides.Values.ContainsKey(key))
            {
                continue;
            }
            var values = reader.Candidates(parameter, value);
            if (values.Count == 0)
            {
                continue;
            }
            candidates.Add((parameter, values));
            if (value is YamlSequenceNode || values.Count > 1)
            {
                axisKeys.Add(key);
            }
        }
        foreach (var (key, overrideText) in overrides.Values)
        {
            if (SweepParameters.Find(key) is not { } parameter)
            {
                reader.CommandLineProblem($"--set: unknown parameter '{key}'.{NameSuggestion.DidYouMean(key, SweepParameters.All.Select(p => p.Key))}", key);
                continue;
            }
            try
            {
                var (normalised, apply) = parameter.Parse(overrideText, new SweepParseContext(Directory.GetCurrentDirectory()));
                candidates.Add((parameter, [new Candidate(new SweepSetting(key, normalised, new SourceLocation(0, 0)), apply)]));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                reader.CommandLineProblem($"{key}={overrideText}: {ex.Message}", key);
            }
        }

        var size = candidates.Aggregate(1L, (product, c) => Math.Min(product * c.Values.Count, long.MaxValue / 1024));
        if (size > overrides.MaxExperiments)
        {
            reader.Problem(new SourceLocation(1, 1), $"the grid expands to {size:N0} experiments, more than the limit of {overrides.MaxExperiments:N0}.");
        }
        reader.ThrowIfProblems();

        var ordered = candidates.OrderBy(c => SweepParameters.All.ToList().IndexOf(c.Parameter)).ToList();
        var byFileOrder = candidates.Select(c => c.Parameter.Key).ToList();
        var experiments = new List<SweepExperiment>();
        var seen = new Dictionary<string, SweepExperiment>();
        foreach (var combination in Product(candidates.Select(c => c.Values).ToList()))
        {
            // Configuration in parameter order (data before its refinements); settings in file order.
            var byKey = candidates.Select((c, i) => (c.Parameter, Choice: combination[i])).ToList();
            var config = SweepParameters.Defaults;
            foreach (var (parameter, choice) in byKey.OrderBy(b => ordered.FindIndex(o => o.Parameter == b.Parameter)))
            {
                config = choice.Apply(config);
            }
            if (config.Attack is not null && !byKey.Any(b => b.Parameter.Key is "attackers" or "attacker-ranks"))
            {
                config = config with { AttackerCount = 1 };
            }
            var name0 = name ?? "sweep";
            var id = ExperimentIdentity.For(name0, config);
            config = config with { ExperimentId = id };
            var settings = byKey.Select(b => b.Choice.Setting).ToList();
            var experiment = new SweepExperiment(id, config, settings);
            if (seen.TryGetValue(id, out var twin))
            {
                var where = settings.FirstOrDefault(s => s.Location.Line > 0)?.Location ?? new SourceLocation(1, 1);
                reader.Problem(where, $"two grid points are the same experiment ({Describe(twin)} and {Describe(experiment)}); remove the repeated value.");
                continue;
            }
            seen.Add(id, experiment);
            experiments.Add(experiment);
        }
        if (isRun && experiments.Count > 1)
        {
            reader.Problem(new SourceLocation(1, 1), $"a run is one experiment; these values expand to {experiments.Count}: submit them as a sweep.");
        }
        reader.ThrowIfProblems();
        return new SweepDefinition(name!, description, sourcePath, axisKeys.Where(byFileOrder.Contains).ToList(), experiments);
    }

    private static string Describe(SweepExperiment experiment) =>
        "{" + string.Join(", ", experiment.Settings.Select(s => $"{s.Key}={s.Value}")) + "}";

    private static IEnumerable<Candidate[]> Product(IReadOnlyList<List<Candidate>> axes)
    {
        var indices = new int[axes.Count];
        while (true)
        {
            yield return [.. axes.Select((a, i) => a[indices[i]])];
            var position = axes.Count - 1;
            while (position >= 0 && ++indices[position] == axes[position].Count)
            {
                indices[position] = 0;
                position--;
            }
            if (position < 0)
            {
                yield break;
            }
        }
    }

    private static SourceLocation Location(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex SweepName();

    private sealed record Candidate(SweepSetting Setting, Func<ExperimentConfig, ExperimentConfig> Apply);

    /// <summary>Walks the YAML, collecting problems instead of stopping at the first.</summary>
    private sealed class Reader(string file, SweepParseContext context)
    {
        private readonly List<SweepProblem> _problems = [];

        public YamlMappingNode? Load(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                _problems.Add(new SweepProblem(file, new SourceLocation((int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
                ThrowIfProblems();
            }
            if (stream.Documents.Count == 0)
            {
                _problems.Add(new SweepProblem(file, new SourceLocation(1, 1), "the sweep file is empty; it needs at least 'name' and 'base' or 'axes'."));
                ThrowIfProblems();
            }
            if (stream.Documents.Count > 1)
            {
                Problem(stream.Documents[1].RootNode, "a sweep file holds one YAML document; found a second.");
            }
            var root = stream.Documents[0].RootNode;
            if (root is YamlMappingNode mapping)
            {
                return mapping;
            }
            Problem(root, "the sweep file must be a mapping with 'name', 'base' and 'axes'.");
            return null;
        }

        public void Problem(YamlNode node, string message, string? field = null) => Problem(Location(node), message, field);

        public void Problem(SourceLocation location, string message, string? field = null) => _problems.Add(new SweepProblem(file, location, message, field));

        public void CommandLineProblem(string message, string? field = null) => _problems.Add(new SweepProblem("command line", new SourceLocation(0, 0), message, field));

        public void ThrowIfProblems()
        {
            if (_problems.Count > 0)
            {
                throw new SweepFileException([.. _problems.OrderBy(p => p.Location.Line).ThenBy(p => p.Location.Column)]);
            }
        }

        public string? Key(YamlNode node)
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } key })
            {
                return key;
            }
            Problem(node, "keys must be plain names.");
            return null;
        }

        public string? Scalar(YamlNode node, string what)
        {
            if (node is YamlScalarNode scalar)
            {
                return scalar.Value ?? "";
            }
            Problem(node, $"'{what}' must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}.", what);
            return null;
        }

        public string? Name(YamlNode node)
        {
            var name = Scalar(node, "name");
            if (name is not null && !SweepName().IsMatch(name))
            {
                Problem(node, $"name '{name}' must be 1-40 lowercase letters, digits and '-', starting with a letter or digit (it prefixes experiment ids).", "name");
                return null;
            }
            return name;
        }

        public List<Candidate> Candidates(SweepParameter parameter, YamlNode node)
        {
            var values = new List<Candidate>();
            switch (node)
            {
                case YamlSequenceNode { Children.Count: 0 }:
                    Problem(node, $"'{parameter.Key}' is an empty list; an axis needs at least one value.", parameter.Key);
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        if (item is YamlSequenceNode)
                        {
                            Problem(item, $"'{parameter.Key}': a list inside a list is not a value.", parameter.Key);
                            continue;
                        }
                        values.AddRange(Candidates(parameter, item));
                    }
                    break;
                case YamlMappingNode mapping when parameter.AcceptsPluginMapping:
                    foreach (var spec in PluginSpecs(parameter, mapping))
                    {
                        values.AddRange(Parse(parameter, spec, mapping));
                    }
                    break;
                case YamlMappingNode:
                    Problem(node, $"'{parameter.Key}' takes a value or a list of values, not a mapping.", parameter.Key);
                    break;
                case YamlScalarNode scalar:
                    values.AddRange(Parse(parameter, scalar.Value ?? "", scalar));
                    break;
            }
            return values;
        }

        private List<Candidate> Parse(SweepParameter parameter, string text, YamlNode node)
        {
            try
            {
                var (normalised, apply) = parameter.Parse(text.Trim(), context);
                return [new Candidate(new SweepSetting(parameter.Key, normalised, Location(node)), apply)];
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                Problem(node, $"{parameter.Key}: {ex.Message}", parameter.Key);
                return [];
            }
        }

        /// <summary>{name: random-value, std: [0.3, 1]} → "random-value:std=0.3", "random-value:std=1".</summary>
        private List<string> PluginSpecs(SweepParameter parameter, YamlMappingNode mapping)
        {
            string? pluginName = null;
            var axes = new List<(string Key, List<string> Values)>();
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = Key(keyNode);
                if (key is null)
                {
                    continue;
                }
                if (key == "name")
                {
                    pluginName = Scalar(value, $"{parameter.Key}.name");
                    continue;
                }
                var list = value switch
                {
                    YamlScalarNode s => [s.Value ?? ""],
                    YamlSequenceNode { Children.Count: > 0 } seq when seq.Children.All(c => c is YamlScalarNode) => seq.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
                    _ => null,
                };
                if (list is null)
                {
                    Problem(value, $"{parameter.Key}.{key} must be a value or a non-empty list of values.", parameter.Key);
                    continue;
                }
                if (list.Any(v => v.Contains(',', StringComparison.Ordinal) || v.Contains('=', StringComparison.Ordinal)))
                {
                    Problem(value, $"{parameter.Key}.{key}: values may not contain ',' or '='.", parameter.Key);
                    continue;
                }
                axes.Add((key, list));
            }
            if (pluginName is null)
            {
                Problem(mapping, $"'{parameter.Key}' written as a mapping needs 'name: PLUGIN'.", parameter.Key);
                return [];
            }
            var specs = new List<string> { pluginName };
            foreach (var (key, values) in axes)
            {
                specs = [.. specs.SelectMany(s => values.Select(v => s + (s.Contains(':', StringComparison.Ordinal) ? "," : ":") + key + "=" + v.Trim()))];
            }
            return specs;
        }
    }
}
