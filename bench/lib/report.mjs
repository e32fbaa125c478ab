// Turns measurements into the printed table, the budget verdicts and the results section of docs/performance.md.
import * as fs from "node:fs";

const s = (x) => x.toFixed(2);
const mb = (x) => x.toFixed(0);
const ratio = (x) => `${x.toFixed(1)}x`;

/** Rows of the results table: every variant against its group's baseline (this project's way). */
export function tableRows(groups) {
  const rows = [];
  for (const group of groups) {
    const base = group.variants.find((v) => v.baseline).stats;
    for (const variant of group.variants) {
      const { stats } = variant;
      rows.push({
        group: group.title,
        variant: variant.label,
        runs: String(stats.runs.length),
        median: s(stats.median),
        range: `${s(stats.min)}–${s(stats.max)}`,
        cpu: s(stats.cpuSeconds),
        peak: mb(stats.peakMb),
        timeRatio: variant.baseline ? "1.0x" : ratio(stats.median / base.median),
        memoryRatio: variant.baseline ? "1.0x" : ratio(stats.peakMb / base.peakMb),
      });
    }
  }
  return rows;
}

const HEADERS = {
  group: "what",
  variant: "variant",
  runs: "runs",
  median: "median s",
  range: "min–max s",
  cpu: "CPU s",
  peak: "peak MB",
  timeRatio: "time vs ours",
  memoryRatio: "memory vs ours",
};

export function textTable(rows) {
  const keys = Object.keys(HEADERS);
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(HEADERS[k].length, ...rows.map((r) => r[k].length))]));
  const line = (cells) => keys.map((k, i) => (i < 2 ? cells[k].padEnd(width[k]) : cells[k].padStart(width[k]))).join("  ");
  return [line(HEADERS), keys.map((k) => "-".repeat(width[k])).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(rows) {
  const keys = Object.keys(HEADERS);
  const line = (cells) => `| ${keys.map((k) => cells[k]).join(" | ")} |`;
  const align = `|${keys.map((_, i) => (i < 2 ? " --- " : " ---: ")).join("|")}|`;
  return [line(HEADERS), align, ...rows.map(line)].join("\n");
}

export function budgetLines(budgets) {
  return budgets.map((b) =>
    b.informative ? `INFO    ${b.text}: ${b.measured}` : `${b.met ? "MET   " : "MISSED"}  ${b.text}: ${b.measured} (needs ${b.required})`,
  );
}

/** The generated part of docs/performance.md, between the markers, replaced on every full run. */
export function resultsMarkdown({ rows, budgets, machine, started, seconds, repetitions, commands, loads, tree }) {
  const verdict = (b) => (b.informative ? "no budget" : b.met ? "met" : "**missed**");
  const budgetRows = budgets.map((b) => `| ${b.text} | ${b.required} | ${b.measured} | ${verdict(b)} |`);
  return [
    `Run ${started} on ${machine.cpu} (${machine.cores} cores available), ${machine.memoryGb} GB RAM, ${machine.os}, Node.js ${machine.node};`,
    `sources: ${tree}.`,
    `${repetitions}; the whole benchmark took ${Math.round(seconds)} s.`,
    `The 1-minute load average was ${loads.start} at the start and ${loads.end} at the end (other work on the machine slows every variant).`,
    "",
    markdownTable(rows),
    "",
    "| budget | required | measured | verdict |",
    "| --- | ---: | ---: | --- |",
    ...budgetRows,
    "",
    "Commands measured:",
    "",
    ...commands.map((c) => `- ${c.label}: \`${c.command}\` in ${c.where}${c.note ? ` (${c.note})` : ""}`),
  ].join("\n");
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Replaces the results between the markers of docs/performance.md. */
export function writeResults(docFile, markdown) {
  const doc = fs.readFileSync(docFile, "utf8");
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${docFile} lacks the ${START} … ${END} markers`);
  fs.writeFileSync(docFile, `${doc.slice(0, start + START.length)}\n${markdown}\n${doc.slice(end)}`);
}
