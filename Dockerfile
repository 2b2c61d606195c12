# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native better-sqlite3 addon, then prune to production deps.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY agent ./agent
COPY forecast ./forecast
COPY sim ./sim
RUN npm run build && npm prune --omit=dev

# Run stage: distroless Node 20 (glibc, same Debian 12 as the build stage), no shell, non-root.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/agent/cli.js"]
CMD ["start", "--in-cluster"]
