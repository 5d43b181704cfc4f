# The Tributary sidecar image: one container beside one database.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# Compiled (type-stripped) sources are cached there: restarts start faster.
ENV NODE_COMPILE_CACHE=/tmp/tributary-node-cache
# A smaller young generation than V8 picks for a large host (up to 64 MiB
# semi-spaces): about 100 MiB less resident at the same throughput, as
# bin/tributary does.
ENV NODE_OPTIONS=--max-semi-space-size=16
COPY package.json package-lock.json ./
# The `node` devDependency is the project's own Node 24 for development; the image already has it.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY dialects ./dialects
COPY config ./config
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "src/cli.ts"]
CMD ["run"]
