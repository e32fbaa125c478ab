// Parts of the docs written from their source of truth, as helm-docs writes the chart's README: each sits between
// `<!-- generated:<name> by npm run docs:generate, do not edit -->` and `<!-- /generated:<name> -->`, and the test of
// its source checks the committed part against what the generator writes now (no drift).
import * as fs from "node:fs";
import * as path from "node:path";

export const projectRoot = path.resolve(__dirname, "..", "..");

/** Where a generated part is: the Markdown file (from the project root) and the part's name. */
export type GeneratedPart = { file: string; name: string };

/** The file's text split around the part: up to its start marker, the part, from its end marker on. */
function split(part: GeneratedPart): [string, string, string] {
  const text = fs.readFileSync(path.join(projectRoot, part.file), "utf8");
  const [start, end] = [`<!-- generated:${part.name} by npm run docs:generate, do not edit -->`, `<!-- /generated:${part.name} -->`];
  const from = text.indexOf(start) + start.length;
  const to = text.indexOf(end);
  if (from < start.length || to < from) throw new Error(`${part.file} has no part "${part.name}" (${start} ... ${end})`);
  return [text.slice(0, from), text.slice(from, to), text.slice(to)];
}

/** The committed text of a generated part, without its markers and surrounding newlines. */
export const committedPart = (part: GeneratedPart): string => split(part)[1].replace(/^\n+|\n+$/g, "");

/** Writes a generated part into its file; returns whether the file changed. */
export function writePart(part: GeneratedPart, content: string): boolean {
  const [before, current, after] = split(part);
  if (current === `\n${content.trim()}\n`) return false;
  fs.writeFileSync(path.join(projectRoot, part.file), `${before}\n${content.trim()}\n${after}`);
  return true;
}

/** Text broken into lines of at most `width` characters at spaces (a longer word stays whole), as the docs are written. */
export const wrapText = (text: string, width = 118): string[] => text.match(new RegExp(`\\S(?:.{0,${width - 1}}(?= |$)|\\S*)`, "g")) ?? [];
