/** `barbucket rm [-r] [--force] [--include G] [--exclude G] oss://bucket/key`: deletes objects. */
import { EXIT, NotFoundError, UsageError } from "../exit-codes.js";
import { listOption } from "../args.js";
import { pathFilter } from "../glob.js";
import { formatOssUrl, parseOssUrl } from "../oss-url.js";
import { Progress } from "../progress.js";
import { ossCommand } from "./common.js";
import { deletePrefix } from "./delete.js";

export const rmCommand = ossCommand({
  name: "rm",
  summary: "remove an object, or every object under a prefix (-r)",
  usage: `usage: barbucket rm [--force] oss://bucket/key
       barbucket rm -r [--force] [--include GLOB]... [--exclude GLOB]... oss://bucket[/prefix]

Deletes one object (exit 3 if it does not exist, unless --force), or with -r every object whose key
starts with the prefix (filtered by the globs, matched against the key after the prefix).`,
  optionsHelp: `  -r, --recursive   every object under the prefix
  --include GLOB    only keys matching (repeatable; * ** ? [..]; without "/" also the base name)
  --exclude GLOB    not keys matching (repeatable; wins over --include)
  --force           no error for a missing object; with -r, allows a whole bucket (empty prefix)`,
  options: { recursive: { type: "boolean", short: "r" }, force: { type: "boolean" }, include: { type: "string", multiple: true }, exclude: { type: "string", multiple: true } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values, io, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    const oss = client(bucket);
    if (values.recursive) {
      if (key === "" && !values.force) throw new UsageError("rm -r of a whole bucket needs --force");
      const filter = pathFilter(listOption(values, "include"), listOption(values, "exclude"));
      const progress = new Progress(io);
      const n = await deletePrefix(oss, key, filter, (k) => progress.done(`deleted ${formatOssUrl(bucket, k)}`));
      progress.end();
      if (n === 0 && !values.force) throw new NotFoundError(`no object under ${formatOssUrl(bucket, key)}`);
      return EXIT.ok;
    }
    if (key === "") throw new UsageError("rm needs an object key (or -r for a prefix)");
    if (!values.force) await oss.head(key); // NoSuchKey → exit 3: DeleteObject itself succeeds for a missing key
    await oss.delete(key);
    io.err(`deleted ${formatOssUrl(bucket, key)}`);
    return EXIT.ok;
  },
});
