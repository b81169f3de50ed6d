# syntax=docker/dockerfile:1
#
# One image for every duban process; docker-compose.yml chooses the command per service:
#   worker.ts (default)  ·  api/server.ts  ·  db/migrate.ts
# tsx is the runtime (`node --import tsx <file>`): one node process, signals reach it directly.

# --- dependencies: production only (tsx, @temporalio/worker with its bundler, drizzle, pg, ...) ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing duban runs needs an install script (esbuild and @swc/core load their
# platform binaries from their optional packages; protobufjs's script is a version check), so the
# build does not depend on npm's install-script approval: npm 10 (this image) ignores package.json
# `allowScripts`, npm 11 reads it, and either way no script runs here.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- build: the prebuilt workflow bundle (a forbidden import in workflows/ fails here) ---
FROM deps AS build
COPY . .
RUN node --import tsx scripts/build-workflow-bundle.ts /app/dist/workflow-bundle.js

# --- runtime ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=build /app/dist/workflow-bundle.js /app/dist/workflow-bundle.js
# Evidence files live in a volume mounted here; the process may write only there.
RUN mkdir -p /var/lib/duban/evidence && chown node:node /var/lib/duban/evidence
# The code stays root-owned and read-only to the process; tsx keeps its cache in /tmp.
USER node
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["worker.ts"]
