# syntax=docker/dockerfile:1.7
# One image per Kanshi process, chosen by build argument:
#   docker build --build-arg SERVICE=incident -t registry.example/kanshi/incident:0.1.0 .
# SERVICE is one of: gateway contracts ingestion analysis incident endpoint-response reporting.
# Only the reporting image carries Chromium and the Japanese fonts (PDF rendering).
# The base image is pinned to an exact tag; pin it by digest in your registry mirror if you can.
ARG NODE_IMAGE=node:20.19.5-bookworm-slim
ARG SERVICE

# --- build: every dependency, compile TypeScript with swc into dist/ --------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc nest-cli.json ./
COPY libs ./libs
COPY services ./services
COPY gateway ./gateway
COPY migrations ./migrations
COPY scripts ./scripts
COPY test ./test
COPY bench ./bench
COPY tools ./tools
RUN npm run build

# --- production dependencies only --------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# --- runtime: one process, non-root, read-only root filesystem (set in k8s/) --------------------
FROM ${NODE_IMAGE} AS runtime-base
ENV NODE_ENV=production \
    LISTEN_HOST=0.0.0.0 \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=32"
WORKDIR /app
RUN groupadd --system --gid 10001 kanshi && useradd --system --uid 10001 --gid kanshi --home-dir /nonexistent --shell /usr/sbin/nologin kanshi
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --from=build --chown=root:root /src/dist/libs ./dist/libs
COPY --from=build --chown=root:root /src/dist/migrations ./dist/migrations
COPY --from=build --chown=root:root /src/dist/scripts ./dist/scripts
COPY --from=build --chown=root:root /src/dist/services ./dist/services
COPY --from=build --chown=root:root /src/dist/gateway ./dist/gateway
COPY --chown=root:root gateway/supergraph.graphql ./gateway/supergraph.graphql

FROM runtime-base AS runtime-reporting
# Debian's Chromium and the IPAex Japanese font, for the PDF reports.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-ipaexfont-gothic \
 && rm -rf /var/lib/apt/lists/*
ENV REPORT_CHROMIUM_PATH=/usr/bin/chromium

FROM runtime-base AS runtime-gateway
FROM runtime-base AS runtime-contracts
FROM runtime-base AS runtime-ingestion
FROM runtime-base AS runtime-analysis
FROM runtime-base AS runtime-incident
FROM runtime-base AS runtime-endpoint-response

# The final stage: the runtime of the service named by SERVICE.
FROM runtime-${SERVICE} AS final
ARG SERVICE
ENV KANSHI_SERVICE=${SERVICE}
USER 10001:10001
EXPOSE 4000 4101 4102 4103 4104 4105 4106 4201 4202 4206 5514/udp 5514 6514 2525
# gateway -> dist/gateway/src/main.js; a service -> dist/services/<name>/src/main.js.
# Migrations (the k8s Job) run `node dist/scripts/migrate.js` in the same image.
CMD ["sh", "-c", "if [ \"$KANSHI_SERVICE\" = gateway ]; then exec node dist/gateway/src/main.js; else exec node \"dist/services/$KANSHI_SERVICE/src/main.js\"; fi"]
