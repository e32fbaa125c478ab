// node --test reporter for the live-API tests: a heading per suite, one line per test (the error under a failure),
// then the plain closing line "cluster: N passed, M failed" that CI sums. Suites are not counted; a failed suite hook
// is, and so are the tests it cancels.
export default async function* clusterSummary(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const { name, details, nesting } = event.data ?? {};
    if (event.type === "test:start" && nesting === 0) yield `\n== ${name}\n`;
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const suite = details?.type === "suite";
    const seconds = ((details?.duration_ms ?? 0) / 1000).toFixed(1);
    if (event.type === "test:pass") {
      if (!suite) {
        passed += 1;
        yield `  ok    ${name} (${seconds}s)\n`;
      }
      continue;
    }
    const error = details?.error;
    if (suite && error?.failureType === "subtestsFailed") continue;
    failed += 1;
    const lines = String(error?.cause?.stack ?? error?.cause?.message ?? error?.message ?? error)
      .split("\n")
      .filter((line) => !/\(node:|node:internal/.test(line))
      .slice(0, 30);
    yield `  FAIL  ${suite ? `${name} (set-up)` : name} (${seconds}s)\n${lines.map((l) => `        ${l}`).join("\n")}\n`;
  }
  yield `cluster: ${passed} passed, ${failed} failed\n`;
}
