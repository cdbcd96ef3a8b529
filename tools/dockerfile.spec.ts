import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './deploy.ts';
import {
  containerCommandLine,
  copySourceOf,
  DockerfileError,
  evaluateStage,
  expand,
  parseDockerfile,
} from './dockerfile.ts';

describe('parseDockerfile / evaluateStage', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    'ARG BASE=node:24-slim',
    'ARG RUNTIME=gcr.io/distroless/nodejs24-debian12:nonroot',
    'FROM ${BASE} AS build',
    'WORKDIR /src',
    'ARG APP',
    'RUN echo "$APP" \\',
    '  # a comment inside a continuation',
    ' && npx tsc -b "apps/$APP/tsconfig.lib.json"',
    'FROM build AS child',
    'CMD ["x.js"]',
    'FROM $RUNTIME',
    'ARG APP',
    'WORKDIR /app',
    'ENV A=1 B="two words"',
    'COPY --from=build /src/package.json ./',
    'COPY --from=build /src/apps/${APP}/dist apps/${APP}/dist',
    'WORKDIR apps/${APP}',
    'ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]',
  ].join('\n');
  const file = parseDockerfile(text);

  it('reads stages, global args and continuation lines', () => {
    expect(file.stages.map((s) => [s.name, s.from])).toEqual([
      ['build', '${BASE}'],
      ['child', 'build'],
      [undefined, '$RUNTIME'],
    ]);
    expect(file.globalArgs.get('BASE')).toBe('node:24-slim');
    const run = file.stages[0]!.instructions.find((i) => i.op === 'RUN')!;
    expect(run.args).toBe('echo "$APP"   && npx tsc -b "apps/$APP/tsconfig.lib.json"');
    expect(run.line).toBe(7);
  });

  it('evaluates the final stage with build args: config, workdir, env, RUN lines of earlier stages', () => {
    const final = evaluateStage(file, { APP: 'math' });
    expect(final.config).toEqual({
      entrypoint: ['/nodejs/bin/node', 'dist/main.js'],
      cmd: [],
      workdir: '/app/apps/math',
      user: '65532',
      env: { A: '1', B: 'two words' },
    });
    expect(final.base?.node).toBe('/nodejs/bin/node');
    const build = evaluateStage(file, { APP: 'math' }, file.stages[0]);
    expect(build.runs).toEqual(['echo math   && npx tsc -b apps/math/tsconfig.lib.json']);
    expect(build.config).toMatchObject({ entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], workdir: '/src' });
  });

  it('a stage built on another inherits its config; ENTRYPOINT resets an inherited CMD, not its own', () => {
    expect(evaluateStage(file, {}, file.stages[1]).config).toMatchObject({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['x.js'],
      workdir: '/src',
    });
    const reset = parseDockerfile('FROM node:24-slim\nENTRYPOINT ["node"]\n');
    expect(evaluateStage(reset).config).toMatchObject({ entrypoint: ['node'], cmd: [] });
    const kept = parseDockerfile('FROM node:24-slim\nCMD ["a.js"]\nENTRYPOINT ["node"]\n');
    expect(evaluateStage(kept).config).toMatchObject({ entrypoint: ['node'], cmd: ['a.js'] });
    const shell = parseDockerfile('FROM node:24-slim\nCMD node a.js\n');
    expect(evaluateStage(shell).config.cmd).toEqual(['/bin/sh', '-c', 'node a.js']);
  });

  it('traces a file of the image to the COPY that brought it', () => {
    const final = evaluateStage(file, { APP: 'math' });
    expect(copySourceOf(final, '/app/apps/math/dist/main.js')).toEqual({
      from: 'build',
      path: '/src/apps/math/dist/main.js',
      line: 17,
    });
    expect(copySourceOf(final, '/app/package.json')).toMatchObject({ from: 'build', path: '/src/package.json' });
    expect(copySourceOf(final, '/app/apps/other/dist/main.js')).toBeUndefined();
  });

  it('expands $X, ${X}, ${X:-d}, ${X:+a}', () => {
    const vars = new Map<string, string | undefined>([
      ['A', 'a'],
      ['E', ''],
    ]);
    expect(expand('$A ${A} ${E:-d} ${A:+alt} ${E:+alt} ${NOPE}.', vars)).toBe('a a d alt  .');
  });

  it('an unknown base image or a broken file is an error that says what to do', () => {
    expect(() => evaluateStage(parseDockerfile('FROM alpine:3\n'))).toThrow(/unknown base image.*BASE_IMAGES/);
    expect(() => parseDockerfile('RUN true\n')).toThrow(DockerfileError);
    expect(() => parseDockerfile('# nothing\n')).toThrow('no FROM instruction');
  });
});

