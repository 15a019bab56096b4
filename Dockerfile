# hookport in a container. Only the commands the test suite proves are used:
# `npm ci --omit=dev` (test/operations/production-start.test.ts), the compile
# `npm start` runs first (scripts/build-if-stale.js), and `hookport start`
# (test/cli/hookport.test.ts). See docs/operations.md.

# --- build: production dependencies (TypeScript is one of them) and dist/
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY lib ./lib
COPY plugins ./plugins
RUN node scripts/build-if-stale.js

# --- run: compiled code only, as the unprivileged `node` user
FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
COPY config ./config
COPY scripts ./scripts
COPY bin ./bin
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1, so SIGTERM (docker stop) reaches hookport's graceful shutdown.
CMD ["node", "bin/hookport.js", "start"]
