/**
 * `--include` / `--exclude` globs of `cp -r` and `rm -r`, matched against the path relative to the
 * source folder or prefix ("/"-separated): `*` any run without "/", `**` any run, `?` one character,
 * `[abc]` a class. A pattern without "/" matches the base name too (like ossutil's and mc's filters).
 */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") { i++; re += "(?:.*/)?"; } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) { re += "\\["; continue; }
      let cls = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
      if (cls.startsWith("!")) cls = "^" + cls.slice(1);
      re += `[${cls}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export interface PathFilter {
  (relativePath: string): boolean;
}

/**
 * Included when no include is given or one include matches, and no exclude matches. Excludes win.
 */
export function pathFilter(includes: readonly string[], excludes: readonly string[]): PathFilter {
  const compile = (g: string) => {
    const re = globToRegExp(g);
    const baseOnly = !g.includes("/");
    return (p: string) => re.test(p) || (baseOnly && re.test(p.slice(p.lastIndexOf("/") + 1)));
  };
  const inc = includes.map(compile);
  const exc = excludes.map(compile);
  return (p) => (inc.length === 0 || inc.some((m) => m(p))) && !exc.some((m) => m(p));
}
