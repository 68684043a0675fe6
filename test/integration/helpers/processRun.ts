// Runs a process to its end with its wall time and its peak memory (VmHWM, sampled from /proc),
// for tests and benchmarks that hold the command line to a time or memory bound.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessRun {
  ms: number;
  /** Peak resident set (VmHWM), MB; 0 when /proc could not be read in time. */
  peakMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end, timing it and sampling its memory high-water mark every 10 ms. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const sample = (): void => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // The process ended between two samples: the last reading stands.
      }
    };
    const timer = setInterval(sample, 10);
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, peakMb: peakKb / 1024, code, stdout, stderr });
    });
    sample();
  });
}

