# syntax=docker/dockerfile:1
# Pactum: one image for the gateway and the agency subgraphs (docs/deploy.md).
#   docker build -t pactum .
#   docker run --rm -p 4000:4000 pactum                                  # the gateway
#   docker run --rm pactum node subgraphs/police/dist/main.js            # a subgraph
# The runtime stage holds only the built JavaScript, production dependencies, policies and the
# supergraph; it runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
# better-sqlite3 is a native addon: the toolchain builds it when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && node -e "require('better-sqlite3')(':memory:').close()" \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && deploy/assemble-runtime.sh /out

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PACTUM_HOST=0.0.0.0 \
    PACTUM_STATE_DIR=/var/lib/pactum
WORKDIR /app
COPY --from=build /out /app
# The state folder (keys, audit trail when SQLite, subgraph data) is the only place written to.
RUN mkdir -p /var/lib/pactum && chown node:node /var/lib/pactum && ln -s /app/gateway/bin/pactum.js /usr/local/bin/pactum
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PACTUM_GATEWAY_PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-old-space-size=192", "gateway/dist/cli/pactum.js", "gateway"]
