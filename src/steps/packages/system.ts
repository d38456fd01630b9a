// The other system package managers: the rpm family (dnf, yum, zypper), pacman and apk.
// Each applies when its tool is on PATH; each check is one call to the package database.
import type { Exec } from '../define.js'
import { type Manager, type Missing, present } from './manager.js'

const rpmName = /^[A-Za-z0-9][A-Za-z0-9._+:~^-]*$/

const asMissing = (specs: string[]): Missing[] => specs.map((spec) => ({ spec, label: spec }))

/** `rpm -q` prints "package X is not installed" for each missing one (and exits with their count). */
async function rpmMissing(specs: string[], exec: Exec): Promise<Missing[]> {
  const result = await exec(['rpm', '-q', '--queryformat', '%{NAME}\\n', ...specs], { reject: false })
  const absent = new Set([...result.all.matchAll(/^package (\S+) is not installed/gm)].map((m) => m[1]))
  return asMissing(specs.filter((spec) => absent.has(spec)))
}

/** Managers that print one line per installed package, starting with its name. */
async function listedMissing(args: string[], specs: string[], exec: Exec): Promise<Missing[]> {
  const result = await exec([...args, ...specs], { reject: false })
  const installed = new Set(result.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]))
  return asMissing(specs.filter((spec) => !installed.has(spec)))
}

export const dnf: Manager = {
  key: 'dnf',
  namePattern: rpmName,
  nameHint: 'an rpm package name',
  needsRoot: true,
  unavailable: present('dnf', 'rpm'),
  missing: rpmMissing,
  installArgs: (specs) => ['dnf', 'install', '-y', ...specs],
}

export const yum: Manager = {
  ...dnf,
  key: 'yum',
  unavailable: present('yum', 'rpm'),
  installArgs: (specs) => ['yum', 'install', '-y', ...specs],
}

export const zypper: Manager = {
  ...dnf,
  key: 'zypper',
  unavailable: present('zypper', 'rpm'),
  installArgs: (specs) => ['zypper', '--non-interactive', 'install', ...specs],
}

export const pacman: Manager = {
  key: 'pacman',
  namePattern: /^[a-z0-9@_+][a-z0-9@._+-]*$/,
  nameHint: 'a pacman package name (lower case)',
  needsRoot: true,
  unavailable: present('pacman'),
  // Prints "name version" for installed ones, "error: package 'x' was not found" for the rest.
  missing: (specs, exec) => listedMissing(['pacman', '-Q'], specs, exec),
  installArgs: (specs) => ['pacman', '-S', '--noconfirm', '--needed', ...specs],
}

export const apk: Manager = {
  key: 'apk',
  namePattern: /^[A-Za-z0-9][A-Za-z0-9._+-]*$/,
  nameHint: 'an Alpine package name',
  needsRoot: true,
  unavailable: present('apk'),
  // `apk info -e` prints the names of the installed ones.
  missing: (specs, exec) => listedMissing(['apk', 'info', '-e'], specs, exec),
  installArgs: (specs) => ['apk', 'add', ...specs],
}
