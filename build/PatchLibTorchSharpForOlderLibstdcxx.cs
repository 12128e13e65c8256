// MSBuild inline task (RoslynCodeTaskFactory). Why it exists: build/TorchSharpOnOlderLibstdcxx.targets.
#nullable enable
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharpForOlderLibstdcxx : Task
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string NeededVersion = "GLIBCXX_3.4.32";
    private const string OnlySymbolExpected = "_ZSt21ios_base_library_initv";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string[] NativeDirectories { get; set; } = Array.Empty<string>();
    [Required] public string ShimSource { get; set; } = "";
    [Required] public string ShimFileName { get; set; } = "";
    [Required] public string IntermediateDirectory { get; set; } = "";

    public override bool Execute()
    {
        string? systemLibstdcxx = FindSystemLibstdcxx();
        bool systemHasVersion = systemLibstdcxx != null && FileContains(systemLibstdcxx, NeededVersion + "\0");
        foreach (string directory in NativeDirectories)
        {
            string library = Path.Combine(directory, LibraryName);
            if (!File.Exists(library))
            {
                continue;
            }

            string shim = Path.Combine(directory, ShimFileName);
            if (systemHasVersion)
            {
                // Leave newer systems untouched; remove a shim left from a build on an older system.
                if (File.Exists(shim))
                {
                    File.Delete(shim);
                }
                Log.LogMessage(MessageImportance.Low, $"{systemLibstdcxx} provides {NeededVersion}; {library} used as shipped.");
                continue;
            }

            try
            {
                PatchLibrary(library);
                File.Copy(BuildShim(), shim, overwrite: true);
            }
            catch (Exception ex)
            {
                Log.LogError($"OrleansRing could not adapt {library} to this system's libstdc++ ({systemLibstdcxx ?? "not found"}, lacks {NeededVersion}): {ex.Message}");
                return false;
            }
            Log.LogMessage(MessageImportance.Normal, $"Adapted {library} for {systemLibstdcxx ?? "libstdc++"} without {NeededVersion}; shim at {shim}.");
        }
        return !Log.HasLoggedErrors;
    }

    private static string? FindSystemLibstdcxx()
    {
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig))
            {
                continue;
            }
            var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using Process? process = Process.Start(start);
            if (process == null)
            {
                continue;
            }
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (string line in output.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && trimmed.Contains("x86-64"))
                {
                    int arrow = trimmed.IndexOf("=>", StringComparison.Ordinal);
                    if (arrow > 0)
                    {
                        return trimmed.Substring(arrow + 2).Trim();
                    }
                }
            }
        }
        foreach (string candidate in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool FileContains(string path, string text)
    {
        byte[] haystack = File.ReadAllBytes(path);
        byte[] needle = Encoding.ASCII.GetBytes(text);
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }
            if (j == needle.Length)
            {
                return true;
            }
        }
        return false;
    }

    // Marks the GLIBCXX_3.4.32 need weak (VER_FLG_WEAK in .gnu.version_r) and makes every symbol bound to
    // that version unversioned (.gnu.version entry 1). Refuses to touch anything it does not recognise.
    private static void PatchLibrary(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        ulong sectionTable = BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        int verneed = -1, versym = -1;
        for (int i = 0; i < sectionCount; i++)
        {
            uint type = BitConverter.ToUInt32(elf, (int)sectionTable + i * entrySize + 4);
            if (type == ShtGnuVerneed) verneed = i;
            if (type == ShtGnuVersym) versym = i;
        }
        if (verneed < 0 || versym < 0)
        {
            throw new InvalidDataException("no .gnu.version_r / .gnu.version sections");
        }

        int Header(int index) => (int)sectionTable + index * entrySize;
        int Offset(int index) => (int)BitConverter.ToUInt64(elf, Header(index) + 24);
        int Size(int index) => (int)BitConverter.ToUInt64(elf, Header(index) + 32);
        int Link(int index) => (int)BitConverter.ToUInt32(elf, Header(index) + 40);
        string ReadString(int stringSection, uint offset)
        {
            int start = Offset(stringSection) + (int)offset;
            int end = Array.IndexOf(elf, (byte)0, start);
            return Encoding.ASCII.GetString(elf, start, end - start);
        }

        int verneedStrings = Link(verneed);
        int needCount = (int)BitConverter.ToUInt32(elf, Header(verneed) + 44);
        int need = Offset(verneed);
        int versionIndex = -1;
        bool alreadyWeak = false;
        for (int n = 0; n < needCount; n++)
        {
            int auxCount = BitConverter.ToUInt16(elf, need + 2);
            int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
            for (int a = 0; a < auxCount; a++)
            {
                if (ReadString(verneedStrings, BitConverter.ToUInt32(elf, aux + 8)) == NeededVersion)
                {
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    alreadyWeak = (flags & VerFlgWeak) != 0;
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                    versionIndex = BitConverter.ToUInt16(elf, aux + 6);
                }
                aux += (int)BitConverter.ToUInt32(elf, aux + 12);
            }
            need += (int)BitConverter.ToUInt32(elf, need + 12);
        }
        if (versionIndex < 0)
        {
            throw new InvalidDataException($"it does not need {NeededVersion}; this TorchSharp build is not the one the fix was made for");
        }

        int dynsym = Link(versym);
        int dynsymStrings = Link(dynsym);
        int symbolCount = Size(versym) / 2;
        int rebound = 0;
        for (int s = 0; s < symbolCount; s++)
        {
            int at = Offset(versym) + s * 2;
            if ((BitConverter.ToUInt16(elf, at) & 0x7fff) != versionIndex)
            {
                continue;
            }
            string name = ReadString(dynsymStrings, BitConverter.ToUInt32(elf, Offset(dynsym) + s * 24));
            if (name != OnlySymbolExpected)
            {
                throw new InvalidDataException($"symbol {name} also needs {NeededVersion}; only {OnlySymbolExpected} can be shimmed");
            }
            BitConverter.GetBytes((ushort)1).CopyTo(elf, at);
            rebound++;
        }
        if (rebound == 0 && alreadyWeak)
        {
            return; // Patched by an earlier build.
        }

        // Replace rather than rewrite in place, so a hard link into the NuGet cache is never modified.
        string temporary = path + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Delete(path);
        File.Move(temporary, path);
    }

    private string BuildShim()
    {
        Directory.CreateDirectory(IntermediateDirectory);
        string output = Path.Combine(IntermediateDirectory, ShimFileName);
        if (File.Exists(output) && File.GetLastWriteTimeUtc(output) >= File.GetLastWriteTimeUtc(ShimSource))
        {
            return output;
        }
        var start = new ProcessStartInfo("g++", $"-shared -fPIC -O2 -o \"{output}\" \"{ShimSource}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("g++ did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("g++ is needed to build the libstdc++ shim; install it (Debian: apt-get install g++)");
        }
        using (process)
        {
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"g++ failed ({process.ExitCode}): {errors}");
            }
        }
        return output;
    }
}
