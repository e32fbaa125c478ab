// Parts of the docs written from their source of truth, as helm-docs writes the chart's README: each sits between
//
//   <!-- generated:<name> by npm run docs:generate, do not edit -->
//   ...
//   <!-- /generated:<name> -->
//
// and the test of its source checks the committed part against what the generator writes now (no drift).
import * as fs from "node:fs";
import * as path from "node:path";

export const projectRoot = path.resolve(__dirname, "..", "..");

const start = (name: string) => `<!-- generated:${name} by npm run docs:generate, do not edit -->`;
const end = (name: string) => `<!-- /generated:${name} -->`;

/** Where a generated part is: the Markdown file (from the project root) and the part's name. */
export interface GeneratedPart {
  file: string;
  name: string;
}

function bounds(text: string, part: GeneratedPart): { from: number; to: number } {
  const from = text.indexOf(start(part.name));
  const to = text.indexOf(end(part.name));
  if (from < 0 || to < from) throw new Error(`${part.file} has no part "${part.name}" (${start(part.name)} ... ${end(part.name)})`);
  return { from: from + start(part.name).length, to };
}

/** The committed text of a generated part, without its markers and surrounding newlines. */
export function committedPart(part: GeneratedPart): string {
  const text = fs.readFileSync(path.join(projectRoot, part.file), "utf8");
  const { from, to } = bounds(text, part);
  return text.slice(from, to).replace(/^\n+|\n+$/g, "");
}

/** Writes a generated part into its file; returns whether the file changed. */
export function writePart(part: GeneratedPart, content: string): boolean {
  const file = path.join(projectRoot, part.file);
  const text = fs.readFileSync(file, "utf8");
  const { from, to } = bounds(text, part);
  const next = `${text.slice(0, from)}\n${content.trim()}\n${text.slice(to)}`;
  if (next === text) return false;
  fs.writeFileSync(file, next);
  return true;
}

/** Text broken into lines of at most `width` characters at spaces (a longer word stays whole), as the docs are written. */
export function wrapText(text: string, width = 118): string[] {
  return text.split(" ").reduce<string[]>((lines, word) => {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);
}
