# One Ringmaster runner process. Built by docker-compose.yml (runner-1, runner-2); runs TypeScript with tsx,
# so there is no build step, and the dev dependencies (tsx) are installed on purpose.
FROM node:24-bookworm-slim

# corepack cannot verify pnpm's signature: install the pinned pnpm with npm
RUN npm install -g pnpm@10.34.9

WORKDIR /app

# Fetch packages from the lockfile alone first, so this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch

COPY . .
RUN pnpm install --frozen-lockfile --offline

# HTTP control plane, WebSocket gateway and console; cluster traffic between runners
EXPOSE 3000 34431

# The shell replaces itself with the server, so `docker stop` (SIGTERM) reaches it: a graceful stop.
CMD ["sh", "scripts/serve.sh"]
