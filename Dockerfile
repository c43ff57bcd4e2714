# One image for the five services; docker-compose.yml picks the entry point of each.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gateway gateway
COPY subgraphs subgraphs
COPY platform platform
COPY scripts scripts
COPY schema schema
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/schema schema
COPY package.json ./
# The volumes of docker-compose.yml (the audit checkpoints, each gateway's audit outbox) take these folders' owner when first made.
RUN mkdir -p /var/lib/dmx/audit-checkpoints /var/lib/dmx/gateway-audit-outbox && chown -R node:node /var/lib/dmx
USER node
