namespace OrleansRing.Api.Contracts;

/// <summary>One plugin parameter: type as the command line describes it ("double in [0, inf]"), default, allowed values.</summary>
public sealed record PluginParameterResponse(string Name, string Type, string Default, string Description, IReadOnlyList<string> AllowedValues);
