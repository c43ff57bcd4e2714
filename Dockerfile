# One image for the five services; docker-compose.yml picks the entry point of each.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gateway gateway
COPY subgraphs subgraphs
COPY domain domain
COPY protocol protocol
COPY platform platform
COPY demo demo
COPY scripts scripts
COPY schema schema
COPY dashboard dashboard
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/schema schema
COPY package.json ./
# The audit checkpoints' volume (docker-compose.yml) takes this folder's owner when first made.
RUN mkdir -p /var/lib/dmx/audit-checkpoints && chown -R node:node /var/lib/dmx
USER node
