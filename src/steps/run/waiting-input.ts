// A `run` command that asks a question (`drizzle-kit push`: "Yes, I want to remove 2 tables?")
// waits for an answer nobody will type: devsetup runs it with no terminal. Its stdin is a pipe
// devsetup holds open and never writes (ExecOptions.holdStdin), so a command that asks blocks on
// it. What blocks there is asked of the kernel, per process of the command's group:
//   - a read(2) on fd 0 in /proc/<pid>/syscall (a shell's `read`, Python's input(), Ruby's gets);
//   - fd 0 among what its epoll instance waits on (/proc/<pid>/fdinfo of the `anon_inode:[eventpoll]`
//     fd: `tfd: 0`): Node's readline, Go's os.Stdin, which read through the event loop.
// Only a process whose fd 0 is the pipe devsetup holds counts (not a pipeline's reader).
// Waiting there alone is not enough (a tool may read optional input while it works): the group
// must also be idle (no CPU used by any of its processes) and silent (no output) for
// waitingInputMs. Five seconds: a tool that works uses CPU or prints within that, and a prompt
// never answers itself, so waiting longer only delays the same failure.
// Limit: poll/select on fd 0 (their fd set is in the process's memory, not in /proc) is not seen.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { cpuTicks, groupMembers } from '../../engine/processes.js'

export const waitingInputMs = 5000

// read(2) and readv(2) by architecture: the first field of /proc/<pid>/syscall.
const readCalls: Record<string, string[]> = { x64: ['0', '19'], arm64: ['63', '65'], ia32: ['3', '145'] }

// A line that asks: ends in `?`, or in `:`/`>`/`›`/`❯` (with a default in brackets after it:
// npm's `package name: (app)`), or offers y/n.
const question = /\?\s*(?:\(.*\)|\[.*\])?\s*$|[:>›❯]\s*(?:\(.*\)|\[.*\])?\s*$|\b(?:y\/n|yes\/no)\b/i

/**
 * A watch for exec: asked every second with the group and how long it has been silent. Once a
 * process of the command has waited on devsetup's own stdin pipe, idle and silent, for
 * waitingInputMs: a reason (the command is stopped) when its last line asks a question; else
 * the pipe is closed, and the command reads end-of-file as it did when stdin was /dev/null (`cat
 * > file`, a tool that forwards its stdin: `docker compose run`, `ssh host cmd`). Only readers of
 * the held pipe count: in `seed | tail -1`, tail reads seed's pipe, not devsetup's.
 */
export function inputWatch(): (
  pgid: number,
  output: { lastLine: string; silentMs: number; endInput: () => void },
) => string | undefined {
  let since: { at: number; cpu: number } | undefined
  let held: string | undefined
  let ended = false
  return (pgid, output) => {
    // The group's leader (the shell devsetup started) still holds the pipe devsetup gave it.
    held ??= stdinOf(pgid)
    if (ended || !held || process.platform !== 'linux' || output.silentMs < 1000) {
      since = undefined
      return undefined
    }
    const members = groupMembers(pgid)
    const cpu = members.reduce((sum, { stat }) => sum + cpuTicks(stat), 0)
    if (!members.some(({ pid }) => stdinOf(pid) === held && readsStdin(pid))) {
      since = undefined
      return undefined
    }
    if (!since || since.cpu !== cpu) {
      since = { at: Date.now(), cpu }
      return undefined
    }
    // First seen after a second of silence: waitingInputMs of it in all.
    if (Date.now() - since.at < waitingInputMs - 1000) return undefined
    if (!question.test(output.lastLine)) {
      ended = true
      output.endInput()
      return undefined
    }
    return `it is waiting for input (its last line: ${output.lastLine}): give it the answer as a flag or an env variable, or run it once by hand`
  }
}

/** What the process's fd 0 is (`pipe:[4711]`), undefined when it cannot be read. */
function stdinOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/0`)
  } catch {
    return undefined
  }
}

/** Whether the process is blocked reading its stdin, directly or through its event loop. */
export function readsStdin(pid: number): boolean {
  try {
    const [call, fd] = readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ')
    if (readCalls[process.arch]?.includes(call!) && Number(fd) === 0) return true
  } catch {}
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:[eventpoll]') continue
      if (/^tfd:\s+0\s/m.test(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))) return true
    } catch {}
  }
  return false
}
