# syntax=docker/dockerfile:1
# The image of any app in this workspace (the operators and the markdown viewer): the app is a
# build argument, the context is the repository root (.dockerignore keeps node_modules, dist and
# git history out of it).
#
#   docker build --build-arg APP=math -t ghcr.io/kubeloop/math:0.1.0 .
#   npx nx run math:docker-build          # the same, with the tag deploy/math expects
#
# One recipe instead of one per app: the stages were the same but for the app's name, and the
# app-independent layers (dependencies, compiled libs) are then shared by every app's build.
# The entry point is node with the app's compiled main.ts, so a Deployment's `args` are the
# manager's flags and never replace the script (tools/container-command.spec.ts checks it).

ARG NODE_IMAGE=node:24-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

# 1. Only the package manifests, so the `npm ci` layers below are reused while the lockfile and
#    the package.json files are unchanged (a source edit does not reinstall).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json -o -name .npmrc \) -print \
  | tar -cf - -T - | tar -xf - -C /manifests

# 2. Every workspace's dev dependencies and all libs compiled: the same for every app.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /manifests ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -b libs/*/tsconfig.lib.json
# 3. This app, and the libs in its production dependency closure (never envtest or local-apiserver).
ARG APP
RUN test -n "$APP" && test -f "apps/$APP/tsconfig.lib.json" \
  || { echo "build with --build-arg APP=<app>; apps: $(ls apps | tr '\n' ' ')" >&2; exit 1; } \
 && npx tsc -b "apps/$APP/tsconfig.lib.json" \
 && node tools/pack-libs.mjs "$APP" /out

# 4. This app's production dependencies only (another app's express or client-node stays out).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY --from=manifests /manifests ./
ARG APP
RUN npm ci --omit=dev --workspace "@kubeloop/$APP" --ignore-scripts --no-audit --no-fund

# 5. Runtime: node, production dependencies and compiled JS; no shell, no package manager,
#    uid 65532 (numeric, so the kubelet can verify runAsNonRoot), read-only root file system.
FROM ${RUNTIME_IMAGE}
ARG APP
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=deps /src/node_modules node_modules
COPY --from=build /out/libs libs
COPY --from=build /src/apps/${APP}/package.json apps/${APP}/
COPY --from=build /src/apps/${APP}/dist apps/${APP}/dist
WORKDIR /app/apps/${APP}
USER 65532:65532
# Exec form: node is PID 1 and gets SIGTERM itself (the managers and the viewer drain on it).
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]
