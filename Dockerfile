# syntax=docker/dockerfile:1
# The gateway as compiled JavaScript on Node.js 20, production dependencies only (docs/deploy.md).

# Build stage: every dependency (TypeScript), then the compiled dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Run stage: no compiler, no faker, no sources but what the server reads at run time.
FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production
# A container's port must be reachable from outside it; production takes only the identity
# provider's tokens, so listening beyond loopback exposes no development key.
ENV HOST=0.0.0.0
ENV PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The gateway's own trusted documents are read by path from the project root (next to package.json).
COPY --from=build /app/src/generated/persisted-documents.json ./src/generated/persisted-documents.json
# The image's files belong to root and stay read-only to the server; the node user (uid 1000)
# of the base image runs it.
USER node
EXPOSE 4000
# The slim image has no curl: node asks /readyz itself (503 while a source is down or draining).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# SIGTERM starts the drain (SHUTDOWN_GRACE_MS); exec form makes node PID 1, so the signal reaches it.
STOPSIGNAL SIGTERM
CMD ["node", "--heap-growing-percent=100", "--max-semi-space-size=32", "dist/src/cli/start.js"]
