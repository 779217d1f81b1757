# Paradox: one Node.js process (API, pollers, reply publisher). Build with `docker compose build`
# or `docker build -t paradox .`; see docker-compose.yml for running it next to PostgreSQL.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, then drop the dev dependencies so only what dist/ needs at run time is copied on.
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
# package.json says "type": "module": without it node cannot load dist/.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Config and reply templates are read from the working directory (config/paradox.json,
# config/templates/); PARADOX_CONFIG picks another file, e.g. config/examples/mastodon.json.
COPY config ./config
# Without DATABASE_URL the embedded database writes to ./data: the one folder the app user owns.
RUN mkdir -p data && chown node:node data
USER node
# Inside a container the API must listen on every interface, not on the default 127.0.0.1.
ENV HOST=0.0.0.0
EXPOSE 3000
CMD ["node", "dist/main.js"]
