// tests/http/lib/procs.mjs — the processes of a stack's core, from /proc
// (the master's children: workers, and a reload's check child), and the
// core's log as timed lines.

import { readdir, readFile } from 'node:fs/promises';

/** Live children of pid `master`: [{ pid, uid }]. */
export async function childrenOf(master) {
  const out = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = await readFile(`/proc/${entry}/status`, 'utf8');
      if (Number(status.match(/^PPid:\s+(\d+)/m)[1]) !== master) continue;
      if (/^State:\s+Z/m.test(status)) continue;
      out.push({ pid: Number(entry), uid: Number(status.match(/^Uid:\s+(\d+)/m)[1]) });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** Resolve after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lines of the core's log text as { at: ms since the epoch, pid, text }. */
export function logLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+Z) \w+ \[(\d+)\] (.*)$/.exec(line);
    if (m) out.push({ at: Date.parse(m[1]), pid: Number(m[2]), text: m[3] });
  }
  return out;
}

/** Poll `fn` until it returns a truthy value or `ms` pass; returns the value. */
export async function waitFor(fn, ms, every = 100) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value || Date.now() >= end) return value;
    await sleep(every);
  }
}

/** Whether pid is a live process (a zombie is not). */
export async function alive(pid) {
  try {
    return !/^State:\s+Z/m.test(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
