// A node:test reporter that writes one JSON line per skipped test (file, name, reason) to its
// destination; scripts/run-tests.mjs reads them back and prints one summary line per skip at the
// end of the run, so a skip is never lost in thousands of lines of spec output.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    yield `${JSON.stringify({ file: file ?? '', name, reason: typeof skip === 'string' ? skip : '' })}\n`;
  }
}
