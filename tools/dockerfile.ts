/**
 * A Dockerfile read the way a builder reads it, far enough to answer the question a cluster
 * asks: what command line does a container of this image run? No Docker engine runs on the
 * machines that test this repository, and a Deployment that sets `args` without `command`
 * replaces the image's CMD — the managers once crashed with `node: bad option: --leader-elect`
 * because their script path was in CMD. tools/container-command.spec.ts builds each
 * container's command line from its manifest and this file and asserts it starts the app.
 *
 * Covered: stages (`FROM … AS name`, a stage built on an earlier one inherits its config), ARG
 * (global and per stage, defaults, build arguments) with `$X`, `${X}`, `${X:-default}` in FROM,
 * WORKDIR, ENV, USER and COPY, ENTRYPOINT/CMD in exec and shell form (ENTRYPOINT resets an
 * inherited CMD, as Docker does), and where a file of the final image was copied from. Base
 * images outside the workspace are known by their published config (BASE_IMAGES).
 */
import { posix } from 'node:path';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, … */
  op: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

export interface Stage {
  index: number;
  name?: string;
  /** The FROM image as written (variables not yet expanded). */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM: name → default (undefined when declared without one). */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** The parts of an image config that decide how a container starts. */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  workdir: string;
  user?: string;
  env: Record<string, string>;
}

export interface BaseImage {
  /** Matches the FROM reference (after variable expansion). */
  match: RegExp;
  config: ImageConfig;
  /** Absolute path of the node binary, for images that ship one. */
  node?: string;
}

/**
 * The published configs of the base images this workspace builds on (`docker image inspect`):
 * distroless nodejs runs node itself as its entry point, node:*-slim a shell script that execs
 * its arguments (CMD node).
 */
export const BASE_IMAGES: BaseImage[] = [
  {
    match: /^gcr\.io\/distroless\/nodejs\d+-debian\d+:(nonroot|debug-nonroot)$/,
    config: { entrypoint: ['/nodejs/bin/node'], cmd: [], workdir: '/home/nonroot', user: '65532', env: {} },
    node: '/nodejs/bin/node',
  },
  {
    match: /^gcr\.io\/distroless\/nodejs\d+-debian\d+(:(latest|debug))?$/,
    config: { entrypoint: ['/nodejs/bin/node'], cmd: [], workdir: '/', env: {} },
    node: '/nodejs/bin/node',
  },
  {
    match: /^(docker\.io\/)?(library\/)?node:[\w.-]+$/,
    config: { entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], workdir: '/', env: {} },
    node: '/usr/local/bin/node',
  },
];

export class DockerfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerfileError';
  }
}

