// `npm run test:desktop`: the extension-host checks in desktop VS Code through @vscode/test-electron.
// Needs network on first run (it downloads VS Code), so it is documented but not part of CI here,
// where the same behaviour is checked in code-server (test/e2e).
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoWorkspace } from '../../scripts/demoWorkspace.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-desktop-'));
  try {
    const { repoDir } = await createDemoWorkspace(path.join(dir, 'demo-gitops'));
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: fileURLToPath(new URL('./suite/index.cjs', import.meta.url)),
      launchArgs: [repoDir, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