describe('containerCommandLine (the kubelet’s rules)', () => {
  const image = { entrypoint: ['/nodejs/bin/node'], cmd: ['app.js'], workdir: '/', env: {} };
  it.each([
    [{}, ['/nodejs/bin/node', 'app.js']],
    [{ args: ['--x'] }, ['/nodejs/bin/node', '--x']],
    [{ command: ['/bin/tool'] }, ['/bin/tool']],
    [{ command: ['/bin/tool'], args: ['--x'] }, ['/bin/tool', '--x']],
    [{ command: [], args: [] }, ['/nodejs/bin/node', 'app.js']],
  ])('%j → %j', (container, argv) => {
    expect(containerCommandLine(container, image)).toEqual(argv);
  });
});

describe('the workspace Dockerfile', () => {
  const file = parseDockerfile(readFileSync(join(WORKSPACE_ROOT, 'Dockerfile'), 'utf8'));
  const apps = readdirSync(join(WORKSPACE_ROOT, 'apps')).filter((a) =>
    existsSync(join(WORKSPACE_ROOT, 'apps', a, 'src/main.ts')),
  );

  it('builds on Node 24 LTS: node:24-slim to build, distroless nodejs24 nonroot to run', () => {
    const build = evaluateStage(
      file,
      { APP: 'math' },
      file.stages.find((s) => s.name === 'build'),
    );
    expect(build.base?.match.test('node:24-slim')).toBe(true);
    expect(file.globalArgs.get('NODE_IMAGE')).toBe('node:24-slim');
    expect(file.globalArgs.get('RUNTIME_IMAGE')).toBe('gcr.io/distroless/nodejs24-debian12:nonroot');
  });

  it.each(apps)('%s: runs as a numeric non-root user with no RUN (no shell) in the runtime stage', (app) => {
    const final = evaluateStage(file, { APP: app });
    expect(final.config.user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(final.runs).toEqual([]);
    expect(final.config.env.NODE_ENV).toBe('production');
  });

  it('copies only the app’s production dependencies and never test machinery', () => {
    const deps = evaluateStage(
      file,
      { APP: 'math' },
      file.stages.find((s) => s.name === 'deps'),
    );
    expect(deps.runs.join('\n')).toMatch(/npm ci --omit=dev --workspace @kubeloop\/math /);
    const final = evaluateStage(file, { APP: 'math' });
    expect(copySourceOf(final, '/app/node_modules/pino/package.json')).toMatchObject({ from: 'deps' });
    expect(copySourceOf(final, '/app/libs/runtime/dist/index.js')).toMatchObject({
      from: 'build',
      path: '/out/libs/runtime/dist/index.js',
    });
    const packLibs = readFileSync(join(WORKSPACE_ROOT, 'tools/pack-libs.mjs'), 'utf8');
    expect(packLibs).toContain('.dependencies');
    expect(packLibs).not.toContain('devDependencies');
  });

  it('names only sources that exist in the build context, and keeps node_modules, dist and .git out of it', () => {
    for (const stage of file.stages)
      for (const copy of stage.instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from')))
        for (const source of copy.args.split(/\s+/).slice(0, -1))
          expect(existsSync(join(WORKSPACE_ROOT, source)), `${source} (line ${copy.line})`).toBe(true);
    const ignore = readFileSync(join(WORKSPACE_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git']) expect(ignore).toContain(entry);
  });
});