/** Splits a Dockerfile into instructions and stages. Parser directives and comments are dropped. */
export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    // A trailing backslash continues the instruction; comment lines inside it are skipped.
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, ' ');
      i++;
      while (/^\s*#/.test(lines[i]!) && i + 1 < lines.length) i++;
      line += lines[i]!;
    }
    const m = /^\s*(\w+)\s*(.*)$/s.exec(line);
    if (!m) throw new DockerfileError(`line ${start}: cannot read "${line.trim()}"`);
    const instruction: Instruction = { op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start };
    if (instruction.op === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new DockerfileError(`line ${start}: FROM ${instruction.args}: expected FROM image [AS name]`);
      stages.push({ index: stages.length, from: from[1]!, name: from[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.op !== 'ARG') throw new DockerfileError(`line ${start}: ${instruction.op} before the first FROM`);
      for (const [name, value] of parseArgDecl(instruction.args)) globalArgs.set(name, value);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new DockerfileError('no FROM instruction');
  return { globalArgs, stages };
}

function parseArgDecl(args: string): [string, string | undefined][] {
  return args.split(/\s+/).map((decl) => {
    const eq = decl.indexOf('=');
    return eq < 0 ? [decl, undefined] : [decl.slice(0, eq), unquote(decl.slice(eq + 1))];
  });
}

function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

/** `$X`, `${X}`, `${X:-default}`, `${X:+alt}`; an unset variable expands to the empty string. */
export function expand(text: string, vars: Map<string, string | undefined>): string {
  return text.replace(
    /\$(?:\{(\w+)(?::([-+])([^}]*))?\}|(\w+))/g,
    (_, braced: string | undefined, mod: string | undefined, word: string | undefined, bare: string | undefined) => {
      const value = vars.get((braced ?? bare)!);
      if (mod === '-') return value ? value : (word ?? '');
      if (mod === '+') return value ? (word ?? '') : '';
      return value ?? '';
    },
  );
}

/** Exec form (a JSON array) as is; shell form wrapped in `/bin/sh -c`, as the builder does. */
function commandForm(args: string): string[] {
  if (args.startsWith('[')) {
    const parsed: unknown = JSON.parse(args);
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
      throw new DockerfileError(`${args}: exec form must be a JSON array of strings`);
    return parsed;
  }
  return ['/bin/sh', '-c', args];
}

export interface StageState {
  config: ImageConfig;
  /** Variables visible at the end of the stage (ARG values and ENV). */
  vars: Map<string, string | undefined>;
  /** The stage's COPY instructions with the WORKDIR each ran in, in order. */
  copies: { instruction: Instruction; workdir: string; vars: Map<string, string | undefined> }[];
  /** RUN command lines with the stage's variables expanded, in order. */
  runs: string[];
  /** The base image entry when the stage starts from an external image. */
  base?: BaseImage;
}

/**
 * Evaluates a stage (default: the last, the image `docker build` produces) with the given build
 * arguments: its config as the builder would commit it, and what it copies and runs.
 */
export function evaluateStage(
  file: Dockerfile,
  buildArgs: Record<string, string> = {},
  stage: Stage = file.stages.at(-1)!,
): StageState {
  const global = new Map(file.globalArgs);
  for (const [k, v] of Object.entries(buildArgs)) if (global.has(k)) global.set(k, v);
  const fromRef = expand(stage.from, global);
  const parent = file.stages.find((s) => s.index < stage.index && s.name === fromRef);
  let state: StageState;
  if (parent) {
    const inherited = evaluateStage(file, buildArgs, parent);
    state = {
      config: structuredClone(inherited.config),
      vars: new Map(Object.entries(inherited.config.env)),
      copies: [],
      runs: [],
      base: inherited.base,
    };
  } else {
    const base = BASE_IMAGES.find((b) => b.match.test(fromRef));
    if (!base)
      throw new DockerfileError(
        `FROM ${fromRef} (line of stage ${stage.name ?? stage.index}): unknown base image; add its config to BASE_IMAGES in tools/dockerfile.ts`,
      );
    state = {
      config: structuredClone(base.config),
      vars: new Map(Object.entries(base.config.env)),
      copies: [],
      runs: [],
      base,
    };
  }
  let cmdSetHere = false;
  for (const ins of stage.instructions) {
    const x = (s: string) => expand(s, state.vars);
    switch (ins.op) {
      case 'ARG':
        for (const [name, value] of parseArgDecl(ins.args)) {
          state.vars.set(name, name in buildArgs ? buildArgs[name] : (value ?? global.get(name)));
        }
        break;
      case 'ENV':
        for (const [name, value] of parseEnv(ins.args)) {
          state.config.env[name] = x(value);
          state.vars.set(name, state.config.env[name]);
        }
        break;
      case 'WORKDIR':
        state.config.workdir = posix.resolve(state.config.workdir, x(ins.args));
        break;
      case 'USER':
        state.config.user = x(ins.args);
        break;
      case 'ENTRYPOINT':
        state.config.entrypoint = commandForm(ins.args);
        // Docker: "If CMD is defined from the base image, setting ENTRYPOINT will reset CMD".
        if (!cmdSetHere) state.config.cmd = [];
        break;
      case 'CMD':
        state.config.cmd = commandForm(ins.args);
        cmdSetHere = true;
        break;
      case 'COPY':
      case 'ADD':
        state.copies.push({ instruction: ins, workdir: state.config.workdir, vars: new Map(state.vars) });
        break;
      case 'RUN':
        state.runs.push(x(ins.args).replace(/"(\$?[^"$]*)"/g, '$1'));
        break;
    }
  }
  return state;
}

function parseEnv(args: string): [string, string][] {
  // `ENV K=V K2="v 2"`, or the legacy `ENV K V`.
  if (!/^\w+=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    return [[name!, rest.join(' ')]];
  }
  return [...args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [m[1]!, unquote(m[2]!)]);
}

export interface CopySource {
  /** The stage name (or index) a file was copied from, or 'context' for the build context. */
  from: string;
  /** Absolute path in that stage, or a context-relative path. */
  path: string;
  /** The COPY that brought it. */
  line: number;
}

/**
 * Where a file of the evaluated stage came from: the last COPY whose destination covers it.
 * A source with a file extension is taken as a file (copied to `dest/` under its own name, or to
 * `dest`), anything else as a directory whose contents land in dest — enough for this
 * workspace's Dockerfile, and an unknown layout fails loudly rather than guessing.
 */
export function copySourceOf(state: StageState, path: string): CopySource | undefined {
  for (const { instruction, workdir, vars } of [...state.copies].reverse()) {
    const words = expand(instruction.args, vars).split(/\s+/);
    let from = 'context';
    const operands: string[] = [];
    for (const w of words) {
      if (w.startsWith('--from=')) from = w.slice('--from='.length);
      else if (!w.startsWith('--')) operands.push(w);
    }
    const destRaw = operands.pop()!;
    const dest = posix.resolve(workdir, destRaw);
    const destIsDir = destRaw.endsWith('/') || operands.length > 1;
    for (const src of operands) {
      const isFile = /\.\w+$/.test(posix.basename(src)) && posix.basename(src) !== '.';
      const resolveSrc = (rel: string) =>
        from === 'context' ? posix.normalize(posix.join(src, rel)) : posix.join(src, rel);
      if (isFile) {
        const target = destIsDir ? posix.join(dest, posix.basename(src)) : dest;
        if (target === path) return { from, path: resolveSrc(''), line: instruction.line };
      } else if (path === dest || path.startsWith(dest === '/' ? '/' : `${dest}/`)) {
        return { from, path: resolveSrc(posix.relative(dest, path)), line: instruction.line };
      }
    }
  }
  return undefined;
}

/**
 * The command line of a container as the kubelet builds it from its spec and the image config
 * (Kubernetes "Define a Command and Arguments for a Container"): `command` replaces the image's
 * ENTRYPOINT and drops its CMD; `args` replace CMD; either left empty keeps the image's.
 */
export function containerCommandLine(container: { command?: string[]; args?: string[] }, image: ImageConfig): string[] {
  const command = container.command?.length ? container.command : undefined;
  const args = container.args?.length ? container.args : undefined;
  if (command) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args ?? image.cmd)];
}
