namespace OrleansRing.Api.Contracts;

/// <summary>A plugin in the silo's plugins folder (attack or defence) with its typed parameters.</summary>
public sealed record PluginResponse(string Name, string Kind, string Description, bool Omniscient, string? Reference, IReadOnlyList<PluginParameterResponse> Parameters);
