// Builds the Teams app package (the zip to upload in Teams) with your bot's Microsoft App ID filled in:
//   dotnet run manifests/teams/package.cs -- <app-id> [host] [output.zip]
using System.IO.Compression;
using System.Text.RegularExpressions;

if (args.Length < 1 || !Guid.TryParse(args[0], out var appId))
{
    Console.Error.WriteLine("usage: dotnet run manifests/teams/package.cs -- <microsoft-app-id (a GUID)> [public host] [output.zip]");
    return 64;
}
var host = args.Length > 1 ? args[1] : "YOUR-HOST";
if (!Regex.IsMatch(host, @"^[A-Za-z0-9.-]+(:\d+)?$"))
{
    Console.Error.WriteLine($"'{host}' is not a host name.");
    return 64;
}
var output = Path.GetFullPath(args.Length > 2 ? args[2] : "teams-app.zip");
// Run from the repository root, as the README shows.
var folder = Path.Combine(Environment.CurrentDirectory, "manifests", "teams");
if (!File.Exists(Path.Combine(folder, "manifest.json")))
{
    Console.Error.WriteLine($"Run this from the repository root ({folder}/manifest.json was not found).");
    return 66;
}

var manifest = File.ReadAllText(Path.Combine(folder, "manifest.json"))
    .Replace("00000000-0000-0000-0000-000000000000", appId.ToString("D"))
    .Replace("YOUR-HOST", host);
File.Delete(output);
using (var zip = ZipFile.Open(output, ZipArchiveMode.Create))
{
    using (var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open())) writer.Write(manifest);
    zip.CreateEntryFromFile(Path.Combine(folder, "color.png"), "color.png");
    zip.CreateEntryFromFile(Path.Combine(folder, "outline.png"), "outline.png");
}
Console.WriteLine($"Teams app package written to {output}");
return 0;
