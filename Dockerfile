# syntax=docker/dockerfile:1

# ---------------------------------------------------------------------------
# build: install every dependency, compile TypeScript, then drop dev deps.
# ---------------------------------------------------------------------------
# Node 22 LTS: within package.json engines (>=20, what development and CI run); see README.
FROM node:22-bookworm-slim AS build
WORKDIR /app

# onnxruntime-node's install script would fetch extra GPU libraries; the image runs on CPU.
ENV ONNXRUNTIME_NODE_INSTALL=skip

# Dependencies first, so this layer is cached until the lock file changes. The package's own
# `prepare` script runs tsc, and the sources are not copied yet, hence --ignore-scripts;
# `npm rebuild` then runs the dependencies' own install scripts (it skips the root's).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild

COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------
# runtime: Node, ffmpeg for media, the compiled app and production deps only.
# ---------------------------------------------------------------------------
FROM node:22-bookworm-slim AS runtime

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MODELS_DIR=/data/models

WORKDIR /app

# App files stay owned by root (read-only for the process); only /data is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/permissions.json ./permissions.json
COPY --from=build /app/permissions.schema.json ./permissions.schema.json

RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

# The node image's unprivileged user (uid 1000).
USER node

EXPOSE 3000

# No curl in the slim image: use Node's own fetch. Follows PORT if it is overridden.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
