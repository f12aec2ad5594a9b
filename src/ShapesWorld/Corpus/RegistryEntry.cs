using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>One recognisable image: pixel hash, the scene seed, the rendered size and the scene itself.</summary>
public sealed record RegistryEntry(string Sha256, ulong Seed, int Size, Scene Scene);
