import { parseAllDocuments } from 'yaml';
const gen: Record<string, (n: number) => string> = {
  flow: (n) => '['.repeat(n) + ']'.repeat(n),
  flowmap: (n) => '{a: '.repeat(n) + '1' + '}'.repeat(n),
  block: (n) => Array.from({length: n}, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n',
  dash: (n) => '- '.repeat(n) + 'x\n',
  blockseq: (n) => Array.from({length: n}, (_, i) => ' '.repeat(i) + '-').join('\n') + ' 1\n',
};
const [name, n] = [process.argv[2], Number(process.argv[3])];
const d = parseAllDocuments(gen[name](n), { prettyErrors: false }) as any[];
const bad = d.some((x: any) => x.errors.some((e: Error) => /call stack/.test(e.message)));
let js = 'ok'; try { d[0].toJS({maxAliasCount: 1000}); } catch (e) { js = (e as Error).message; }
console.log(name, n, bad ? 'OVERFLOW' : 'ok', js.slice(0, 60));
