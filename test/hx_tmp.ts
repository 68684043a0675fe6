import { parseManifests } from '../src/core/manifest';
import { parseGitopsConfig } from '../src/core/config';
function t(name: string, text: string) {
  const s = Date.now(); const h0 = process.memoryUsage().heapUsed;
  try {
    const r = parseManifests(text, 'f.yaml');
    console.log(name, Date.now() - s, 'ms', r.manifests.length, JSON.stringify(r.problems.slice(0, 2)).slice(0, 300), ((process.memoryUsage().heapUsed - h0) / 1e6).toFixed(1) + 'MB');
  } catch (e) { console.log(name, 'THREW', (e as Error).message.slice(0, 200)); }
  try {
    const s2 = Date.now();
    const r = parseGitopsConfig(text, 'gitops.yaml');
    console.log('  cfg', Date.now() - s2, 'ms', JSON.stringify(r.problems.slice(0, 1)).slice(0, 200));
  } catch (e) { console.log('  cfg THREW', (e as Error).message.slice(0, 200)); }
}
t('deep-flow', '['.repeat(10000) + ']'.repeat(10000));
t('deep-flow-map', 'a: ' + '{a: '.repeat(10000) + '1' + '}'.repeat(10000));
let s = ''; for (let i = 0; i < 10000; i++) s += ' '.repeat(i) + 'k:\n'; t('deep-block', s);
let s2 = ''; for (let i = 0; i < 10000; i++) s2 += ' '.repeat(i) + '- \n'; t('deep-block-seq', s2);
t('deep-seq-dash', '- '.repeat(10000) + 'x');
t('bomb', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n');
t('bomb-small', 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n');
t('merge-bomb', 'a: &a {x: 1}\n' + Array.from({length: 20}, (_, i) => `m${i}: &m${i} {<<: [${i ? `*m${i-1}, *m${i-1}` : '*a'}]}`).join('\n') + '\n');
t('50mb', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n' + '  k: v\n'.repeat(9e6));
t('4.9mb', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n' + Array.from({length: 400000}, (_, i) => `  k${i}: v\n`).join(''));
t('4.9mb-singlelong', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  k: ' + 'x'.repeat(4.9e6) + '\n');
t('4.9mb-docs', '---\na: 1\n'.repeat(600000));
t('4.9mb-flow', 'a: [' + '1,'.repeat(2.4e6) + ']\n');
t('4.9mb-tiny-seq', '- x\n'.repeat(1.2e6));
