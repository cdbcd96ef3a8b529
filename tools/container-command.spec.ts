import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { hardeningProblems } from '@kubeloop/envtest';
import { FlagError, managerOptionsFrom, type Container } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEWER_IMAGE, desiredPodTemplate } from '../apps/markdown-view/src/desired/viewer.ts';
import { sampleView } from '../apps/markdown-view/src/test-fixtures.test-helpers.ts';
import { appConfig, deployableApps, findKubectl, managerContainer, renderApp, WORKSPACE_ROOT } from './deploy.ts';
import { containerCommandLine, copySourceOf, evaluateStage, parseDockerfile, type StageState } from './dockerfile.ts';

/**
 * The command line each container runs, built as the kubelet builds it from the manifest's
 * command/args and the image's ENTRYPOINT/CMD (the workspace Dockerfile, read statically: no
 * Docker engine here), must start the app's entry script. The managers once shipped with
 * `args:` and the script in CMD: `args` replaced it and node died with
 * `/nodejs/bin/node: bad option: --leader-elect`. Nothing but a cluster would have shown it.
 */
const dockerfile = parseDockerfile(readFileSync(join(WORKSPACE_ROOT, 'Dockerfile'), 'utf8'));
const kubectl = findKubectl();

interface Started {
  argv: string[];
  image: StageState;
}

function startedBy(container: { command?: string[]; args?: string[] }, app: string): Started {
  const image = evaluateStage(dockerfile, { APP: app });
  return { argv: containerCommandLine(container, image.config), image };
}

/**
 * Asserts the command line is `<the image's node> <script>` where script, resolved in the
 * working directory, is the file the build stage's tsc emits for apps/<app>/src/main.ts.
 * Returns the arguments after the script.
 */
function expectStartsEntryScript({ argv, image }: Started, app: string): string[] {
  const [node, script, ...rest] = argv;
  expect(node, `command line ${JSON.stringify(argv)}`).toBe(image.base?.node);
  expect(script, `command line ${JSON.stringify(argv)}: the second word must be the app's script`).toMatch(/\.m?js$/);
  const inImage = posix.resolve(image.config.workdir, script!);
  const source = copySourceOf(image, inImage);
  expect(source, `${inImage} is not copied into the image`).toBeDefined();
  const stage = dockerfile.stages.find((s) => s.name === source!.from);
  expect(stage, `${inImage} comes from ${source!.from}, not from a build stage`).toBeDefined();
  const build = evaluateStage(dockerfile, { APP: app }, stage);
  // The build stage compiles the app's tsconfig.lib.json; its outDir/rootDir map src/main.ts to the script.
  const tsconfigPath = `apps/${app}/tsconfig.lib.json`;
  expect(
    build.runs.some((r) => r.includes(`tsc -b ${tsconfigPath}`)),
    `stage ${stage!.name} runs tsc -b ${tsconfigPath}`,
  ).toBe(true);
  const tsconfig = JSON.parse(readFileSync(join(WORKSPACE_ROOT, tsconfigPath), 'utf8')) as {
    compilerOptions: { rootDir: string; outDir: string };
  };
  const emitted = posix.join(
    build.config.workdir,
    'apps',
    app,
    tsconfig.compilerOptions.outDir,
    posix.relative(tsconfig.compilerOptions.rootDir, 'src/main.ts').replace(/\.ts$/, '.js'),
  );
  expect(source!.path).toBe(emitted);
  expect(existsSync(join(WORKSPACE_ROOT, 'apps', app, 'src/main.ts'))).toBe(true);
  return rest;
}

describe.skipIf(!kubectl && process.env.CI !== 'true')(
  'container command lines (kubectl kustomize + Dockerfile)',
  () => {
    it('kubectl is there to render deploy/ (CI machines have it; the deploy tool needs it)', () => {
      expect(kubectl, 'kubectl not found on PATH').toBeDefined();
    });

    for (const app of deployableApps()) {
      it(`${app}: the manager starts apps/${app}/src/main.ts (compiled) with flags it accepts`, async () => {
        const { container } = managerContainer(await renderApp(app), appConfig(app)!);
        const c = container as Container;
        const flags = expectStartsEntryScript(startedBy(c, app), app);
        expect(flags).toEqual(c.args ?? []);
        // The flags reach the manager's parser, which refuses unknown ones.
        const env = Object.fromEntries(
          (c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
        );
        expect(() => managerOptionsFrom(flags, env)).not.toThrow();
      });
    }

    it('markdown-view: the viewer Deployment it creates starts apps/markdown-viewer/src/main.ts (compiled)', () => {
      const template = desiredPodTemplate(sampleView(), DEFAULT_VIEWER_IMAGE);
      const [container] = template.spec!.containers;
      expect(expectStartsEntryScript(startedBy(container!, 'markdown-viewer'), 'markdown-viewer')).toEqual([]);
    });
  },
);

describe('what the check catches', () => {
  it('args without command replace the script: the old managers crash is detected', () => {
    const { argv, image } = startedBy({ args: ['--leader-elect'] }, 'math');
    expect(argv).toEqual(['/nodejs/bin/node', 'dist/main.js', '--leader-elect']);
    // The previous image: distroless node as ENTRYPOINT, the script in CMD.
    const old = parseDockerfile(
      'FROM node:20-slim AS build\nWORKDIR /src\nFROM gcr.io/distroless/nodejs20-debian12:nonroot\nWORKDIR /app\nCMD ["apps/math/dist/main.js"]\n',
    );
    const oldImage = evaluateStage(old);
    expect(containerCommandLine({ args: ['--leader-elect'] }, oldImage.config)).toEqual([
      '/nodejs/bin/node',
      '--leader-elect',
    ]);
    expect(() => expectStartsEntryScript({ argv: ['/nodejs/bin/node', '--leader-elect'], image }, 'math')).toThrow();
  });

  it('a misspelt flag is refused by the manager parser', () => {
    expect(() => managerOptionsFrom(['--leader-elekt'])).toThrow(FlagError);
  });
});

describe('the manager and viewer pods are hardened (kubebuilder v4 scaffold)', () => {
  it.skipIf(!kubectl)('both managers', async () => {
    for (const app of deployableApps()) {
      const { deployment } = managerContainer(await renderApp(app), appConfig(app)!);
      expect(hardeningProblems(deployment.spec.template.spec as never), app).toEqual([]);
    }
  });

  it('the viewer', () => {
    expect(hardeningProblems(desiredPodTemplate(sampleView(), DEFAULT_VIEWER_IMAGE).spec as never)).toEqual([]);
  });
});
